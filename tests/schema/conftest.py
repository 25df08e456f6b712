"""Fixtures of the schema tests: the ODD compiled by the official TEI chain (cached), its RNG and Schematron."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from telegrams import project

ODD = project.SCHEMA_DIR / "telegrams.odd"
FIXTURES = Path(__file__).parent / "fixtures"
CACHE = project.BUILD_DIR / "cache" / "schema-official"
RNG_LOAD_TIMEOUT = 60  # seconds; libxml2 can hang compiling some official RNGs (see odd-processing.md §9)


EXAMPLES = project.ROOT / "docs" / "examples"


def examples() -> list[Path]:
    """Return the worked examples of the encoding guidelines (docs/examples/*.xml)."""
    return sorted(EXAMPLES.glob("*.xml"))


def corpus_templates_and_examples() -> list[Path]:
    """Return every TEI file of tei/, with the templates and the worked examples (which must stay valid too)."""
    return project.corpus_files() + sorted((project.TEI_DIR / "templates").glob("*.xml")) + examples()


def _official_tools() -> tuple[Path, Path]:
    shared = project.shared_dir()
    script = shared / "tei" / "official-compile" if shared else None
    p5 = project.p5subset()
    if script is None or not script.is_file() or p5 is None:
        pytest.skip("the official ODD chain (../shared/tei/official-compile and p5subset.xml, or $TELEGRAMS_SHARED) "
                    "is not available")
    return script, p5


@pytest.fixture(scope="session")
def official() -> Path:
    """Return a folder with telegrams.compiled.odd, .rng and .isosch from the official chain, cached by content."""
    script, p5 = _official_tools()
    key = hashlib.sha256(ODD.read_bytes() + script.read_bytes() + str(p5.stat().st_size).encode()).hexdigest()[:16]
    target = CACHE / key
    if not (target / "telegrams.isosch").is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=CACHE, prefix=".tmp-"))
        try:
            done = subprocess.run([sys.executable, str(script), str(ODD), str(work), str(p5)],
                                  capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, f"the official chain failed on schema/telegrams.odd:\n{done.stderr}"
            if not target.exists():  # another session may have finished the same compile meanwhile
                os.replace(work, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return target


@pytest.fixture(scope="session")
def compiled_tree(official):
    from telegrams import xmlio

    return xmlio.parse(official / "telegrams.compiled.odd").tree


@pytest.fixture(scope="session")
def rng(official):
    """Return the official RNG loaded in lxml, after checking in a subprocess that loading does not hang."""
    from lxml import etree

    path = official / "telegrams.rng"
    probe = f"from lxml import etree; etree.RelaxNG(file={str(path)!r})"
    try:
        subprocess.run([sys.executable, "-c", probe], check=True, timeout=RNG_LOAD_TIMEOUT, capture_output=True)
    except subprocess.TimeoutExpired:
        pytest.fail(f"lxml does not finish loading {path} within {RNG_LOAD_TIMEOUT} s (libxml2 hang, see "
                    "odd-processing.md §9): adjust the @include lists of schema/telegrams.odd")
    return etree.RelaxNG(file=str(path))


@pytest.fixture(scope="session")
def schematron(official):
    pytest.importorskip("saxonche")
    from .schematron_runner import SchematronRunner

    return SchematronRunner(official / "telegrams.isosch")


@pytest.fixture(scope="session")
def tei_all():
    """Return TEI's own tei_all RELAX NG, loaded once (about 13 s), or skip where ../shared is absent."""
    from lxml import etree

    shared = project.shared_dir()
    schema = shared / "tei" / "reference" / "tei_all.rng" if shared else None
    if schema is None or not schema.is_file():
        pytest.skip("tei_all.rng (../shared/tei/reference or $TELEGRAMS_SHARED/tei/reference) is not available")
    return etree.RelaxNG(file=str(schema))
