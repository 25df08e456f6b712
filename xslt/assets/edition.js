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

    /* Russian words are searched by their stem, which Pagefind matches as a prefix: "дивизия" finds "дивизий".
       (The pages are indexed as English, whose stemmer leaves Cyrillic alone.) */
    var RUSSIAN_ENDING = /(иями|ями|ами|иях|ого|его|ому|ему|ыми|ими|ией|ой|ей|ий|ый|ая|яя|ое|ее|ые|ие|ых|их|ую|юю|ов|ев|ам|ям|ах|ях|ом|ем|ия|ья|ье|ию|ью|а|я|о|е|ы|и|у|ю|ь|й)$/;
    function prepare(query) {
      return query.split(/\s+/).map(function (word) {
        if (!/[\u0400-\u04ff]/.test(word) || word.length < 5) return word;
        var stem = word.toLowerCase().replace(RUSSIAN_ENDING, "");
        return stem.length >= 3 ? stem : word;
      }).join(" ");
    }

    /* One result per hit: a register page gives one per entry; a text links to the passage (Pagefind's nearest
       anchor), and a hit on a register's form of a name says which form the text writes. */
    function hits(data) {
      var register = /(^|\/)(persons|places|organisations)\.html$/.test(data.url.split("#")[0]);
      if (register && data.sub_results && data.sub_results.length) {
        return data.sub_results.map(function (sub) { return { url: sub.url, title: sub.title, excerpt: sub.excerpt }; });
      }
      var anchored = (data.sub_results || []).filter(function (sub) { return sub.url.indexOf("#") > 0; })[0];
      var hit = { url: anchored ? anchored.url : data.url, title: (data.meta && data.meta.title) || data.url,
                  excerpt: data.excerpt };
      var after = data.excerpt.slice(Math.max(0, data.excerpt.indexOf("<mark>")));  /* the entry the hit is in */
      var written = /\(written here: ([^)]*)\)/.exec(after.replace(/<\/?mark>/g, ""));
      if (written) {  /* the hit is a register's form of a name: say, and go to, the form the text writes */
        if (!anchored) hit.url = data.url.split("#")[0] + "#:~:text=" + encodeURIComponent(written[1].split(", ")[0]);
        hit.note = "The text writes “" + written[1] + "”.";
      }
      return [hit];
    }

    /* "Did you mean": a name of the registers within one edit of a word searched for. */
    function oneEditApart(a, b) {
      if (Math.abs(a.length - b.length) > 1 || a === b) return false;
      var i = 0, j = 0, edits = 0;
      while (i < a.length && j < b.length) {
        if (a[i] === b[j]) { i++; j++; continue; }
        if (++edits > 1) return false;
        if (a.length > b.length) i++; else if (b.length > a.length) j++; else { i++; j++; }
      }
      return edits + (a.length - i) + (b.length - j) <= 1;
    }
    function suggestion(query) {
      var names = Array.prototype.map.call(document.querySelectorAll("#name-forms li"), function (li) { return li.textContent; });
      var words = [];
      names.forEach(function (name) { name.split(/[\s,.()]+/).forEach(function (w) { if (w.length > 3) words.push(w); }); });
      var changed = false;
      var fixed = query.split(/\s+/).map(function (word) {
        var lower = word.toLowerCase();
        if (words.some(function (w) { return w.toLowerCase() === lower; })) return word;
        var near = words.filter(function (w) { return oneEditApart(lower, w.toLowerCase()); })[0];
        if (near) { changed = true; return near; }
        return word;
      }).join(" ");
      return changed ? fixed : null;
    }

    function show(results, query) {
      list.textContent = "";
      results.forEach(function (hit) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = hit.url;
        link.textContent = hit.title;
        var excerpt = document.createElement("p");
        excerpt.className = "excerpt";
        excerpt.innerHTML = hit.excerpt; /* Pagefind escapes the page text and adds only <mark> */
        item.appendChild(link);
        item.appendChild(excerpt);
        if (hit.note) {
          var note = document.createElement("p");
          note.className = "excerpt";
          note.textContent = hit.note;
          item.appendChild(note);
        }
        list.appendChild(item);
      });
      status.textContent = results.length ? results.length + " result" + (results.length === 1 ? "" : "s") + " for “" + query + "”."
                                          : "Nothing found for “" + query + "”.";
      var better = suggestion(query);
      if (better) {
        var ask = document.createElement("a");
        ask.href = "search.html?q=" + encodeURIComponent(better);
        ask.textContent = better;
        ask.className = "did-you-mean";
        ask.addEventListener("click", function (event) { event.preventDefault(); input.value = better; form.requestSubmit(); });
        status.appendChild(document.createTextNode(" Did you mean "));
        status.appendChild(ask);
        status.appendChild(document.createTextNode("?"));
      }
    }

    function run(query) {
      query = query.trim();
      if (!query) { list.textContent = ""; status.textContent = ""; return; }
      status.textContent = "Searching…";
      load().then(function (pagefind) {
        return pagefind.search(prepare(query));
      }).then(function (found) {
        return Promise.all(found.results.slice(0, 30).map(function (r) { return r.data(); }));
      }).then(function (results) {
        show([].concat.apply([], results.map(hits)), query);
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
