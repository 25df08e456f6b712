"""The edition in a real browser: Debian's Chromium driven by Playwright, the site served on 127.0.0.1.

Playwright's own browsers are never downloaded: the tests launch /usr/bin/chromium (or $CHROMIUM) and are skipped,
saying why, when it or the playwright package is missing.
"""

from __future__ import annotations

import functools
import re
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from telegrams import project

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = project.BUILD_DIR / "screenshots"


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(QuietHandler, directory=str(site.out_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium found (apt-get install chromium, or set $CHROMIUM): browser tests skipped")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.problems = []
    opened.on("console", lambda message: message.type == "error" and opened.problems.append(message.text))
    opened.on("pageerror", lambda error: opened.problems.append(str(error)))
    opened.on("requestfailed", lambda request: opened.problems.append(f"request failed: {request.url}"))
    yield opened
    context.close()


def telegram_with(site, needle: str) -> str:
    """Return the name of a telegram page whose HTML contains `needle` (a class or an element)."""
    for path in sorted(site.out_dir.glob("tg-*.html")):
        if needle in path.read_text(encoding="utf-8"):
            return path.name
    pytest.skip(f"no telegram page has {needle!r} yet")


def test_every_page_loads_without_console_errors(site, server, page):
    names = sorted(p.name for p in site.out_dir.glob("*.html"))
    assert "index.html" in names
    for name in names:
        page.goto(server + name)
        page.wait_for_load_state("load")
        assert page.locator("h1").count() == 1, f"{name} has not exactly one h1"
    assert page.problems == []


def test_views_switch_by_mouse_and_keyboard(site, server, page):
    name = telegram_with(site, 'class="dipl sic"')
    page.goto(server + name)
    sic, corr = page.locator(".dipl.sic").first, page.locator(".norm.corr").first
    assert corr.is_visible() and not sic.is_visible()
    page.get_by_label("Diplomatic (as in the source)").check()
    assert sic.is_visible() and not corr.is_visible()
    page.focus("#view-diplomatic")
    page.keyboard.press("ArrowLeft")  # a radio group moves with the arrow keys
    assert page.is_checked("#view-normalized")
    assert corr.is_visible() and not sic.is_visible()


def test_notes_toggle_hides_editorial_notes(site, server, page):
    name = telegram_with(site, 'class="noteref editorial"')
    page.goto(server + name)
    marker = page.locator("a.noteref.editorial").first
    assert marker.is_visible()
    page.focus("#show-notes")
    page.keyboard.press("Space")
    assert not page.is_checked("#show-notes") and not marker.is_visible()
    page.reload()  # the choice is remembered by the script
    assert not page.is_checked("#show-notes")


def test_toggles_work_without_javascript(site, server, browser):
    name = telegram_with(site, 'class="dipl sic"')
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server + name)
        assert not page.locator(".dipl.sic").first.is_visible()
        page.get_by_label("Diplomatic (as in the source)").check()
        assert page.locator(".dipl.sic").first.is_visible()
    finally:
        context.close()


def test_register_links_resolve_both_ways(site, server, page):
    name = telegram_with(site, 'class="name name-person"')
    page.goto(server + name)
    mention = page.locator(".text-body a.name-person[id]").first
    mention_id = mention.get_attribute("id")
    mention.click()
    page.wait_for_load_state("load")
    assert page.url.split("/")[-1].startswith("persons.html#pers-")
    entry = page.locator(":target")
    assert entry.count() == 1 and entry.is_visible()
    back = entry.locator(f"a.mention[href='{name}#{mention_id}']")
    assert back.count() == 1, "the register entry links back to the very mention"
    back.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"{name}#{mention_id}")
    assert page.locator(":target").get_attribute("id") == mention_id


