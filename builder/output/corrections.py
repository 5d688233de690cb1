"""What readers see of corrections and updates: under a fact, the claims it
superseded and the changes that the git history of content/ made to it; the
site-wide corrections page, newest first, and its Atom feed (SPEC 7, 11)."""

from __future__ import annotations

from ..model.content import Fact
from ..model.dates import parse_date
from ..model.history import FactChange, FactVersion
from ..model.site import Site
from . import urls
from .context import PageContext

View = dict[str, object]
FIELDS = (("value", "Value"), ("quote", "Quote"), ("source", "Source"), ("as_of", "As of"))


def updates(ctx: PageContext, fact: Fact, earlier: list[View]) -> View:
    """What a fact box adds to a claim: the claims it superseded, its history."""
    changes = ctx.history(fact)
    return {"earlier": earlier, "history": history_view(ctx, changes) if changes else None}


def history_view(ctx: PageContext, changes: list[FactChange]) -> View:
    return {
        "changes": [change_item(ctx, c) for c in changes],
        "shallow": shallow_note(ctx.site),
        "page": ctx.href(urls.CORRECTIONS),
    }


def box_note(ctx: PageContext, owner_id: str, facts: tuple[Fact, ...]) -> str | None:
    """Under a fact box: that the history of its facts may be cut short."""
    return shallow_note(ctx.site) if facts and ctx.shallow_history(owner_id) else None


def shallow_note(site: Site) -> str | None:
    history = site.history
    if not history.shallow:
        return None
    since = f" since {_day(history.since)}" if history.since else ""
    return (
        f"Corrections and updates are known only{since}: this site was built from a "
        "shallow clone of its repository, which holds no older history."
    )


def change_item(ctx: PageContext, change: FactChange) -> View:
    return {
        "date": {"iso": change.day, "shown": _day(change.date)},
        "message": change.message,
        "commit": change.commit[:10],
        "anchor": change.anchor,
        "diffs": diffs(ctx, change.before, change.after),
        "owner": None,  # on the corrections page: the topic or entity
        "label": None,
    }


def diffs(ctx: PageContext, before: FactVersion, after: FactVersion) -> list[View]:
    found = []
    for key, name in FIELDS:
        old, new = getattr(before, key), getattr(after, key)
        if old != new:
            if key == "source":
                old, new = _article_title(ctx, old), _article_title(ctx, new)
            found.append({"field": name, "before": old, "after": new})
    return found


def change_text(change: FactChange) -> str:
    """One line for feeds and structured data: what changed, and why."""
    what = "; ".join(
        f"{name}: {getattr(change.before, key)} -> {getattr(change.after, key)}"
        for key, name in FIELDS
        if getattr(change.before, key) != getattr(change.after, key)
    )
    return f"{change.label}: {what}. {change.message}"


def _article_title(ctx: PageContext, article_id: str | None) -> str | None:
    if article_id is None or not ctx.is_article(article_id):
        return article_id
    return ctx.row(article_id).title


def _day(date: str | None) -> str:
    parsed = parse_date((date or "")[:10])
    return date or "" if isinstance(parsed, str) else parsed.shown


def corrections_view(ctx: PageContext) -> View:
    """Every change to a fact, newest first, each with the page that shows it."""
    items = []
    for change in ctx.all_changes():
        kind = ctx.kind_of(change.owner)
        page = ctx.href(urls.page_url(kind, change.owner)) if kind in ("topic", "entity") else None
        items.append(
            {
                **change_item(ctx, change),
                "label": change.label,
                "owner": {"title": ctx.title_of(change.owner) if page else change.owner,
                          "href": page},
            }
        )  # fmt: skip
    history = ctx.site.history
    return {
        "changes": items,
        "read": history.read,
        "shallow": shallow_note(ctx.site),
        "feed": ctx.href(urls.CORRECTIONS_FEED) if ctx.site.config.base_url else None,
    }
