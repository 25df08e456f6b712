/* Mao–Stalin Telegrams: enhancements only. Every page reads and every view control works without this script. */
(function () {
  "use strict";

  var STORE = "telegrams-view";

  /* Remember the reader's display choices from page to page. */
  function rememberControls() {
    var form = document.querySelector(".view-controls");
    if (!form) return;
    var saved = {};
    try { saved = JSON.parse(window.localStorage.getItem(STORE) || "{}"); } catch (e) { saved = {}; }
    if (saved.view) {
      var radio = document.getElementById("view-" + saved.view);
      if (radio) radio.checked = true;
    }
    ["notes", "marks"].forEach(function (name) {
      var box = form.querySelector('input[name="' + name + '"]');
      if (box && typeof saved[name] === "boolean") box.checked = saved[name];
    });
    form.addEventListener("change", function () {
      var state = { view: (form.querySelector('input[name="view"]:checked') || {}).value };
      ["notes", "marks"].forEach(function (name) {
        var box = form.querySelector('input[name="' + name + '"]');
        if (box) state[name] = box.checked;
      });
      try { window.localStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* private mode */ }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  }

  /* Permalinks and the citation show the full address the page is read at. */
  function absolutePermalinks() {
    document.querySelectorAll("a.permalink").forEach(function (link) {
      var absolute = new URL(link.getAttribute("href"), window.location.href).href;
      if (/^https?:/.test(absolute)) link.textContent = absolute;
    });
  }

  /* A button that copies the citation. */
  function copyCitation() {
    var citation = document.getElementById("citation");
    if (!citation || !navigator.clipboard) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy citation";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(citation.textContent.replace(/\s+/g, " ").trim()).then(function () {
        button.textContent = "Copied";
        window.setTimeout(function () { button.textContent = "Copy citation"; }, 2000);
      }, function () { button.textContent = "Copy failed"; });
    });
    citation.insertAdjacentElement("afterend", button);
  }

  /* Search with Pagefind's static index; results are plain links with an excerpt. */
  function search() {
    var form = document.querySelector("form[data-search]");
    if (!form) return;
    var input = form.querySelector("input[type=search]");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var engine = null;

    /* A large edition is indexed in parts (site.py): the first bundle merges the others, listed in parts.json. */
    function load() {
      if (!engine) {
        var url = new URL(form.getAttribute("data-search"), window.location.href).href;
        engine = import(url).then(function (pagefind) {
          return pagefind.options({ excerptLength: 24 }).then(function () {
            return fetch(new URL("parts.json", url)).then(function (response) {
              return response.ok ? response.json() : [];
            });
          }).then(function (parts) {
            return Promise.all(parts.map(function (part) { return pagefind.mergeIndex(new URL(part, url).href); }));
          }).then(function () { return pagefind; });
        });
      }
      return engine;
    }

    function show(results, query) {
      list.textContent = "";
      results.forEach(function (data) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = data.url;
        link.textContent = (data.meta && data.meta.title) || data.url;
        var excerpt = document.createElement("p");
        excerpt.className = "excerpt";
        excerpt.innerHTML = data.excerpt; /* Pagefind escapes the page text and adds only <mark> */
        item.appendChild(link);
        item.appendChild(excerpt);
        list.appendChild(item);
      });
      status.textContent = results.length ? results.length + " result" + (results.length === 1 ? "" : "s") + " for “" + query + "”."
                                          : "Nothing found for “" + query + "”.";
    }

    function run(query) {
      query = query.trim();
      if (!query) { list.textContent = ""; status.textContent = ""; return; }
      status.textContent = "Searching…";
      load().then(function (pagefind) {
        return pagefind.search(query);
      }).then(function (found) {
        return Promise.all(found.results.slice(0, 30).map(function (r) { return r.data(); }));
      }).then(function (results) {
        show(results, query);
      }).catch(function () {
        status.textContent = "Search could not start: open the edition through a web server (not as a file) to search it.";
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = new URL(window.location.href);
      url.searchParams.set("q", input.value);
      window.history.replaceState(null, "", url);
      run(input.value);
    });
    var initial = new URL(window.location.href).searchParams.get("q");
    if (initial) { input.value = initial; run(initial); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    rememberControls();
    absolutePermalinks();
    copyCitation();
    search();
  });
})();
