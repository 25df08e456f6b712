"""XML catalogs: the only way a URL becomes a file for the ODD processor (nothing is fetched)."""

from __future__ import annotations

import pytest

from telegrams.findings import FindingError
from telegrams.odd.catalog import Catalog

CATALOG = '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">{}</catalog>'


def write(path, entries: str):
    path.write_text(CATALOG.format(entries))
    return path


def test_uri_rewrite_and_next_catalog_in_order(tmp_path):
    write(tmp_path / "next.xml", '<uri name="https://x.org/a.rng" uri="from-next.rng"/>'
                                 '<uri name="https://x.org/b.rng" uri="b.rng"/>')
    main = write(tmp_path / "main.xml", '<nextCatalog catalog="next.xml"/>'
                                        '<uri name="https://x.org/a.rng" uri="sub/a.rng"/>'
                                        '<rewriteURI uriStartString="https://x.org/lib/" rewritePrefix="local/"/>'
                                        '<rewriteURI uriStartString="https://x.org/lib/deep/" rewritePrefix="deep/"/>')
    catalog = Catalog([main])
    assert catalog.resolve("https://x.org/a.rng") == tmp_path / "sub" / "a.rng"  # this catalog before nextCatalog
    assert catalog.resolve("https://x.org/b.rng") == tmp_path / "b.rng"
    assert catalog.resolve("https://x.org/lib/m/n.rng") == tmp_path / "local" / "m" / "n.rng"
    assert catalog.resolve("https://x.org/lib/deep/n.rng") == tmp_path / "deep" / "n.rng"  # longest prefix
    assert catalog.resolve("https://x.org/other.rng") is None


def test_locate_resolves_relative_references_against_their_base(tmp_path):
    catalog = Catalog([write(tmp_path / "c.xml", '<rewriteURI uriStartString="https://x.org/" '
                                                  'rewritePrefix="mirror/"/>')])
    assert catalog.locate("inc.rng", "https://x.org/s/main.rng") == ("https://x.org/s/inc.rng",
                                                                     tmp_path / "mirror" / "s" / "inc.rng")
    assert catalog.locate("inc.rng", (tmp_path / "main.rng").as_uri())[1] == tmp_path / "inc.rng"
    assert catalog.locate("https://elsewhere.org/x.rng", (tmp_path / "m.rng").as_uri())[1] is None


def test_environment_and_a_missing_catalog(tmp_path, monkeypatch):
    main = write(tmp_path / "env.xml", '<uri name="https://x.org/e.rng" uri="e.rng"/>')
    monkeypatch.setenv("XML_CATALOG_FILES", f"{main} {tmp_path / 'missing.xml'}")
    with pytest.raises(FindingError):
        Catalog.from_environment()
    monkeypatch.setenv("XML_CATALOG_FILES", main.as_uri())
    assert Catalog.from_environment().resolve("https://x.org/e.rng") == tmp_path / "e.rng"
