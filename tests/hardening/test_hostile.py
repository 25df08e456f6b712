"""Hostile input through `telegrams validate`: refused or handled with file:line:col: error:, exit 1, no traceback,
no file or network access it was not asked for, bounded time and memory.

The hostile files are in fixtures/ (PORT stands for a port this test listens on); the ones too large or too odd to
keep as files (200 MB, 10,000 levels, FIFOs, symlinks) are made in tmp_path.
"""

import os
import re
import shutil
import socket
from pathlib import Path

import pytest

from .hardening_support import FIXTURES, module_exists, run_cli, run_python
from telegrams import project
from telegrams.xmlio import TEI_NS

MEMORY_LIMIT_MB = 300
TIME_LIMIT_S = 20
PASSWD_LINE = "root:x:0:0"


LOCATED = r"^\s*{}:\d+:\d+: error: \S"


def assert_refused(outcome, path: Path, words: str | None = None):
    """Exit 1 with a located plain message for the file, and nothing a hostile file could have leaked or cost."""
    assert not outcome.timed_out, f"no answer within {TIME_LIMIT_S} s"
    assert outcome.exit == 1, outcome.out
    assert "Traceback" not in outcome.out, outcome.out
    assert re.search(LOCATED.format(re.escape(str(path))), outcome.out, re.M), outcome.out
    assert PASSWD_LINE not in outcome.out
    assert outcome.rss_mb < MEMORY_LIMIT_MB, f"peak RSS {outcome.rss_mb:.0f} MB"
    if words:
        assert words in outcome.out, outcome.out


@pytest.fixture
def listener():
    """A local TCP port that records whether anything connected to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.setblocking(False)
    yield server
    server.close()


def connections(server) -> int:
    count = 0
    while True:
        try:
            connection, _ = server.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


def place(tmp_path: Path, name: str, port: int = 0) -> Path:
    path = tmp_path / name
    path.write_bytes((FIXTURES / name).read_bytes().replace(b"PORT", str(port).encode()))
    return path


@pytest.mark.parametrize("name, words", [
    ("xxe-file.xml", "DOCTYPE"),
    ("billion-laughs.xml", None),
    ("invalid-utf8.xml", "UTF-8"),
    ("utf16-broken.xml", None),
])
def test_hostile_file_is_refused_with_a_located_message(project_copy, tmp_path, name, words):
    path = place(tmp_path, name)
    outcome = run_cli("validate", path, root=project_copy, timeout=TIME_LIMIT_S)
    assert_refused(outcome, path, words)


def test_utf16_is_refused_plainly_or_its_error_located_on_its_line(project_copy, tmp_path):
    path = place(tmp_path, "utf16-broken.xml")
    outcome = run_cli("validate", path, root=project_copy, timeout=TIME_LIMIT_S)
    assert f"{path}:3:" in outcome.out or re.search(rf"{re.escape(str(path))}:1:1: error: .*UTF-16", outcome.out), \
        outcome.out


@pytest.mark.parametrize("name", ["xxe-network.xml", "external-dtd-network.xml", "xinclude-network.xml",
                                  "xml-model-network.xml"])
def test_no_network_access(project_copy, tmp_path, listener, name, schema_layer_active):
    path = place(tmp_path, name, listener.getsockname()[1])
    outcome = run_cli("validate", path, root=project_copy, timeout=TIME_LIMIT_S)
    assert connections(listener) == 0, f"validate connected to the network for {name}"
    assert "Traceback" not in outcome.out and not outcome.timed_out
    if name.startswith(("xxe", "external-dtd")) or schema_layer_active:  # the other two are well-formed XML
        assert_refused(outcome, path)


def test_xinclude_is_not_followed(project_copy, tmp_path, schema_layer_active):
    path = place(tmp_path, "xinclude-file.xml")
    outcome = run_cli("validate", path, root=project_copy, timeout=TIME_LIMIT_S)
    assert PASSWD_LINE not in outcome.out and "Traceback" not in outcome.out
    if schema_layer_active:  # then <xi:include> is an element the schema does not allow, reported where it is
        assert_refused(outcome, path)
        assert f"{path}:4:" in outcome.out


def test_quadratic_blowup_is_refused(project_copy, tmp_path):
    path = tmp_path / "quadratic.xml"
    entity = "a" * 50_000
    path.write_text(f'<!DOCTYPE TEI [<!ENTITY a "{entity}">]>\n<TEI xmlns="{TEI_NS}">' + "&a;" * 50_000 + "</TEI>")
    assert_refused(run_cli("validate", path, root=project_copy, timeout=TIME_LIMIT_S), path)


def test_a_200_mb_file_is_refused_by_its_size_without_reading_it(project_copy, tmp_path):
    path = tmp_path / "huge.xml"
    with open(path, "wb") as handle:  # sparse: 200 MB long, almost nothing on disk
        handle.write(f'<TEI xmlns="{TEI_NS}">'.encode())
        handle.truncate(200 * 1024 * 1024)
    outcome = run_cli("validate", path, root=project_copy, timeout=TIME_LIMIT_S)
    assert_refused(outcome, path, "too large")
    assert outcome.rss_mb < 150 and outcome.wall < 10


def test_a_10000_level_tree_is_refused(project_copy, tmp_path):
    path = tmp_path / "deep.xml"
    path.write_text(f'<TEI xmlns="{TEI_NS}"><text><body>' + "<div>" * 10_000 + "</div>" * 10_000
                    + "</body></text></TEI>\n")
    assert_refused(run_cli("validate", path, root=project_copy, timeout=TIME_LIMIT_S), path, "depth")


def test_a_200_level_tree_is_handled_by_every_layer(project_copy, tmp_path):
    """Deep but within the parser's limit: the later layers (schema, Schematron) must not recurse to death."""
    path = tmp_path / "deep200.xml"
    path.write_text(f'<TEI xmlns="{TEI_NS}" xml:id="deep200"><text><body><p>' + "<hi>" * 200 + "x"
                    + "</hi>" * 200 + "</p></body></text></TEI>\n")
    outcome = run_cli("validate", path, root=project_copy, timeout=TIME_LIMIT_S)
    assert not outcome.timed_out and outcome.exit in (0, 1)
    assert "Traceback" not in outcome.out and "RecursionError" not in outcome.out
    assert outcome.rss_mb < MEMORY_LIMIT_MB


