// Injected by `build serve` only (never in `build` output): updates the page after a
// rebuild, and shows build errors over the page while the last good site stays served.
//
// The page is updated in place: its new text replaces the old, the scroll position
// stays, and its scripts run again, as after a reload. A reload costs the
// browser the stylesheet, the scripts and a new layout (half of the time from saving a
// file to seeing it, at 10,000 articles), so it is kept for what an update in place
// cannot show: a changed stylesheet, script or image (`assets` in the status), other
// stylesheets, or a page that is no longer there.
(function () {
  "use strict";
  var own = document.currentScript.src;
  var base = own.replace(/client\.js$/, "");
  var seen = null;
  var assets = null;
  var asked = 0; // the last update asked for: an older answer arriving late is dropped

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

  function isSheet(element) {
    return element.localName === "link" && /(^|\s)stylesheet(\s|$)/i.test(element.rel);
  }

  function sheets(doc) {
    return Array.prototype.filter.call(doc.head.children, isSheet)
      .map(function (link) { return link.getAttribute("href"); }).join("\n");
  }

  // A script element made by the parser of another document never runs: make it anew.
  function runAgain(script) {
    var fresh = document.createElement("script");
    Array.prototype.forEach.call(script.attributes, function (attribute) {
      fresh.setAttribute(attribute.name, attribute.value);
    });
    fresh.async = false; // in document order, as the page loads them
    fresh.textContent = script.textContent;
    script.replaceWith(fresh);
  }

  function replace(next) {
    if (sheets(next) !== sheets(document)) return false;
    Array.prototype.slice.call(document.head.children).forEach(function (element) {
      if (!isSheet(element)) element.remove();
    });
    Array.prototype.slice.call(next.head.children).forEach(function (element) {
      if (!isSheet(element)) document.head.appendChild(document.adoptNode(element));
    });
    var root = document.documentElement, nextRoot = next.documentElement;
    Array.prototype.slice.call(root.attributes).forEach(function (attribute) {
      if (!nextRoot.hasAttribute(attribute.name)) root.removeAttribute(attribute.name);
    });
    Array.prototype.forEach.call(nextRoot.attributes, function (attribute) {
      root.setAttribute(attribute.name, attribute.value);
    });
    document.body.replaceWith(document.adoptNode(next.body));
    Array.prototype.slice.call(document.querySelectorAll("script")).forEach(function (s) {
      if (s.src !== own) runAgain(s);
    });
    return true;
  }

  function refresh() {
    var mine = ++asked;
    fetch(location.href, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        if (mine !== asked) return;
        var next = new DOMParser().parseFromString(html, "text/html");
        if (!replace(next)) location.reload();
      })
      .catch(function () { location.reload(); });
  }

  function update(status) {
    if (seen !== null && status.version !== seen && !status.errors.length) {
      seen = status.version;
      overlay([]);
      if (status.assets !== assets) location.reload();
      else refresh();
      return;
    }
    seen = status.version;
    assets = status.assets;
    overlay(status.errors);
  }

  fetch(base + "status").then(function (r) { return r.json(); }).then(function (status) {
    update(status);
    var events = new EventSource(base + "events");
    events.addEventListener("build", function (e) { update(JSON.parse(e.data)); });
  });
})();
