"""A large register is paged, and no link is lost: the same corpus built whole and paged links the same mentions.

The paged build sets the page size to two documents, so that tei/ alone (a handful of telegrams) pages its registers
the way 10,000 telegrams page them at the real size.
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
        kind, entry, _ = page.stem.split("~")
        register = dict(REGISTERS)[kind]
        assert parse(page).xpath(f"//h1/a[@href='{register}#{entry}']"), f"{page.name} does not name its entry"
        for link in parse(page).xpath("//a[@rel='prev' or @rel='next']/@href"):
            assert (out / link).is_file(), f"{page.name}: {link} is missing"
