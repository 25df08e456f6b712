"""Fixtures of the hardening tests: a throwaway project root, and whether the schema layer is wired in yet."""

import shutil
import tempfile
from pathlib import Path

import pytest

from .hardening_support import BENCH_FIXTURES, module_exists, run_cli
from telegrams import project
from telegrams.xmlio import TEI_NS


@pytest.fixture(scope="session")
def project_copy(tmp_path_factory) -> Path:
    """A throwaway project root: the register and the schema (when compiled), and an empty tei/ to fill."""
    root = tmp_path_factory.mktemp("project")
    (root / "tei").mkdir()
    registers = project.REGISTERS if project.REGISTERS.is_file() else BENCH_FIXTURES / "registers.xml"
    shutil.copyfile(registers, root / "tei" / "registers.xml")
    if project.SCHEMA_DIR.is_dir():
        shutil.copytree(project.SCHEMA_DIR, root / "schema")
    if (root / "schema" / "telegrams.odd").is_file() and not (root / "schema" / "telegrams.rng").is_file() \
            and module_exists("telegrams.odd.command") and project.p5subset():
        run_cli("schema", root=root, timeout=120)  # not committed yet: compile it, so validation is complete
    return root


@pytest.fixture(scope="session")
def schema_layer_active(project_copy, tmp_path_factory) -> bool:
    """True when `telegrams validate` rejects an element the TEI does not have (RELAX NG is wired in)."""
    probe = tmp_path_factory.mktemp("probe") / "probe.xml"
    probe.write_text(f'<TEI xmlns="{TEI_NS}" xml:id="probe"><blink/></TEI>\n')
    return run_cli("validate", probe, root=project_copy).exit == 1


def pytest_configure(config):
    # Hypothesis keeps a cache (.hypothesis/) in the working folder; keep it out of the project.
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "telegrams-hypothesis")
    config.addinivalue_line("markers", "fuzz: generated and mutated input (FUZZ_EXAMPLES=N for a full run)")
