// Injected by `build serve` only (never in `build` output): reloads the page after a
// rebuild, and shows build errors over the page while the last good site stays served.
(function () {
  "use strict";
  var base = document.currentScript.src.replace(/client\.js$/, "");
  var seen = null;

  function overlay(errors) {
    var box = document.getElementById("dossier-errors");
    if (!errors.length) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "dossier-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
        "background:#2b0d0d;color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;" +
        "padding:1rem 1.2rem;z-index:99999;border-top:4px solid #ff6b6b";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "Build failed: the page shows the last good build.";
    var list = document.createElement("pre");
    list.style.cssText = "white-space:pre-wrap;margin:.5rem 0 0";
    list.textContent = errors.join("\n");
    box.appendChild(title);
    box.appendChild(list);
  }

  function update(status) {
    if (seen !== null && status.version !== seen && !status.errors.length) {
      location.reload();
      return;
    }
    seen = status.version;
    overlay(status.errors);
  }

  fetch(base + "status").then(function (r) { return r.json(); }).then(function (status) {
    update(status);
    var events = new EventSource(base + "events");
    events.addEventListener("build", function (e) { update(JSON.parse(e.data)); });
  });
})();
