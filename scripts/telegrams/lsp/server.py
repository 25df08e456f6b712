"""`telegrams lsp`: the edition's checks inside the editor, over the Language Server Protocol (stdio).

On open and on every change of a buffer (debounced), the server publishes the findings of all four layers of
`telegrams validate` at their ranges, the rule as the diagnostic's code. It completes register pointers (with the
entry's name and description), closed-list values and the elements the schema allows at the cursor; hover on a
pointer shows its register entry, go-to-definition jumps to it, and code actions paste the stub of a missing
entry into the registers and insert the end tag of an element left open where the schemas accept it. A change to
the registers re-checks every open document.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..findings import ERROR, INFO, WARNING, Finding
from .analysis import Workspace, entry_stub, word_at

DEBOUNCE_SECONDS = 0.15
_SEVERITY = {ERROR: types.DiagnosticSeverity.Error, WARNING: types.DiagnosticSeverity.Warning,
             INFO: types.DiagnosticSeverity.Information}
_MISSING_ENTRY = re.compile(r'points to xml:id "([^"]+)", which does not exist in registers\.xml')
_LISTS = {"pers": "listPerson", "place": "listPlace", "org": "listOrg"}
_CLOSE_AT = re.compile(r"add (</[^>\s]+>) where the element ends; the schemas accept the file with it at line (\d+), "
                       r"column (\d+)")


class TelegramsServer(LanguageServer):
    def __init__(self):
        super().__init__("telegrams", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.project: Workspace | None = None
        self.pending: dict[str, asyncio.Task] = {}

    def project_for(self, uri: str) -> Workspace:
        if self.project is None:
            self.project = Workspace(_root_of(_path(uri)))
        return self.project


server = TelegramsServer()


def _path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def _root_of(path: Path) -> Path:
    """The project folder holding this file: the nearest folder above it with tei/ and schema/."""
    for folder in [path.parent, *path.parents]:
        if (folder / "tei").is_dir() and (folder / "schema" / "telegrams.rng").is_file():
            return folder
    from ..project import ROOT

    return ROOT


def _range(lines: list[str], line: int, column: int) -> types.Range:
    """The range of a finding: from its position to the end of the name, value or word that starts there."""
    row = max(line - 1, 0)
    text = lines[row] if row < len(lines) else ""
    start = min(max(column - 1, 0), len(text))
    end = start
    if end < len(text) and text[end] in "<&":
        end += 1
    while end < len(text) and not text[end].isspace() and text[end] not in "<>\"'=":
        end += 1
    if end < len(text) and text[end] in "=\"'":  # an attribute: take its value too
        match = re.match(r"=\s*(\"[^\"]*\"|'[^']*')", text[end:])
        if match:
            end += match.end()
    return types.Range(types.Position(row, start), types.Position(row, max(end, start + 1)))


def diagnostics(project: Workspace, path: str, text: str) -> list[types.Diagnostic]:
    lines = text.split("\n")
    found = []
    try:
        findings = project.diagnose(path, text)
    except Exception as err:  # noqa: BLE001 - the editor must hear of it, not wait for diagnostics forever
        findings = [Finding(path, 1, 1, ERROR, "internal", f"the validator failed on this buffer "
                                                           f"({type(err).__name__}: {err}); please report it")]
    for finding in findings:
        found.append(types.Diagnostic(
            range=_range(lines, finding.line, finding.column), message=finding.message,
            severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Error), code=finding.rule,
            source="telegrams"))
    return found


def _publish(ls: TelegramsServer, uri: str) -> None:
    document = ls.workspace.get_text_document(uri)
    project = ls.project_for(uri)
    path = str(_path(uri).resolve())
    project.open[path] = document.source
    result = diagnostics(project, path, document.source)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=result,
                                                                        version=document.version))


async def _later(ls: TelegramsServer, uri: str) -> None:
    await asyncio.sleep(DEBOUNCE_SECONDS)
    _publish(ls, uri)
    if _path(uri).name == "registers.xml":  # the registers changed: every document pointing into them may too
        for other in list(ls.workspace.text_documents):
            if other != uri:
                _publish(ls, other)


def _schedule(ls: TelegramsServer, uri: str) -> None:
    task = ls.pending.pop(uri, None)
    if task:
        task.cancel()
    ls.pending[uri] = asyncio.ensure_future(_later(ls, uri))


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: TelegramsServer, params: types.DidOpenTextDocumentParams) -> None:
    _publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: TelegramsServer, params: types.DidChangeTextDocumentParams) -> None:
    _schedule(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: TelegramsServer, params: types.DidSaveTextDocumentParams) -> None:
    _schedule(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: TelegramsServer, params: types.DidCloseTextDocumentParams) -> None:
    if ls.project:
        ls.project.open.pop(str(_path(params.text_document.uri).resolve()), None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri,
                                                                        diagnostics=[]))


@server.feature(types.TEXT_DOCUMENT_COMPLETION,
                types.CompletionOptions(trigger_characters=["<", "\"", "'", "#"]))
def completion(ls: TelegramsServer, params: types.CompletionParams) -> types.CompletionList:
    document = ls.workspace.get_text_document(params.text_document.uri)
    offset = document.offset_at_position(params.position)
    items = [types.CompletionItem(label=label, detail=detail,
                                  documentation=documentation or None,
                                  kind=types.CompletionItemKind.Value if "#" in label or detail.startswith("@")
                                  else types.CompletionItemKind.Class)
             for label, detail, documentation in ls.project_for(document.uri).completions(document.source, offset)]
    return types.CompletionList(is_incomplete=False, items=items)


def _entry_at(ls: TelegramsServer, uri: str, position: types.Position):
    document = ls.workspace.get_text_document(uri)
    token = word_at(document.source, document.offset_at_position(position))
    return ls.project_for(uri).pointed_entry(token)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: TelegramsServer, params: types.HoverParams) -> types.Hover | None:
    entry = _entry_at(ls, params.text_document.uri, params.position)
    if entry is None:
        return None
    text = f"**{entry.name}** ({entry.kind}, `{entry.ident}`)"
    if entry.description:
        text += f"\n\n{entry.description}"
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: TelegramsServer, params: types.DefinitionParams) -> types.Location | None:
    entry = _entry_at(ls, params.text_document.uri, params.position)
    if entry is None:
        return None
    start = types.Position(entry.line - 1, max(entry.column - 1, 0))
    return types.Location(uri=Path(entry.file).resolve().as_uri(), range=types.Range(start, start))


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
def code_action(ls: TelegramsServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    project = ls.project_for(params.text_document.uri)
    actions = []
    for diagnostic in params.context.diagnostics:
        close = _CLOSE_AT.search(diagnostic.message or "")
        if diagnostic.code == "well-formed" and close:
            tag, line, column = close.group(1), int(close.group(2)), int(close.group(3))
            at = types.Position(line - 1, column - 1)
            edit = types.WorkspaceEdit(changes={params.text_document.uri: [types.TextEdit(types.Range(at, at), tag)]})
            actions.append(types.CodeAction(title=f"Insert {tag} at line {line}, column {column}",
                                            kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic], edit=edit,
                                            is_preferred=True))
        missing = _MISSING_ENTRY.search(diagnostic.message or "")
        if diagnostic.code != "pointer" or not missing:
            continue
        edit = _stub_edit(ls, project, missing.group(1))
        if edit:
            actions.append(types.CodeAction(title=f"Add a register entry for {missing.group(1)}",
                                            kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic], edit=edit))
    return actions


def _stub_edit(ls: TelegramsServer, project: Workspace, ident: str) -> types.WorkspaceEdit | None:
    """Insert the entry's stub before the end of its list in the registers (the open buffer, or the file)."""
    registers = (project.tei / "registers.xml").resolve()
    text = project.open.get(str(registers))
    if text is None:
        try:
            text = registers.read_text(encoding="utf-8")
        except OSError:
            return None
    closing = f"</{_LISTS.get(ident.partition('-')[0], 'listPerson')}>"
    at = text.find(closing)
    if at < 0:
        return None
    line = text.count("\n", 0, at)
    indent = text[text.rfind("\n", 0, at) + 1:at]
    stub = "".join(f"{indent}  {row}\n" for row in entry_stub(ident).splitlines())
    position = types.Position(line, 0)
    return types.WorkspaceEdit(changes={registers.as_uri(): [types.TextEdit(types.Range(position, position), stub)]})
