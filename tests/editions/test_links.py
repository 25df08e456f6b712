"""Every internal link of the site resolves: the file exists and so does the #fragment it names."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import lxml.html


def pages(out_dir):
    return sorted(out_dir.glob("*.html"))


def ids_of(path, cache={}):
    if path not in cache:
        cache[path] = set(lxml.html.parse(str(path)).getroot().xpath("//@id"))
    return cache[path]


def test_every_internal_link_resolves(site):
    out = site.out_dir
    broken = []
    checked = 0
    for page in pages(out):
        root = lxml.html.parse(str(page)).getroot()
        for element, attribute in [(el, "href") for el in root.xpath("//*[@href]")] + \
                                  [(el, "src") for el in root.xpath("//*[@src]")]:
            link = element.get(attribute)
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue  # the web (archive records, licences) and data: URLs
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            checked += 1
            if not target.is_file():
                broken.append(f"{page.name}: {link} (no such file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids_of(target):
                broken.append(f"{page.name}: {link} (no element with that id)")
    assert checked > 100, f"only {checked} links were checked"
    assert broken == [], "\n".join(broken[:20])


def test_ids_are_unique_in_every_page(site):
    for page in pages(site.out_dir):
        ids = lxml.html.parse(str(page)).getroot().xpath("//@id")
        duplicates = {i for i in ids if ids.count(i) > 1}
        assert not duplicates, f"{page.name}: duplicate ids {sorted(duplicates)[:10]}"


def test_no_external_resources_are_loaded(site):
    """No fonts, scripts, styles or images from elsewhere: the edition works offline."""
    for page in pages(site.out_dir):
        root = lxml.html.parse(str(page)).getroot()
        for link in root.xpath("//script/@src | //link[@rel='stylesheet']/@href | //img/@src | //link[@rel='icon']/@href"):
            assert not urlsplit(link).scheme or link.startswith("data:"), f"{page.name} loads {link}"
    for asset in (site.out_dir / "assets").iterdir():
        text = asset.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text and "@import" not in text, asset.name


def test_mentions_link_both_ways(site):
    """A name in a telegram links to its register entry, and the entry links back to that very name."""
    register_links = {}
    for page in pages(site.out_dir):
        if not page.name.startswith("tg-"):
            continue
        for a in lxml.html.parse(str(page)).getroot().xpath("//div[contains(@class,'text-body')]//a[@id][starts-with(@id,'m')]"):
            register_links[f"{page.name}#{a.get('id')}"] = a.get("href")
    assert register_links, "no linked mentions in the telegrams"
    back = set()
    for register in ("persons.html", "places.html", "organisations.html"):
        for a in lxml.html.parse(str(site.out_dir / register)).getroot().xpath("//a[contains(@class,'mention')][not(contains(@class,'mention-doc'))]"):
            back.add((a.get("href"), register + "#" + a.xpath("ancestor::section[contains(@class,'entry')]/@id")[0]))
    for mention, entry in register_links.items():
        assert (mention, entry) in back, f"{mention} -> {entry} has no link back from the register"
