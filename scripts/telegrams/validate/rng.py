"""RELAX NG layer: the project's own engine gives the verdict fast; only an invalid document is explained.

The verdict and the explanation both come from the derivative engine (`rng_model`, `explain.py`): the verdict walk
stops at the first error and, its steps memoized, is several times quicker than libxml2 on TEI once a few
documents have warmed it; an invalid document is then walked again by the explainer, which reports every error at
its line with what was expected. Its datatypes follow the XML Schema specification (`datatypes.py`), where
libxml2 departs from it ("3e" as a double, 24:00:00).

libxml2 (through lxml) is the second opinion, used when the engine fails or runs past its budget:
- it runs in a thread given `budget` seconds (libxml2 releases Python's lock while it validates); a document it
  has not finished by then is left to it and checked by the explainer instead, with a warning saying so (a few
  nested elements or many siblings can take libxml2 minutes). The explainer has its own budget; past it the
  document gets an error, never a silent pass.
- should the explainer fail too, lxml's own error log is turned into plain words, each located at the node lxml
  names.
"""

from __future__ import annotations

import contextlib
import queue
import re
import signal
import threading
from pathlib import Path

from lxml import etree

from ..findings import ERROR, Finding, FindingError
from ..xmlio import Document, parse


def _name(qualified: str) -> str:
    return qualified.split("}")[-1].split(":")[-1]


# lxml message -> (rule, plain words); groups: element and attribute names as lxml prints them
_MESSAGES = [
    (re.compile(r"Did not expect element (\S+) there"), "rng-element",
     lambda m, parent: f"the element <{_name(m[1])}> is not allowed here, inside <{parent}>"),
    (re.compile(r"Element (\S+) has extra content: (\S+)"), "rng-element",
     lambda m, parent: f"<{_name(m[2])}> is not allowed at this place inside <{_name(m[1])}>"),
    (re.compile(r"Extra element (\S+) in interleave"), "rng-element",
     lambda m, parent: f"<{_name(m[1])}> is not allowed here inside <{parent}> (or it appears too often)"),
    (re.compile(r"Expecting an element (\S+), got nothing"), "rng-required",
     lambda m, parent: f"a required <{_name(m[1])}> is missing here"),
    (re.compile(r"Expecting element (\S+), got (\S+)"), "rng-element",
     lambda m, parent: f"found <{_name(m[2])}> where <{_name(m[1])}> is required"),
    (re.compile(r"Invalid attribute (\S+) for element (\S+)"), "rng-attribute",
     lambda m, parent: f"the attribute @{m[1]} is not allowed on <{_name(m[2])}>, or its value is not valid"),
    (re.compile(r"Element (\S+) failed to validate attributes"), "rng-attribute",
     lambda m, parent: f"<{_name(m[1])}> lacks a required attribute or has an invalid attribute value"),
    (re.compile(r"Did not expect text in element (\S+) content"), "rng-text",
     lambda m, parent: f"text is not allowed directly inside <{_name(m[1])}>"),
    (re.compile(r"Element (\S+) has wrong namespace: expecting (\S+)"), "rng-namespace",
     lambda m, parent: f"<{_name(m[1])}> is in the wrong namespace; it must be in {m[2]}"),
    (re.compile(r"Expecting a namespace for element (\S+)"), "rng-namespace",
     lambda m, parent: f"<{_name(m[1])}> is in no namespace; it must be in the TEI namespace"),
    (re.compile(r"Type (\S+) doesn't allow value '(.*)'"), "rng-value",
     lambda m, parent: f"the value '{m[2]}' is not a valid {m[1]}"),
    (re.compile(r"Error validating value|Element (\S+) failed to validate content|Invalid sequence in interleave"),
     "rng", None),
]


BUDGET_S = 3.0          # wall-clock seconds the engine's verdict, or libxml2's after it, may take over one document
ENGINE_BUDGET_S = 30.0  # and the explainer
# Values libxml2 accepts and the XSD datatypes (and Jing) refuse: an exponent without digits, the hour 24. Two
# searches, each quick on every document's text (one pattern of both would be four times slower).
_EXPONENT_WITHOUT_DIGITS = re.compile(r"[0-9.][Ee](?![+-]?[0-9A-Za-z_])")
_HOUR_24 = re.compile(r"24:[0-9][0-9]:[0-9][0-9]")


def libxml2_lenient(text: str) -> bool:
    """Whether a document's text holds a value libxml2 may accept although the XSD datatypes refuse it."""
    return bool(_EXPONENT_WITHOUT_DIGITS.search(text)) or any(
        not text[match.start() - 1:match.start()].isdigit() for match in _HOUR_24.finditer(text))


class _OverBudget(Exception):
    """The project's engine ran past its budget."""


