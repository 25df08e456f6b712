"""The committed list of TEI element names is what `make schema` derives from the TEI source."""

from __future__ import annotations

import pytest

from telegrams.project import p5subset
from telegrams.validate import teinames


def test_the_list_knows_tei_elements_and_only_them():
    assert teinames.is_tei_element("persName") and teinames.is_tei_element("{http://www.tei-c.org/ns/1.0}location")
    assert not teinames.is_tei_element("persNmae") and not teinames.is_tei_element("{urn:other}location")
    assert teinames.modules()["location"] == "namesdates"


@pytest.mark.skipif(p5subset() is None, reason="the TEI source p5subset.xml is absent (../shared or $TEI_P5SUBSET)")
def test_the_committed_list_is_derived_from_the_tei_source():
    assert teinames.DATA.read_bytes() == teinames.derive(p5subset()), "run `make schema` and commit the result"
