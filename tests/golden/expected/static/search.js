// Search for Dossier pages. Without JavaScript the header box is a plain form that
// opens the search page; with it, typing offers entities and topics by name or alias
// (from small prebuilt JSON shards), then topics and articles from the full-text
// index, and the search page runs Pagefind. The full-text index is in shards
// (pagefind/shards.json lists them beside the primary one), queried together.
(function () {
  "use strict";
  var root = document.currentScript.dataset.root || "";
  var bundle = new URL(root + "pagefind/", location.href).href;
  var baseUrl = new URL(root || "./", location.href).pathname;
  var shards = {};
  var HINT = "Press Enter to search all pages";
  var KINDS = { topic: "Topic", article: "Article" };

  // The bundles to merge with the primary one, as Pagefind's mergeIndex takes them.
  function mergedBundles() {
    return fetch(bundle + "shards.json")
      .then(function (r) { return r.ok ? r.json() : []; })
      .catch(function () { return []; })
      .then(function (names) {
        return names.map(function (name) {
          return { bundlePath: bundle + name + "/", baseUrl: baseUrl };
        });
      });
  }

  var engine = null;
  // Pagefind itself, loaded the first time the header box needs it.
  function fullText() {
    if (!engine) {
      engine = import(bundle + "pagefind.js").then(function (pagefind) {
        return pagefind.options({ baseUrl: baseUrl })
          .then(mergedBundles)
          .then(function (merged) {
            return Promise.all(merged.map(function (m) {
              return pagefind.mergeIndex(m.bundlePath, { baseUrl: m.baseUrl });
            }));
          })
          .then(function () { return pagefind; });
      }).catch(function () { return null; });
    }
    return engine;
  }

  // Topics and articles whose text matches: entries like the name shards' ones.
  function pages(query) {
    if (query.trim().length < 3) return Promise.resolve([]);
    return fullText().then(function (pagefind) {
      if (!pagefind) return [];
      var filters = { kind: { any: ["topic", "article"] } };
      return pagefind.search(query, { filters: filters }).then(function (search) {
        if (!search) return [];
        return Promise.all(search.results.slice(0, 5).map(function (r) { return r.data(); }));
      }).then(function (found) {
        return found.map(function (d) {
          var kind = (d.filters.kind || ["article"])[0];
          return [d.meta.title, d.meta.title, d.url, KINDS[kind] || kind, true];
        });
      });
    }).catch(function () { return []; });
  }

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

  function place(href) {
    return new URL(href, location.href).pathname.replace(/index\.html$/, "");
  }

  // The suggestions, and below them the hint that Enter searches the full text.
  function show(list, status, found, pending) {
    list.textContent = "";
    found.forEach(function (e) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = e[4] ? e[2] : root + e[2];
      link.textContent = e[0] === e[1] ? e[1] : e[0] + " → " + e[1];
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " " + e[3];
      link.appendChild(kind);
      item.appendChild(link);
      list.appendChild(item);
    });
    var hint = document.createElement("li");
    hint.className = "hint";
    hint.textContent = pending && !found.length ? "Searching…" : HINT;
    list.appendChild(hint);
    list.hidden = false;
    if (status) status.textContent = found.length ? found.length + " suggestions" : HINT;
  }

  function setUpQuickJump(form) {
    var input = form.querySelector("input[name=q]");
    var list = form.querySelector(".quick-jump");
    var status = form.querySelector(".quick-jump-status");
    if (!input || !list) return;
    var timer = null;
    input.addEventListener("input", function () {
      var query = input.value;
      clearTimeout(timer);
      if (query.trim().length < 2) {
        list.hidden = true;
        list.textContent = "";
        return;
      }
      load(shardOf(query)).then(function (entries) {
        if (input.value !== query) return;
        var found = matches(entries, query);
        show(list, status, found, query.trim().length >= 3);
        timer = setTimeout(function () {
          pages(query).then(function (more) {
            if (input.value !== query) return;
            var seen = {};
            found.forEach(function (e) { seen[place(root + e[2])] = true; });
            more = more.filter(function (e) { return !seen[place(e[2])]; });
            show(list, status, found.concat(more), false);
          });
        }, 200);
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
    // A reader who typed before this script arrived (a slow connection, or the page
    // updated in place by `build serve`) gets suggestions for what is in the box.
    if (document.activeElement === input && input.value.trim().length >= 2) {
      input.dispatchEvent(new Event("input"));
    }
  }

  function setUpSearchPage() {
    var element = document.getElementById("search");
    if (!element || !window.PagefindUI) return;
    var wide = window.matchMedia("(min-width: 48em)").matches;
    mergedBundles().then(function (merged) {
      var ui = new window.PagefindUI({
        element: "#search",
        bundlePath: bundle,
        baseUrl: baseUrl,
        mergeIndex: merged,
        showSubResults: true,
        showImages: false,
        openFilters: wide ? ["kind", "type"] : [],
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
      var header = document.getElementById("site-search-q");
      if (query && header) header.value = query;
      if (query) ui.triggerSearch(query);
    });
  }

  document.querySelectorAll("form.site-search").forEach(setUpQuickJump);
  setUpSearchPage();
})();
