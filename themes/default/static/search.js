// Search for Dossier pages. Without JavaScript the header box is a plain form that
// opens the search page; with it, typing offers entities and topics by name or alias
// (from small prebuilt JSON shards) before any full-text search, and the search page
// runs Pagefind.
(function () {
  "use strict";
  var root = document.currentScript.dataset.root || "";
  var shards = {};

  function shardOf(text) {
    var first = text.trim().toLowerCase().normalize("NFKD").charAt(0);
    return /^[a-z0-9]$/.test(first) ? first : "_";
  }

  function load(key) {
    if (!shards[key]) {
      shards[key] = fetch(root + "data/names/" + key + ".json")
        .then(function (r) { return r.ok ? r.json() : []; })
        .catch(function () { return []; });
    }
    return shards[key];
  }

  function matches(entries, query) {
    var q = query.trim().toLowerCase();
    var seen = {};
    var found = [];
    entries.forEach(function (e) {
      var label = e[0].toLowerCase();
      if (label.indexOf(q) === 0 || label.indexOf(" " + q) > 0) {
        if (!seen[e[2]]) {
          seen[e[2]] = true;
          found.push(e);
        }
      }
    });
    return found.slice(0, 8);
  }

  function setUpQuickJump(form) {
    var input = form.querySelector("input[name=q]");
    var list = form.querySelector(".quick-jump");
    var status = form.querySelector(".quick-jump-status");
    if (!input || !list) return;
    input.addEventListener("input", function () {
      var query = input.value;
      if (query.trim().length < 2) {
        list.hidden = true;
        list.textContent = "";
        return;
      }
      load(shardOf(query)).then(function (entries) {
        if (input.value !== query) return;
        var found = matches(entries, query);
        list.textContent = "";
        found.forEach(function (e) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = root + e[2];
          link.textContent = e[0] === e[1] ? e[1] : e[0] + " → " + e[1];
          var kind = document.createElement("span");
          kind.className = "kind";
          kind.textContent = " " + e[3];
          link.appendChild(kind);
          item.appendChild(link);
          list.appendChild(item);
        });
        list.hidden = found.length === 0;
        if (status) status.textContent = found.length ? found.length + " names found" : "";
      });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !list.hidden) {
        event.preventDefault();
        var first = list.querySelector("a");
        if (first) first.focus();
      }
      if (event.key === "Escape") list.hidden = true;
    });
    list.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var index = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && index < links.length - 1) links[index + 1].focus();
      if (event.key === "ArrowUp") (index > 0 ? links[index - 1] : input).focus();
      if (event.key === "Escape") { list.hidden = true; input.focus(); }
      if (event.key.indexOf("Arrow") === 0) event.preventDefault();
    });
  }

  function setUpSearchPage() {
    var element = document.getElementById("search");
    if (!element || !window.PagefindUI) return;
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: root + "pagefind/",
      showSubResults: true,
      showImages: false,
      openFilters: ["kind", "type"],
      resetStyles: false
    });
    // Pagefind's input has only a placeholder: give it a name screen readers announce.
    var name = function () {
      var input = element.querySelector("input");
      if (input && !input.getAttribute("aria-label")) {
        input.setAttribute("aria-label", "Search the full text of the site");
      }
    };
    new MutationObserver(name).observe(element, { childList: true, subtree: true });
    name();
    var query = new URLSearchParams(location.search).get("q");
    if (query) ui.triggerSearch(query);
  }

  document.querySelectorAll("form.site-search").forEach(setUpQuickJump);
  setUpSearchPage();
})();
