"""A large register or home page is paged, and no link is lost: the same corpus built whole and paged links the same
mentions and the same documents.

The paged build sets the page sizes to two documents, so that tei/ alone (a handful of telegrams) pages its
registers and its list of the correspondence the way 10,000 telegrams page them at the real sizes.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import lxml.html
import pytest

from telegrams import project
from telegrams.editions import site as site_module

REGISTERS = list(site_module.REGISTER_PAGES.items())
MENTION = "//a[contains(@class,'mention')][not(contains(@class,'mention-doc'))][not(contains(@class,'mention-page'))]"


def build(out: Path, docs_per_page: int):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site_module, "REGISTER_PAGE_DOCS", docs_per_page)
        patch.setattr(site_module, "HOME_PAGE_DOCS", docs_per_page)
        result = site_module.build_site([str(project.TEI_DIR)], out, search=False)
    assert [f for f in result.findings if f.severity == "error"] == [], result.findings
    return result


@pytest.fixture(scope="module")
def whole_site(tmp_path_factory):
    if not any(p.name != "registers.xml" for p in project.corpus_files([str(project.TEI_DIR)])):
        pytest.skip("tei/ has no documents yet: nothing to build")
    return build(tmp_path_factory.mktemp("whole") / "html", 10 ** 9)


@pytest.fixture(scope="module")
def paged_site(whole_site, tmp_path_factory):
    return build(tmp_path_factory.mktemp("paged") / "html", 2)


def parse(path: Path):
    return lxml.html.parse(str(path)).getroot()


def mentions_by_entry(out: Path, register: str, paged: bool) -> dict[str, set[str]]:
    """Every mention link of each entry of a register page: on the page itself, or on the entry's mention pages."""
    found: dict[str, set[str]] = defaultdict(set)
    for entry in parse(out / register).xpath("//section[contains(@class,'entry')]"):
        lists = [entry]
        for link in entry.xpath(".//a[contains(@class,'mention-page')]"):
            assert paged, f"{register}: an unpaged register links to a page of mentions"
            lists.append(parse(out / link.get("href")))
        for where in lists:
            found[entry.get("id")] |= {a.get("href") for a in where.xpath("." + MENTION)}
    return found


def test_small_registers_are_not_paged(site):
    assert not list(site.out_dir.glob("*~*.html")), "a register of a few telegrams was paged"


def test_paged_registers_list_every_mention(whole_site, paged_site):
    pages_of = {}
    for kind, register in REGISTERS:
        whole = mentions_by_entry(whole_site.out_dir, register, paged=False)
        paged = mentions_by_entry(paged_site.out_dir, register, paged=True)
        assert paged == whole, f"{register}: paged, an entry lists other mentions than whole"
        pages_of[kind] = len(list(paged_site.out_dir.glob(f"{kind}~*.html")))
        assert not parse(paged_site.out_dir / register).xpath(MENTION), f"{register}: paged, yet lists mentions"
    if not any(pages_of.values()):
        pytest.skip("tei/ has no register entry mentioned at all")
    split = [page for page in paged_site.out_dir.glob("*~2.html")]
    assert split, "no entry's mentions took two pages: the page size of two documents was not applied"


def test_every_mention_lands_on_its_entry_when_paged(paged_site):
    """A name in a telegram links to persons.html#id (or places, organisations): the entry is there, with its id."""
    out = paged_site.out_dir
    ids = {register: set(parse(out / register).xpath("//section[contains(@class,'entry')]/@id"))
           for _, register in REGISTERS}
    checked = 0
    for page in out.glob("*.html"):
        if "~" in page.name or page.name in ids:
            continue
        for href in parse(page).xpath("//a/@href"):
            target, _, fragment = href.partition("#")
            if target in ids and fragment:  # the site menu links the page itself
                assert fragment in ids[target], f"{page.name}: {href} names no entry of {target}"
                checked += 1
    assert checked, "no link from a document to a register entry"


def test_mention_pages_link_back_to_their_entry(paged_site):
    out = paged_site.out_dir
    for page in out.glob("*~*.html"):
        if page.name.startswith(MONTH_PAGE):
            continue
        kind, entry, _ = page.stem.split("~")
        register = dict(REGISTERS)[kind]
        assert parse(page).xpath(f"//h1/a[@href='{register}#{entry}']"), f"{page.name} does not name its entry"
        for link in parse(page).xpath("//a[@rel='prev' or @rel='next']/@href"):
            assert (out / link).is_file(), f"{page.name}: {link} is missing"


# ------------------------------------------------------------------------------------------- the home page

MONTH_PAGE = "correspondence~"
ROW_LINK = "//table[contains(@class,'catalogue')]//th[contains(@class,'who')]/a/@href"


def listed_documents(out: Path) -> tuple[list[str], list[str]]:
    """The documents the home page lists, on itself or on the month pages its timeline links, in the order a reader
    meets them; and those month pages, in the timeline's order."""
    home = parse(out / "index.html")
    months = list(dict.fromkeys(h for h in home.xpath("//section[@class='timeline']//a/@href")
                                if h.startswith(MONTH_PAGE)))
    rows = list(home.xpath(ROW_LINK))
    for month in months:
        rows += parse(out / month).xpath(ROW_LINK)
    return rows, months


def test_small_home_page_is_not_paged(site):
    assert not list(site.out_dir.glob(MONTH_PAGE + "*.html")), "the home page of a few telegrams was paged"


def test_paged_home_page_lists_every_document_in_date_order(whole_site, paged_site):
    whole, no_months = listed_documents(whole_site.out_dir)
    assert not no_months, "an unpaged home page links month pages"
    if len(whole) <= 2:
        pytest.skip("tei/ has two documents of the correspondence or fewer: a page of two holds them all")
    paged, months = listed_documents(paged_site.out_dir)
    assert paged == whole, "paged, the month pages list other documents, or in another order, than the home page"
    assert not parse(paged_site.out_dir / "index.html").xpath(ROW_LINK), "paged, the home page still lists documents"
    written = sorted(p.name for p in paged_site.out_dir.glob(MONTH_PAGE + "*.html"))
    assert sorted(months) == written, "the timeline does not link every month page, or links one that is missing"


def test_month_pages_are_small_and_chained(paged_site):
    out = paged_site.out_dir
    _, months = listed_documents(out)
    if not months:
        pytest.skip("tei/ has two documents of the correspondence or fewer: nothing to page")
    for at, name in enumerate(months):
        page = parse(out / name)
        assert 1 <= len(page.xpath(ROW_LINK)) <= 2, f"{name} holds more documents than a page may"
        assert page.xpath("//a[@href='index.html#timeline-heading']"), f"{name} does not lead back to the timeline"
        assert page.xpath("//a[@rel='prev']/@href") == (months[at - 1:at] if at else []), f"{name}: wrong previous page"
        assert page.xpath("//a[@rel='next']/@href") == months[at + 1:at + 2], f"{name}: wrong next page"