class _Libxml2Thread:
    """A daemon thread that runs lxml's validation for the main thread, one document at a time; one that is past
    its budget is left to finish alone (and then ends), and the next document gets a new thread. (A daemon: a run
    left behind never holds up the end of the process.)"""

    def __init__(self):
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._done = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            relaxng, tree, outcome = job
            try:
                outcome.append((relaxng.validate(tree), list(relaxng.error_log)))
            except Exception as err:  # noqa: BLE001 - handed to the main thread, which raises it
                outcome.append(err)
            self._done.set()

    def validate(self, relaxng, tree, budget: float) -> tuple[bool, list] | None:
        """lxml's verdict and log, or None when not done within `budget` seconds (this thread then retires)."""
        outcome: list = []
        self._done.clear()
        self._jobs.put((relaxng, tree, outcome))
        if not self._done.wait(budget):
            self._jobs.put(None)  # ends once libxml2 is done
            return None
        if isinstance(outcome[0], Exception):
            raise outcome[0]
        return outcome[0]


class RngChecker:
    """A RELAX NG schema loaded once, checking documents one by one."""

    MAX_LEFT_BEHIND = 2  # libxml2 runs still working in the background (each on a core): then it is not used

    def __init__(self, path: Path, budget: float = BUDGET_S, engine_budget: float = ENGINE_BUDGET_S):
        self.path = Path(path)
        self.budget, self.engine_budget = budget, engine_budget
        self._busy: list[_Libxml2Thread] = []  # libxml2 runs left behind, still working
        self._thread: _Libxml2Thread | None = None
        self._skipped = False
        if not self.path.is_file():
            raise FindingError(Finding(str(path), 0, 0, ERROR, "schema-missing",
                                       "the RELAX NG schema does not exist (build it with `make schema`, "
                                       "or name another with --rng)"))
        try:
            tree = parse(self.path).tree
        except FindingError as err:
            raise FindingError(Finding(str(path), err.finding.line, err.finding.column, ERROR, "schema-broken",
                                       f"the RELAX NG schema is not well-formed: {err.finding.message}")) from None
        tree.docinfo.URL = self.path.resolve().as_uri()  # libxml2 resolves include and externalRef against it
        self._tree = tree
        try:
            self.relaxng = etree.RelaxNG(tree)
        except etree.RelaxNGParseError as err:
            entry = err.error_log[0] if len(err.error_log) else None
            raise FindingError(Finding(str(path), entry.line if entry else 0, 0, ERROR, "schema-broken",
                                       f"the RELAX NG schema is not a valid grammar: "
                                       f"{entry.message if entry else err}")) from None
        self._grammar = None
        # The engine's grammar takes ~0.1 s to load and warm where libxml2's takes 0.01: a run of a few documents
        # (an editor's one changed file) asks libxml2 first, a long one the engine (command._start says which).
        self.engine_first = True

    def check(self, doc: Document, repairs: dict | None = None) -> list[Finding]:
        """Return no findings for a valid document, else every error found, each at its node.

        `repairs`, when given, receives what the explainer read as meant: {element: Clark name} for a misspelled
        name or a wrong namespace, {(element, attribute): value} for a misspelled value of a closed list."""
        verdict = self._engine_verdict(doc) if self.engine_first else None
        if verdict is True:
            return []
        if verdict is False:
            found = self._explained(doc, repairs)
            if found:
                return found
        return self._second_opinion(doc, repairs)  # the engine failed, ran out of time or contradicts itself

    def _engine_verdict(self, doc: Document) -> bool | None:
        """The engine's verdict, or None when it cannot load the schema, fails or runs past the budget."""
        from . import explain

        grammar = self._engine_grammar()
        if grammar is None:
            return None
        try:
            with _deadline(self.budget):
                return explain.is_valid(doc.root, grammar)
        except Exception:  # noqa: BLE001 - over budget, or a bug in the engine: libxml2 decides
            self._forget_grammar()
            return None

    def _engine_grammar(self):
        """The engine's grammar, loaded once; None when the engine cannot read this schema (libxml2 alone then)."""
        from . import explain

        if self._grammar is None:
            try:
                self._grammar = explain.load_grammar(self.path)
            except Exception:  # noqa: BLE001 - a construct the engine does not support
                self._grammar = False
        return self._grammar or None

    def _forget_grammar(self) -> None:
        """After the engine was interrupted or failed, start the next document with a fresh grammar: a walk cut
        short may leave lazily compiled patterns half written, which would wrong every later verdict."""
        from .rng_model import forget_grammar

        forget_grammar(self.path)
        if self._grammar is not False:  # (False: the engine cannot read this schema at all)
            self._grammar = None

    def _second_opinion(self, doc: Document, repairs: dict | None) -> list[Finding]:
        """libxml2's verdict, explained by the engine when it is an invalid one (or a lenient valid one)."""
        verdict = self._libxml2(doc)
        if verdict is None:  # libxml2 goes on with the tree, which must then stay as it is: no repairs
            found = self._explained(doc, None)
            return [self._budget_note(doc)] + (found if found is not None else [doc.finding(
                doc.root, f"this file could not be checked against the RELAX NG schema: libxml2 took longer than "
                f"{self.budget:g} s, and the project's own engine did not finish within {self.engine_budget:g} s "
                "either: please report it", "rng-budget")])
        valid, log = verdict
        if valid and not libxml2_lenient(doc.text):
            return []
        found = self._explained(doc, repairs)
        if found is None:  # the engine failed: lxml's verdict, its log in plain words
            return [] if valid else _from_log(doc, log) or [
                doc.finding(doc.root, "the document does not match the RELAX NG schema", "rng")]
        return found

    def _budget_note(self, doc: Document) -> Finding:
        if self._skipped:
            words = (f"libxml2 was not used for this file: it is still busy with {self.MAX_LEFT_BEHIND} earlier "
                     f"files that took it longer than {self.budget:g} s")
        else:
            words = f"libxml2 took longer than {self.budget:g} s to validate this file against the RELAX NG schema"
        return doc.finding(doc.root, words + "; it was checked by the project's own engine instead", "rng-budget",
                           "warning")

    def _libxml2(self, doc: Document) -> tuple[bool, list] | None:
        """Return lxml's verdict and error log, or None when it is not done within the budget."""
        # (a process forked from this one, as a worker of the pool, has none of these threads: none is alive there)
        self._busy = [thread for thread in self._busy if thread.thread.is_alive()]
        self._skipped = len(self._busy) >= self.MAX_LEFT_BEHIND
        if self._skipped:
            return None
        if self._thread is None or not self._thread.thread.is_alive():
            self._thread = _Libxml2Thread()
        verdict = self._thread.validate(self.relaxng, doc.tree, self.budget)
        if verdict is None:
            self._busy.append(self._thread)
            self._thread = None
            self.relaxng = etree.RelaxNG(self._tree)  # the one left behind is still in use
        return verdict

    def _explained(self, doc: Document, repairs: dict | None) -> list[Finding] | None:
        """The findings of the project's own engine (the explainer; [] for a valid document), or None when it
        fails or does not finish within its budget."""
        from . import explain

        grammar = self._engine_grammar()
        if grammar is None:
            return None
        try:
            with _deadline(self.engine_budget):
                return list(explain.explain(doc, grammar, repairs))
        except Exception:  # noqa: BLE001 - over budget, or a bug in the engine: lxml's verdict stands
            self._forget_grammar()
            return None


