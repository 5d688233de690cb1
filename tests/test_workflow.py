"""The GitHub Pages workflow, its zizmor configuration and the pre-commit hook.

The workflow is checked as GitHub and zizmor read it (GitHub's workflow schema through
check-jsonschema, zizmor's offline audits with the committed `.github/zizmor.yml`), then
for what a newsroom relies on: it publishes from the default branch under the address
GitHub Pages gives it, with `build --strict`, Dossier's cache kept between runs, the
whole history checked out, and permissions granted job by job.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import yaml

from builder.arguments import parse
from tests.conftest import MINIMAL_SITE, ROOT, write_files

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
ZIZMOR_CONFIG = ROOT / ".github" / "zizmor.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"

DEFAULT_BRANCH_ONLY = (
    "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"
)
CACHE_INPUTS = {"content/**", "themes/**", "pyproject.toml", "builder/**"}
README_INSTALL = "python3 -m venv .venv && .venv/bin/pip install ."


def tool(name: str) -> Path:
    """A command of the test extras, installed in the venv that runs the tests."""
    path = Path(sys.executable).parent / name
    assert path.exists(), f"{path} is missing: run `bash scripts/test`, which installs it"
    return path


def workflow() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{WORKFLOW} is not a mapping"
    if True in data:  # YAML 1.1 reads the key `on` as the boolean true
        data["on"] = data.pop(True)
    return data


def expression(text: object) -> str:
    """`${{ a  ==  b }}` and `a == b` alike, as `a == b`."""
    text = str(text).strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    return " ".join(text.split())


def job(name: str) -> dict[str, Any]:
    jobs = workflow()["jobs"]
    assert name in jobs, f"the workflow has no job '{name}' (it has {sorted(jobs)})"
    found: dict[str, Any] = jobs[name]
    return found


def steps(job_name: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = job(job_name)["steps"]
    return found


def step_using(job_name: str, action: str) -> tuple[int, dict[str, Any]]:
    """The one step of a job that uses `action` (e.g. `actions/cache`), and its index."""
    found = [
        (i, s)
        for i, s in enumerate(steps(job_name))
        if str(s.get("uses", "")).split("@")[0] == action
    ]
    assert len(found) == 1, f"job '{job_name}' should use {action} exactly once"
    return found[0]


def build_step() -> tuple[int, dict[str, Any], list[str]]:
    """The step that runs `build`, and its command line as words."""
    found = []
    for i, s in enumerate(steps("build")):
        words = shlex.split(str(s.get("run", "")))
        if words and Path(words[0]).name == "build":
            found.append((i, s, words))
    assert len(found) == 1, "the build job should run `build` in exactly one step"
    return found[0]


# --- as GitHub and zizmor read it ---------------------------------------------------


def test_the_workflow_matches_githubs_schema() -> None:
    result = subprocess.run(
        [
            str(tool("check-jsonschema")),
            "--builtin-schema",
            "vendor.github-workflows",
            str(WORKFLOW),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_with_the_committed_config() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZIZMOR_")}
    result = subprocess.run(
        [
            str(tool("zizmor")),
            "--offline",
            "--no-progress",
            "--color",
            "never",
            ".github/workflows/",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout, result.stdout + result.stderr


def test_zizmor_allows_only_githubs_own_actions_pinned_by_tag() -> None:
    config = yaml.safe_load(ZIZMOR_CONFIG.read_text(encoding="utf-8"))
    policies = config["rules"]["unpinned-uses"]["config"]["policies"]
    assert policies == {"actions/*": "ref-pin", "*": "hash-pin"}
    for job_name, job_data in workflow()["jobs"].items():
        for s in job_data["steps"]:
            if "uses" not in s:
                continue
            uses = str(s["uses"])
            by_tag = re.fullmatch(r"actions/[a-z0-9-]+@v\d+(\.\d+)*", uses)
            by_hash = re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", uses)
            assert by_tag or by_hash, f"job '{job_name}': {uses} is neither ours nor hashed"


# --- what a newsroom relies on -------------------------------------------------------


def test_it_publishes_from_the_default_branch_whatever_its_name() -> None:
    data = workflow()
    triggers = data["on"]
    assert set(triggers) == {"push", "workflow_dispatch"}
    push = triggers["push"] or {}
    assert not set(push) & {"branches", "branches-ignore", "tags", "tags-ignore", "paths"}, (
        "the push trigger must not name branches: the default branch has no name here"
    )
    for name, job_data in data["jobs"].items():
        assert expression(job_data.get("if", "")) == DEFAULT_BRANCH_ONLY, (
            f"job '{name}' must run only on the default branch"
        )
    group = expression(data["concurrency"]["group"])
    assert "github.ref" in group, "a push to another branch must not queue in place of main"
    assert data["concurrency"]["cancel-in-progress"] is False


def test_permissions_are_granted_job_by_job() -> None:
    data = workflow()
    assert data["permissions"] == {}, "the workflow as a whole must grant nothing"
    build = job("build")["permissions"]
    assert build.get("contents") == "read"
    assert set(build) <= {"contents", "pages"} and set(build.values()) == {"read"}, build
    assert job("deploy")["permissions"] == {"pages": "write", "id-token": "write"}
    assert set(data["jobs"]) == {"build", "deploy"}


def test_it_checks_out_the_whole_history_without_keeping_the_token() -> None:
    index, checkout = step_using("build", "actions/checkout")
    assert index == 0
    assert checkout["with"]["fetch-depth"] == 0
    assert checkout["with"]["persist-credentials"] is False


def test_it_installs_dossier_as_the_readme_does_and_builds_strictly() -> None:
    assert README_INSTALL in (ROOT / "README.md").read_text(encoding="utf-8")
    installs = [s for s in steps("build") if s.get("run") == README_INSTALL]
    assert len(installs) == 1, f"the build job should install Dossier with `{README_INSTALL}`"
    index, _, words = build_step()
    assert steps("build").index(installs[0]) < index
    assert words[0] == ".venv/bin/build"
    assert "--strict" in words
    assert "check" not in words


def test_it_builds_for_the_address_configure_pages_reports() -> None:
    configure_index, configure = step_using("build", "actions/configure-pages")
    assert "id" in configure, "configure-pages needs an id to read its outputs"
    index, step, words = build_step()
    assert configure_index < index
    assert "--base-url" in words, "the build must be told the published address"
    variable = words[words.index("--base-url") + 1]
    # Through the environment, never `${{ ... }}` inside the script (zizmor's
    # template-injection audit).
    assert re.fullmatch(r"\$\w+|\$\{\w+\}", variable), variable
    value = step.get("env", {}).get(variable.lstrip("$").strip("{}"), "")
    assert expression(value) == f"steps.{configure['id']}.outputs.base_url"


def test_it_keeps_dossiers_cache_between_runs() -> None:
    cache_index, cache = step_using("build", "actions/cache")
    build_index, _, _ = build_step()
    assert cache_index < build_index, "the cache must be restored before the build"
    settings = cache["with"]
    assert settings["path"] == ".dossier-cache"
    key = str(settings["key"])
    hashed = re.findall(r"hashFiles\(([^)]*)\)", key)
    assert len(hashed) == 1, f"the key should hash the site's inputs: {key}"
    assert set(re.findall(r"'([^']*)'", hashed[0])) == CACHE_INPUTS
    restore = [line for line in str(settings["restore-keys"]).splitlines() if line.strip()]
    assert restore, "an older cache should be reused through a restore key"
    for prefix in restore:
        assert key.startswith(prefix.strip()) and "hashFiles" not in prefix, prefix


def test_it_uploads_the_site_and_deploys_it_after_the_build() -> None:
    upload_index, upload = step_using("build", "actions/upload-pages-artifact")
    build_index, _, _ = build_step()
    assert build_index < upload_index
    assert upload["with"]["path"] == "site"
    deploy = job("deploy")
    assert deploy["needs"] in ("build", ["build"])
    assert deploy["environment"]["name"] == "github-pages"
    step_using("deploy", "actions/deploy-pages")


def test_the_build_step_publishes_a_site_yaml_without_base_url(tmp_path: Path) -> None:
    """A fork builds under its own address without editing site.yaml."""
    site = write_files(tmp_path, MINIMAL_SITE)
    config = site / "content" / "site.yaml"
    config.write_text("title: Test Desk\n", encoding="utf-8")
    (site / ".venv").symlink_to(Path(sys.executable).parent.parent)
    _, step, _ = build_step()
    env = dict(os.environ)
    env.update({k: "https://octocat.github.io/desk" for k in step.get("env", {})})
    result = subprocess.run(
        ["bash", "-c", step["run"]], cwd=site, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    home = (site / "site" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://octocat.github.io/desk/"' in home
    assert 'href="/desk/static/' in (site / "site" / "404.html").read_text(encoding="utf-8")


# --- the pre-commit hook -------------------------------------------------------------


def test_the_pre_commit_hook_checks_content_strictly() -> None:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["dossier-check"]
    hook = hooks[0]
    assert hook["entry"] == "build check --strict"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("content/articles/a.md") and files.search("themes/x/templates/a.html")
    assert not files.search("builder/cli.py") and not files.search("seeds/a.txt")
    command, *args = hook["entry"].split()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert command in scripts["scripts"], f"`{command}` is not a console script of Dossier"
    command, options = parse(args)
    assert command == "check" and options.strict
