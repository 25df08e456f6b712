"""The language server driven end to end as an editor drives it (pytest-lsp, over stdio).

A copy of the project (tei/ and schema/) is made per test, so that edits through the server never touch the
sources. Each layer's mistake is typed into an open, unsaved buffer and must come back at its own range.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs pygls (pip install '.[editor]')")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="pytest-lsp is not installed (pip install '.[test]')")
from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

from telegrams.project import ROOT, xml_files  # noqa: E402

pytestmark = pytest.mark.asyncio
WAIT = 120  # seconds: a generous bound so that a server that never answers fails the test instead of hanging it


async def _published(client: LanguageClient) -> None:
    await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), WAIT)


def _a_telegram() -> Path:
    """The first document of the corpus that has a correspDesc (any of them serves)."""
    for path in xml_files(ROOT / "tei"):
        if "<correspDesc" in path.read_text(encoding="utf-8") and "<date when=" in path.read_text(encoding="utf-8"):
            return path
    pytest.skip("the corpus holds no telegram with a dated correspDesc")


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(ROOT / "tei", tmp_path / "tei")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "telegrams", "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="xml", version=1, text=text)))
    await _published(client)
    return uri


async def _change(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
    await _published(client)


def _position(text: str, needle: str, inside: int = 0) -> types.Position:
    offset = text.index(needle) + inside
    line = text.count("\n", 0, offset)
    return types.Position(line, offset - (text.rfind("\n", 0, offset) + 1))


def _codes(client: LanguageClient, uri: str) -> dict[str, types.Diagnostic]:
    return {str(d.code): d for d in client.diagnostics.get(uri, [])}


async def _fix_edits(client: LanguageClient, uri: str, diagnostic: types.Diagnostic) -> list[types.TextEdit]:
    """The edits of the first code action the server offers for this diagnostic (the test fails if none)."""
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=types.CodeActionContext(diagnostics=[diagnostic])))
    assert actions, f"no code action offered for: {diagnostic.message}"
    (edits,) = actions[0].edit.changes.values()
    return edits


async def test_a_clean_document_has_no_diagnostic(client, project):
    path = project / "tei" / _a_telegram().name
    uri = await _open(client, path, path.read_text(encoding="utf-8"))
    assert [d for d in client.diagnostics[uri] if d.severity == types.DiagnosticSeverity.Error] == []


async def test_a_mistake_of_each_layer_is_reported_at_its_range_before_saving(client, project):
    path = project / "tei" / _a_telegram().name
    text = path.read_text(encoding="utf-8")
    uri = await _open(client, path, text)
    # RELAX NG: an element that does not exist; Schematron: a range whose ends are swapped; corpus: a pointer to a
    # register entry that does not exist.
    body = text.index("<p", text.index("<body>"))
    planted = (text[:body] + '<p><persname ref="registers.xml#pers-mao">Mao</persname> '
               '<date notBefore="1951-06-09" notAfter="1951-06-01" cert="low">June</date> '
               '<persName ref="registers.xml#pers-nobody">X</persName></p>\n' + text[body:])
    await _change(client, uri, planted, 2)
    codes = _codes(client, uri)
    assert "rng-unknown" in codes, codes
    assert codes["rng-unknown"].range.start == _position(planted, "<persname")
    assert any("date-ranges-are-ordered" in code for code in codes), codes
    pointer = codes["pointer"]
    assert pointer.range.start.line == _position(planted, 'ref="registers.xml#pers-nobody"').line
    assert "pers-nobody" in pointer.message
    assert path.read_text(encoding="utf-8") == text  # nothing was saved


async def test_a_well_formedness_error_is_reported_at_the_tag_left_open(client, project):
    path = project / "tei" / _a_telegram().name
    text = path.read_text(encoding="utf-8")
    uri = await _open(client, path, text)
    body = text.index("<p", text.index("<body>"))
    await _change(client, uri, text[:body] + "<p>unclosed\n" + text[body:], 2)
    diagnostic = _codes(client, uri)["well-formed"]
    assert diagnostic.range.start.line == text.count("\n", 0, body)


async def test_register_pointers_complete_with_their_names(client, project):
    path = project / "tei" / _a_telegram().name
    text = path.read_text(encoding="utf-8")
    uri = await _open(client, path, text)
    at = _position(text, 'ref="registers.xml#', len('ref="registers.xml#'))
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at))
    labels = {item.label: item.detail for item in result.items}
    registers = (project / "tei" / "registers.xml").read_text(encoding="utf-8")
    assert 'xml:id="pers-mao"' in registers
    assert "registers.xml#pers-mao" in labels
    assert labels["registers.xml#pers-mao"].startswith("person: ")


async def test_closed_values_and_elements_complete(client, project):
    path = project / "tei" / _a_telegram().name
    text = path.read_text(encoding="utf-8")
    uri = await _open(client, path, text)
    at = _position(text, '<correspAction type="', len('<correspAction type="'))
    values = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at))
    assert {"sent", "received"} <= {item.label for item in values.items}
    # after '<' just inside a correspAction: the names and dates of the action, never a paragraph of the body's
    opening = text.index(">", text.index("<correspAction")) + 1
    typed = text[:opening] + "<" + text[opening:]
    await _change(client, uri, typed, 2)
    elements = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=_position(typed, "<", opening + 1 -
                                                                                 typed.index("<"))))
    names = {item.label for item in elements.items}
    assert {"persName", "date", "placeName"} <= names and "body" not in names


async def test_hover_and_definition_of_a_pointer(client, project):
    path = project / "tei" / _a_telegram().name
    text = path.read_text(encoding="utf-8")
    uri = await _open(client, path, text)
    start = text.index('ref="registers.xml#') + len('ref="')
    token = text[start:text.index('"', start)]
    at = _position(text, token, 3)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at))
    assert hover is not None and token.split("#")[1] in hover.contents.value
    location = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at))
    registers = project / "tei" / "registers.xml"
    assert location.uri == registers.resolve().as_uri()
    line = registers.read_text(encoding="utf-8").split("\n")[location.range.start.line]
    assert f'xml:id="{token.split("#")[1]}"' in line


async def test_a_code_action_pastes_the_missing_entry(client, project):
    path = project / "tei" / _a_telegram().name
    text = path.read_text(encoding="utf-8")
    start = text.index('ref="registers.xml#pers-') + len('ref="registers.xml#')
    planted = text[:start] + "pers-newcomer" + text[text.index('"', start):]
    uri = await _open(client, path, planted)
    edits = await _fix_edits(client, uri, _codes(client, uri)["pointer"])
    assert 'xml:id="pers-newcomer"' in edits[0].new_text
    registers = (project / "tei" / "registers.xml").read_text(encoding="utf-8").split("\n")
    assert "</listPerson>" in registers[edits[0].range.start.line]


async def test_a_code_action_closes_an_element_left_open_where_the_schemas_accept_it(client, project):
    path = project / "tei" / _a_telegram().name
    text = path.read_text(encoding="utf-8")
    closing = text.index("</p>", text.index("<body>"))
    planted = text[:closing] + text[closing + len("</p>"):]
    uri = await _open(client, path, planted)
    edits = await _fix_edits(client, uri, _codes(client, uri)["well-formed"])
    assert edits[0].new_text == "</p>"
    lines = planted.split("\n")
    at = edits[0].range.start
    lines[at.line] = lines[at.line][:at.character] + "</p>" + lines[at.line][at.character:]
    await _change(client, uri, "\n".join(lines), 2)
    assert [d for d in client.diagnostics[uri] if d.severity == types.DiagnosticSeverity.Error] == []


async def test_a_change_to_the_registers_rechecks_open_documents(client, project):
    path = project / "tei" / _a_telegram().name
    text = path.read_text(encoding="utf-8")
    uri = await _open(client, path, text)
    start = text.index('ref="registers.xml#') + len('ref="registers.xml#')
    ident = text[start:text.index('"', start)]
    registers = project / "tei" / "registers.xml"
    register_text = registers.read_text(encoding="utf-8")
    register_uri = await _open(client, registers, register_text)
    renamed = register_text.replace(f'xml:id="{ident}"', f'xml:id="{ident}-renamed"')
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=register_uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=renamed)]))
    for _ in range(2):  # the registers' own diagnostics, then the telegram's
        await _published(client)
    assert any(ident in d.message for d in client.diagnostics[uri] if d.code == "pointer")
