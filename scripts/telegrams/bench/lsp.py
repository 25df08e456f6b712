"""The language server's answer time: from a change sent to an open buffer to its diagnostics published.

Measured over the protocol itself (the server started as editors start it, `telegrams lsp` on stdio), on a real
telegram of the corpus being measured, in a corpus of that size: each change plants a different mistake, so every
answer is a fresh check of all four layers, never a cached one. The debounce (the pause the server waits for
typing to stop) is part of the answer time, as an editor's user sees it. The first answer, to opening the document,
is measured too: it is when the server reads the whole corpus.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

CHANGES = 20


async def _answer_times(document: Path, changes: int) -> tuple[float, list[float]]:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("telegrams-bench", "1")
    arrived: asyncio.Queue = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _published(params: types.PublishDiagnosticsParams) -> None:
        arrived.put_nowait(time.perf_counter())

    await client.start_io(sys.executable, "-m", "telegrams", "lsp")
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
    client.initialized(types.InitializedParams())
    uri, text = document.resolve().as_uri(), document.read_text(encoding="utf-8")
    sent = time.perf_counter()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="xml", version=1, text=text)))
    opened = await arrived.get() - sent
    times = []
    for version in range(2, changes + 2):
        changed = text.replace("</body>", f"<p><num value=\"{version}\">{version + 1}</num></p></body>", 1)
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text=changed)]))
        times.append(await arrived.get() - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return opened, times


def answer_times(document: Path, changes: int = CHANGES) -> tuple[float, list[float]]:
    """Seconds from opening a document to its first diagnostics, and from each change to its diagnostics, for
    `changes` edits of the open document."""
    return asyncio.run(_answer_times(document, changes))


def summary(times: list[float]) -> tuple[float, str]:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return statistics.median(ordered), f"median of {len(ordered)} changes; p90 {p90 * 1000:.0f} ms; slowest " \
                                       f"{ordered[-1] * 1000:.0f} ms (0.15 s of it is the debounce)"