def test_search_finds_a_name(site, server, page):
    if not (site.out_dir / "pagefind" / "pagefind.js").is_file():
        assert "Search is unavailable" in (site.out_dir / "search.html").read_text(encoding="utf-8")
        pytest.skip("Pagefind's binary is not installed: the site says search is unavailable")
    page.goto(server + "search.html?q=Gao%20Gang")
    results = page.locator("#search-results li a")
    results.first.wait_for(timeout=10_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("tg-" in href for href in hrefs), hrefs
    assert page.problems == []


def test_search_merges_the_parts_of_a_large_index(parted_site, browser):
    handler = functools.partial(QuietHandler, directory=str(parted_site.out_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        opened = context.new_page()
        problems = []
        opened.on("pageerror", lambda error: problems.append(str(error)))
        opened.goto(f"http://127.0.0.1:{httpd.server_address[1]}/search.html?q=Gao%20Gang")
        results = opened.locator("#search-results li a")
        results.first.wait_for(timeout=10_000)
        found = {results.nth(i).get_attribute("href").rsplit("/", 1)[-1] for i in range(results.count())}
    finally:
        context.close()
        httpd.shutdown()
        httpd.server_close()
    first_part = sorted(p.name for p in parted_site.out_dir.glob("*.html") if p.name not in ("index.html", "search.html"))[:3]
    assert found - set(first_part), f"no result from the merged parts: {found}"
    assert problems == []


def test_no_accessibility_violation_of_any_impact_on_any_page(site, server, page):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                     reason="axe-playwright-python (which ships axe.js) is not installed")
    axe = axe_module.Axe()
    # WCAG 2.2 AA and best practice, with the rules axe leaves off by default: target size, links told apart
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                                     "best-practice"]},
               "rules": {"target-size": {"enabled": True}, "link-in-text-block": {"enabled": True}}}
    problems = []
    for name in sorted(p.name for p in site.out_dir.glob("*.html")):
        page.goto(server + name)
        states = ["marks on"]
        if page.locator("#show-marks").count():
            states.append("marks off")  # names in the text are still links: they must still look like links
        for state in states:
            if len(states) > 1:  # the script remembers the choice from page to page: set it each time
                page.set_checked("#show-marks", state == "marks on")
            for violation in axe.run(page, options=options).response["violations"]:
                nodes = [" ".join(node["target"]) for node in violation["nodes"][:3]]
                problems.append(f"{name} ({state}): {violation['id']} ({violation['impact']}): {nodes}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("width", [320, 390])
def test_no_page_scrolls_sideways_on_a_phone(site, server, page, width):
    page.set_viewport_size({"width": width, "height": 800})
    wide = []
    for name in sorted(p.name for p in site.out_dir.glob("*.html")):
        page.goto(server + name)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide.append(f"{name}: {scroll} px")
    assert wide == [], f"pages wider than {width} px: {wide}"


def test_side_panel_never_hides_below_the_window(site, server, page):
    """A sticky panel taller than the window would keep its end out of reach until the text ends."""
    for path in sorted(site.out_dir.glob("*.html")):
        page.goto(server + path.name)
        panel = page.locator("aside.apparatus")
        if not panel.count():
            continue
        fits = page.evaluate("""() => { const a = document.querySelector('aside.apparatus');
            const s = getComputedStyle(a);
            return s.position !== 'sticky' || a.getBoundingClientRect().height <= window.innerHeight
                   || ['auto', 'scroll'].includes(s.overflowY); }""")
        assert fits, path.name


def test_quoted_telegram_paragraphs_stay_paragraphs(site, server, page, sources):
    """Every paragraph of a quoted text in the TEI is a block of its own on the page."""
    tei = "{http://www.tei-c.org/ns/1.0}"
    for doc_id, source in sources.items():
        quoted = source.doc.root.findall(f".//{tei}floatingText")
        if not quoted:
            continue
        page.goto(server + f"{doc_id}.html")
        expected = sum(len(q.findall(f".//{tei}p")) for q in quoted)
        shown = page.evaluate("""() => [...document.querySelectorAll('.text-body .embedded p:not(.embedded-label)')]
            .filter(p => getComputedStyle(p).display === 'block').length""")
        assert shown >= expected, f"{doc_id}: {shown} paragraph blocks for {expected} quoted paragraphs"


def test_screenshots_of_a_telegram_page(site, server, page):
    name = telegram_with(site, 'class="parallel"')
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(server + name)
    page.screenshot(path=str(SCREENSHOTS / name.replace(".html", ".png")), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SCREENSHOTS / name.replace(".html", "-mobile.png")))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, "the page scrolls sideways on a phone"
    page.emulate_media(media="print")
    page.screenshot(path=str(SCREENSHOTS / name.replace(".html", "-print.png")))
    for shot in SCREENSHOTS.glob(name.replace(".html", "*.png")):
        assert shot.stat().st_size > 10_000, f"{shot.name} looks empty"