def test_a_path_outside_the_project_that_is_not_xml(project_copy):
    outcome = run_cli("validate", "/etc/passwd", root=project_copy, timeout=TIME_LIMIT_S)
    assert_refused(outcome, Path("/etc/passwd"))


def test_a_symlink_in_tei_to_a_file_outside_the_project(project_copy, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(project_copy, root)
    link = root / "tei" / "tg-1950-01-01-evil.xml"
    link.symlink_to("/etc/passwd")
    outcome = run_cli("validate", root / "tei", root=root, timeout=TIME_LIMIT_S)
    assert outcome.exit == 1 and "Traceback" not in outcome.out and PASSWD_LINE not in outcome.out
    assert re.search(LOCATED.format(re.escape(str(link))), outcome.out, re.M), outcome.out


def test_symlink_loops_end(project_copy, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(project_copy, root)
    loop = root / "tei" / "loop.xml"
    loop.symlink_to("loop.xml")
    (root / "tei" / "sub").mkdir()
    (root / "tei" / "sub" / "up").symlink_to("..", target_is_directory=True)
    outcome = run_cli("validate", root / "tei", root=root, timeout=TIME_LIMIT_S)
    assert_refused(outcome, loop, "symbolic links")


def _fifo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def test_a_doctype_never_opens_its_external_subset(project_copy, tmp_path):
    fifo = _fifo(tmp_path / "outside" / "tei.dtd")
    path = tmp_path / "dtd.xml"
    path.write_text(f'<!DOCTYPE TEI SYSTEM "{fifo}">\n<TEI xmlns="{TEI_NS}"/>\n')
    outcome = run_cli("validate", path, root=project_copy, timeout=TIME_LIMIT_S, fifos=(fifo,))
    assert not outcome.opened, "the external DTD was opened (a FIFO here: without this test's help it hangs)"
    assert_refused(outcome, path, "DOCTYPE")


def test_a_fifo_in_tei_is_refused_without_opening_it(project_copy, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(project_copy, root)
    fifo = _fifo(root / "tei" / "tg-1950-01-01-fifo.xml")
    outcome = run_cli("validate", root / "tei", root=root, timeout=TIME_LIMIT_S, fifos=(fifo,))
    assert not outcome.opened, "validate opened a FIFO (without this test's help it hangs for ever)"
    assert_refused(outcome, fifo, "not a regular file")


@pytest.mark.skipif(not module_exists("telegrams.validate.corpus"), reason="corpus checks not available yet")
def test_pointers_never_open_files_outside_the_project(project_copy, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(project_copy, root)
    fifo = _fifo(tmp_path / "outside" / "registers.xml")
    path = root / "tei" / "tg-1950-11-07-outside-pointer.xml"
    path.write_text(f'<TEI xmlns="{TEI_NS}" xml:id="tg-1950-11-07-outside-pointer"><text><body><p>'
                    f'<persName ref="../../outside/registers.xml#pers-x">X</persName>'
                    f'<persName ref="{fifo}#pers-y">Y</persName><ptr target="file://{fifo}"/></p></body></text></TEI>\n')
    outcome = run_cli("validate", path, root=root, timeout=TIME_LIMIT_S, fifos=(fifo,))
    assert not outcome.opened, "a pointer made validate open a file outside the project"
    assert_refused(outcome, path)


@pytest.mark.parametrize("name, make, words", [
    ("billion-laughs.xml", None, "DOCTYPE"),
    ("external-dtd-device.xml", None, "DOCTYPE"),
    pytest.param("deep.xml", 10_000, "nested"),
])
def test_refusals_are_in_plain_words(project_copy, tmp_path, name, make, words):
    if make:
        path = tmp_path / name
        path.write_text(f'<TEI xmlns="{TEI_NS}">' + "<div>" * make + "</div>" * make + "</TEI>")
    else:
        path = place(tmp_path, name)
    outcome = run_cli("validate", path, root=project_copy, timeout=TIME_LIMIT_S)
    assert_refused(outcome, path, words)
    assert not re.search(r"XML_PARSE_HUGE|xmlCtxt|external subset", outcome.out), outcome.out


# ---- the safe parser itself, which every other stage (html, text, deposit, schema) reads through ----------------

PARSE = "import sys\nfrom telegrams import xmlio\ntry:\n    xmlio.parse(sys.argv[1])\nexcept xmlio.FindingError as err:\n" \
        "    print(err.finding)\n    sys.exit(1)\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_xmlio_never_opens_a_doctypes_external_subset(tmp_path, encoding):
    """In any encoding libxml2 reads, a BOM included: the DOCTYPE must be seen before libxml2 sees it."""
    fifo = _fifo(tmp_path / "outside" / "tei.dtd")
    path = tmp_path / "dtd.xml"
    declared = "UTF-16" if encoding == "utf-16" else "UTF-8"
    path.write_bytes(f'<?xml version="1.0" encoding="{declared}"?>\n<!DOCTYPE TEI SYSTEM "{fifo}">\n'
                     f'<TEI xmlns="{TEI_NS}"/>\n'.encode(encoding))
    outcome = run_python(["-c", PARSE, str(path)], timeout=TIME_LIMIT_S, fifos=(fifo,))
    assert not outcome.opened, "xmlio.parse opened the external DTD (a FIFO here: without this test's help it hangs)"
    assert_refused(outcome, path, "DOCTYPE")


def test_xmlio_refuses_a_fifo_without_opening_it(tmp_path):
    fifo = _fifo(tmp_path / "tei" / "tg-1950-01-01-fifo.xml")
    outcome = run_python(["-c", PARSE, str(fifo)], timeout=TIME_LIMIT_S, fifos=(fifo,))
    assert not outcome.opened, "xmlio.parse opened a FIFO (without this test's help it hangs for ever)"
    assert_refused(outcome, fifo, "regular file")


@pytest.mark.parametrize("name", [
    pytest.param("billion-laughs.xml"),
    pytest.param("external-dtd-device.xml"),
    "xxe-file.xml",
])
def test_xmlio_refuses_any_doctype_in_plain_words(tmp_path, name):
    path = place(tmp_path, name)
    outcome = run_python(["-c", PARSE, str(path)], timeout=TIME_LIMIT_S)
    assert_refused(outcome, path, "DOCTYPE")


@pytest.mark.skipif(not module_exists("telegrams.editions.text_command"), reason="`telegrams text` not available yet")
def test_the_text_edition_never_opens_a_doctypes_external_subset(project_copy, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(project_copy, root)
    if project.XSLT_DIR.is_dir():
        shutil.copytree(project.XSLT_DIR, root / "xslt")
    fifo = _fifo(tmp_path / "outside" / "tei.dtd")
    path = root / "tei" / "tg-1950-11-07-dtd.xml"
    path.write_text(f'<!DOCTYPE TEI SYSTEM "{fifo}">\n<TEI xmlns="{TEI_NS}" xml:id="tg-1950-11-07-dtd"/>\n')
    outcome = run_cli("text", root=root, timeout=60, fifos=(fifo,))
    assert not outcome.opened, "`telegrams text` opened the external DTD of a file in tei/ (it hangs without help)"
    assert re.search(LOCATED.format(re.escape(str(path))), outcome.out, re.M), outcome.out




@pytest.mark.skipif(not module_exists("telegrams.validate.corpus"), reason="corpus checks not available yet")
def test_a_pointer_to_a_file_outside_the_project_does_not_resolve(project_copy, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(project_copy, root)
    outside = tmp_path / "outside" / "registers.xml"
    outside.parent.mkdir()
    outside.write_text(f'<TEI xmlns="{TEI_NS}" xml:id="elsewhere"><standOff><listPerson>'
                       f'<person xml:id="pers-x"><persName>X</persName></person></listPerson></standOff></TEI>\n')
    path = root / "tei" / "tg-1950-11-07-pointer.xml"
    path.write_text(f'<TEI xmlns="{TEI_NS}" xml:id="tg-1950-11-07-pointer"><text><body><p>\n'
                    f'<persName ref="../../outside/registers.xml#pers-x">X</persName></p></body></text></TEI>\n')
    outcome = run_cli("validate", "--no-cache", path, root=root, timeout=TIME_LIMIT_S)
    assert "Traceback" not in outcome.out
    assert re.search(rf"^\s*{re.escape(str(path))}:2:\d+: error: @ref", outcome.out, re.M), outcome.out