@contextlib.contextmanager
def _deadline(seconds: float):
    """Interrupt Python code (regular expressions included: they check for signals) running past `seconds`.

    Only in the main thread, and only when no other timer is running (a caller's own time limit then governs)."""
    if not (threading.current_thread() is threading.main_thread() and signal.getitimer(signal.ITIMER_REAL)[0] == 0):
        yield
        return

    def expire(signum, frame):
        raise _OverBudget()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _from_log(doc: Document, log) -> list[Finding]:
    """Turn lxml's RELAX NG error log into findings at the node each entry names, dropping knock-on entries."""
    findings: dict[tuple, Finding] = {}
    generic = []
    for entry in log:
        node = _node(doc, entry)
        parent = node.getparent() if node is not None else None
        parent_name = etree.QName(parent).localname if parent is not None else "the document"
        for pattern, rule, words in _MESSAGES:
            match = pattern.search(entry.message)
            if match is None:
                continue
            message = words(match, parent_name) if words else None
            break
        else:
            rule, message = "rng", entry.message.strip()
        line, column = _where(doc, node, entry, rule, match)
        if message is None:
            generic.append(Finding(doc.name, line, column, ERROR, rule, _generic(entry.message, node)))
            continue
        findings.setdefault((line, column, message), Finding(doc.name, line, column, ERROR, rule, message))
    return sorted(findings.values()) or generic[:1]


def _generic(message: str, node) -> str:
    name = etree.QName(node).localname if node is not None else "this element"
    if "failed to validate content" in message or "interleave" in message:
        return f"the content of <{name}> does not match the schema"
    return f"a value inside <{name}> is not valid: {message.strip()}"


def _node(doc: Document, entry):
    """Return the element an lxml log entry is about (its path), or the first element on its line."""
    if entry.path:
        try:
            found = doc.tree.xpath(entry.path)
            if found and isinstance(found[0], etree._Element):
                return found[0]
        except etree.XPathError:
            pass
    return next((el for el in doc.root.iter(etree.Element) if el.sourceline == entry.line), None)


def _where(doc: Document, node, entry, rule: str, match) -> tuple[int, int]:
    if node is None:
        return entry.line, entry.column or 0
    if rule == "rng-attribute" and match is not None and match.lastindex and match.lastindex >= 2:
        attribute = match[1]
        if attribute in node.attrib or any(k.endswith("}" + attribute) for k in node.attrib):
            key = attribute if attribute in node.attrib else next(k for k in node.attrib
                                                                   if k.endswith("}" + attribute))
            return doc.locate_attribute(node, key)
    return doc.locate(node)