def _search(page, server, query: str) -> tuple[list[str], str]:
    """Run a query on the search page; return the result links and the status line."""
    page.goto(server + "search.html")
    page.fill("#search-input", query)
    page.click(".search-form button[type=submit]")
    page.wait_for_function("() => !document.getElementById('search-status').textContent.startsWith('Searching')"
                           " && document.getElementById('search-status').textContent !== ''", timeout=10_000)
    links = page.eval_on_selector_all("#search-results li > a", "links => links.map(a => a.getAttribute('href'))")
    return links, page.inner_text("#search-status")


def _needs_search(site):
    if not (site.out_dir / "pagefind" / "pagefind.js").is_file():
        pytest.skip("Pagefind's binary is not installed: no index to search")


def test_every_form_of_a_name_finds_the_texts_that_mention_it(site, server, page, sources):
    """Each form a register entry records (other scripts, cover names) finds every text naming the entry."""
    _needs_search(site)
    from lxml import etree

    tei = "{http://www.tei-c.org/ns/1.0}"
    registers = etree.parse(str(site.out_dir / "tei" / "registers.xml"))
    checked = 0
    for entry in registers.iter(f"{tei}person"):
        forms = {" ".join("".join(n.itertext()).split()) for n in entry.iter(f"{tei}persName")}
        single = sorted(f for f in forms if len(f.split()) == 1 and len(f) > 4)
        mentioning = sorted(doc_id for doc_id, s in sources.items()
                            if s.doc.root.xpath(f".//*[local-name()='text']//*[contains(@ref, '#{entry.get('{http://www.w3.org/XML/1998/namespace}id')}')]"))
        if len(single) < 2 or not mentioning:
            continue
        for form in single:
            links, _ = _search(page, server, form)
            found = {link.split("/")[-1].split("#")[0][:-5] for link in links}
            assert set(mentioning) <= found, f"{form!r}: {sorted(set(mentioning) - found)} not found"
        checked += 1
        if checked == 3:
            break
    if not checked:
        pytest.skip("no register entry has two one-word forms and mentions")


def test_russian_word_forms_match(site, server, page, sources):
    _needs_search(site)
    import re

    for doc_id, source in sorted(sources.items()):
        words = re.findall(r"\b([а-я]{5,}(?:ии|ий|ых))\b", " ".join(source.doc.root.itertext()))
        if words:
            other = words[0][:-2] + "ия"
            links, status = _search(page, server, other)
            assert any(doc_id in link for link in links), f"{other!r} (for {words[0]!r}) did not find {doc_id}: {status}"
            return
    pytest.skip("no Russian text in the corpus")


def test_a_typo_in_a_name_gets_a_did_you_mean(site, server, page):
    _needs_search(site)
    names = page.context.new_page()
    names.goto(server + "search.html")
    forms = [w for w in names.eval_on_selector_all("#name-forms li", "lis => lis.map(li => li.textContent)")
             for w in w.split() if w.isalpha() and w.isascii() and len(w) >= 6]
    names.close()
    assert forms, "the search page lists the registers' name forms"
    name = forms[0]
    typo = name[:2] + name[3:]  # one letter dropped
    _, status = _search(page, server, typo)
    assert "Did you mean" in status and name in status, status


def test_results_land_on_the_passage(site, server, page):
    _needs_search(site)
    links, _ = _search(page, server, "Gao Gang")
    documents = [link for link in links if not re.search(r"(persons|places|organisations)\.html", link)]
    assert documents and all("#" in link for link in documents), links
    registers = [link for link in links if "persons.html" in link]
    assert all("#" in link for link in registers), "a register hit is its entry, not the whole page"
