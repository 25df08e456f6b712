"""Schematron layer: our own small ISO Schematron -> XSLT 3 compiler, run through saxonche, findings mapped to lines.

lxml's isoschematron only knows XPath 1, and the TEI's constraints use XPath 2 (casts, `matches`, `tokenize`), so
the schema is compiled here into one XSLT 3 stylesheet: one mode per pattern, one template per rule (earlier rules
win, as ISO says), and for every failed assert or successful report an `<f a="N" p="{path()}">message</f>`.
N indexes a table of (rule id, severity) kept beside the stylesheet; the path is located again in the lxml tree,
so each finding gets the line and column of its node. The stylesheet is cached under build/cache/schematron/ by
the hash of the schema (and of this compiler), and compiled by Saxon once per run.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..findings import ERROR, INFO, WARNING, Finding, FindingError
from ..xmlio import Document, parse, write_atomic

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
XS_NS = "http://www.w3.org/2001/XMLSchema"
S = "{%s}" % SCH_NS
X = "{%s}" % XSL_NS
QUERY_BINDINGS = {None, "xslt", "xslt2", "xslt3", "xpath", "xpath2", "xpath3", "xpath31"}
SEVERITIES = {"error": ERROR, "fatal": ERROR, "warning": WARNING, "warn": WARNING, "nonfatal": WARNING,
              "info": INFO, "information": INFO, "informational": INFO}
COMPILER_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


@dataclass(frozen=True)
class Compiled:
    """A Schematron schema compiled to XSLT: the stylesheet's text and, per assertion index, (rule id, severity)."""

    xslt: str
    assertions: tuple[tuple[str, str], ...]


def _broken(path, message: str, node=None) -> FindingError:
    line = getattr(node, "sourceline", 0) or 0
    return FindingError(Finding(str(path), line, 0 if not line else 1, ERROR, "schema-broken", message))


# --- reading the schema: includes, abstract patterns and rules, phases ---------------------------------------------

def _expand_includes(root, base: Path, depth: int = 0) -> None:
    """Replace each sch:include by the element of the file it names (relative to the including file)."""
    for include in list(root.iter(S + "include")):
        if depth > 10:
            raise _broken(base, "sch:include nests too deeply (a file includes itself?)", include)
        target = (base.parent / include.get("href", "")).resolve()
        try:
            included = parse(target).root
        except FindingError as err:
            raise _broken(base, f"sch:include of '{include.get('href')}' failed: {err.finding.message}",
                          include) from None
        _expand_includes(included, target, depth + 1)
        include.getparent().replace(include, included)


def _substitute(text: str | None, params: dict[str, str]) -> str | None:
    if text is None:
        return None
    for name in sorted(params, key=len, reverse=True):
        text = re.sub(r"\$" + re.escape(name) + r"(?![\w.-])", lambda _m, v=params[name]: v, text)
    return text


def _instantiate(pattern, abstract: dict, path) -> etree._Element:
    """Return a concrete pattern for `<pattern is-a="...">`: the abstract one with its $params replaced."""
    source = abstract.get(pattern.get("is-a"))
    if source is None:
        raise _broken(path, f"pattern is-a=\"{pattern.get('is-a')}\" names no abstract pattern", pattern)
    params = {p.get("name"): p.get("value", "") for p in pattern.findall(S + "param")}
    concrete = copy.deepcopy(source)
    concrete.attrib.pop("abstract", None)
    if pattern.get("id"):
        concrete.set("id", pattern.get("id"))
    for node in concrete.iter(etree.Element):
        for attr in ("context", "test", "select", "value", "path", "subject"):
            if node.get(attr) is not None:
                node.set(attr, _substitute(node.get(attr), params))
    return concrete


def _active_patterns(schema, path) -> list:
    """Return the patterns to run: those of the default phase (all when none is set), abstract ones instantiated."""
    patterns = schema.findall(S + "pattern")
    abstract = {p.get("id"): p for p in patterns if p.get("abstract") == "true"}
    concrete = [_instantiate(p, abstract, path) if p.get("is-a") else p
                for p in patterns if p.get("abstract") != "true"]
    phase_name = schema.get("defaultPhase")
    if phase_name and phase_name != "#ALL":
        phase = next((ph for ph in schema.findall(S + "phase") if ph.get("id") == phase_name), None)
        if phase is None:
            raise _broken(path, f"defaultPhase=\"{phase_name}\" names no phase", schema)
        wanted = {a.get("pattern") for a in phase.findall(S + "active")}
        concrete = [p for p in concrete if p.get("id") in wanted]
    return concrete


def _rule_body(rule, abstract_rules: dict, path) -> list:
    """Return a rule's lets, asserts and reports, with `sch:extends` replaced by the abstract rule's body."""
    body = []
    for child in rule:
        if child.tag == S + "extends":
            base = abstract_rules.get(child.get("rule"))
            if base is None:
                raise _broken(path, f"extends rule=\"{child.get('rule')}\" names no abstract rule", child)
            body.extend(_rule_body(base, abstract_rules, path))
        elif child.tag in (S + "let", S + "assert", S + "report"):
            body.append(child)
    return body


# --- writing the stylesheet ------------------------------------------------------------------------------------------

def _rule_id(node, rule, pattern) -> str:
    """Return a finding's rule id: sch:ID of the assert, else of its rule, else of its pattern.

    The TEI chain names patterns schematron-constraint-SCHEMA-ELEMENT-CONSTRAINT-N, where N shifts whenever a
    constraint is added; the id keeps ELEMENT-CONSTRAINT only, so that it stays stable.
    """
    ident = node.get("id") or rule.get("id") or pattern.get("id")
    if not ident:
        return "schematron"
    tei_style = re.fullmatch(r"schematron-constraint-[^-]+-(.+)-\d+", ident)
    return "sch:" + (tei_style.group(1) if tei_style else ident)


# Where a branch of a match pattern may start for "//branch" to select exactly the nodes it matches (XSLT's own
# definition of matching: N matches P when N is in root(N)//(P)). Left out, to be walked as before: predicate
# patterns (.[...]), variables, parenthesized patterns, document-node() and root(), which match the document node
# that '//' never selects, doc() and collection(), which reach into other documents, and namespace nodes.
_PLAIN_BRANCH = re.compile(r"(?!document-node\b|(?:root|doc|collection)\s*\(|namespace\b)(?:/|@|\*|Q\{|[^\W\d])")
_SET_OPERATOR = re.compile(r"\b(?:union|intersect|except)\b")


def _branches(pattern: str) -> list[str] | None:
    """Split a match pattern at its top-level '|'; None when it is not a union of plain path branches."""
    branches, outside, depth, quote, start = [], [], 0, None, 0
    for index, char in enumerate(pattern):
        if quote:
            quote = None if char == quote else quote
            continue
        if char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0:
            outside.append(char)
            if char == "|":
                branches.append(pattern[start:index].strip())
                start = index + 1
    branches.append(pattern[start:].strip())
    if depth or quote or _SET_OPERATOR.search("".join(outside)):
        return None
    return branches if all(_PLAIN_BRANCH.match(branch) for branch in branches) else None


def _select_matching(contexts: list[str]) -> str | None:
    """Return an XPath selecting every node one of the match patterns matches, or None when one is not plain."""
    selects = []
    for context in contexts:
        branches = _branches(context)
        if branches is None:
            return None
        selects.extend(branch if branch.startswith("/") else "//" + branch for branch in branches)
    return " | ".join(dict.fromkeys(selects))


class _Writer:
    """Builds the XSLT for one schema, numbering assertions as it goes."""

    def __init__(self, schema, path):
        self.schema = schema
        self.path = path
        self.assertions: list[tuple[str, str]] = []
        self.diagnostics = {d.get("id"): d for d in schema.iter(S + "diagnostic")}
        nsmap = {"xsl": XSL_NS, "xs": XS_NS}  # xs: bound as XSLT 2 schemas expect, unless the schema rebinds it
        for ns in schema.findall(S + "ns"):
            if ns.get("prefix") and ns.get("prefix") != "xsl":
                nsmap[ns.get("prefix")] = ns.get("uri", "")
        self.sheet = etree.Element(X + "stylesheet", nsmap=nsmap, version="3.0")
        self.sheet.set("exclude-result-prefixes", "#all")

    def xsl(self, parent, element: str, **attrs) -> etree._Element:
        node = etree.SubElement(parent, X + element)
        for key, value in attrs.items():
            node.set(key.rstrip("_").replace("__", "-"), value)
        return node

    def let(self, parent, let, top: bool) -> None:
        if let.get("value") is None:
            raise _broken(self.path, f"let name=\"{let.get('name')}\" has no @value (only @value is supported)", let)
        self.xsl(parent, "param" if top else "variable", name=let.get("name"), select=let.get("value"))

    def message(self, parent, node) -> None:
        """Copy an assertion's text, evaluating sch:value-of and sch:name in its context."""
        if node.text:
            self.xsl(parent, "text").text = node.text
        for child in node:
            if child.tag == S + "value-of":
                self.xsl(parent, "value-of", select=child.get("select", "."), separator=" ")
            elif child.tag == S + "name":
                self.xsl(parent, "value-of", select=f"name({child.get('path', '.')})")
            elif isinstance(child.tag, str):
                self.message(parent, child)  # sch:emph, sch:dir, sch:span and foreign markup: keep the text
            if child.tail:
                self.xsl(parent, "text").text = child.tail

    def assertion(self, parent, node, rule, pattern) -> None:
        test = node.get("test")
        if test is None:
            raise _broken(self.path, f"<{etree.QName(node).localname}> has no @test", node)
        role = (node.get("role") or rule.get("role") or "").strip().lower()
        self.assertions.append((_rule_id(node, rule, pattern), SEVERITIES.get(role, ERROR)))
        condition = f"not({test})" if node.tag == S + "assert" else test
        when = self.xsl(parent, "if", test=condition)
        subject = node.get("subject") or rule.get("subject")
        out = etree.SubElement(when, "f", a=str(len(self.assertions) - 1),
                               p="{(path((%s)[1]), path())[1]}" % subject if subject else "{path()}")
        self.message(out, node)
        for ident in (node.get("diagnostics") or "").split():
            if ident not in self.diagnostics:
                raise _broken(self.path, f"diagnostics=\"{ident}\" names no diagnostic", node)
            self.xsl(out, "text").text = " "
            self.message(out, self.diagnostics[ident])

    def pattern(self, pattern, mode: str, abstract_rules: dict) -> str:
        """Write a pattern's rules as templates of one mode; return what to apply that mode to.

        When every context is a plain path, the mode is applied to the nodes the contexts can match, selected
        at once (a few scans of the tree), and nothing else is visited; otherwise the mode walks the whole tree, as
        ISO's skeleton does. Either way a node gets the first matching rule of the pattern (template priority)."""
        rules = [r for r in pattern.findall(S + "rule") if r.get("abstract") != "true"]
        if not all(rule.get("context") for rule in rules):
            raise _broken(self.path, "a rule has no @context", next(r for r in rules if not r.get("context")))
        select = _select_matching([rule.get("context") for rule in rules])
        self.xsl(self.sheet, "mode", name=mode, on__no__match="deep-skip" if select else "shallow-skip")
        for rank, rule in enumerate(rules):
            template = self.xsl(self.sheet, "template", match=rule.get("context"), mode=mode,
                                priority=str(len(rules) - rank))
            for item in _rule_body(rule, abstract_rules, self.path):
                if item.tag == S + "let":
                    self.let(template, item, top=False)
                else:
                    self.assertion(template, item, rule, pattern)
            if not select:
                self.xsl(template, "apply-templates", select="@*|node()", mode="#current")
        return select or "."

    def build(self) -> Compiled:
        for child in self.schema:
            if child.tag in (X + "function", X + "key"):
                self.sheet.append(copy.deepcopy(child))
        for let in self.schema.findall(S + "let"):
            self.let(self.sheet, let, top=True)
        patterns = _active_patterns(self.schema, self.path)
        for let in (let for p in patterns for let in p.findall(S + "let")):
            self.let(self.sheet, let, top=True)
        main = self.xsl(self.sheet, "template", match="/")
        out = etree.SubElement(main, "findings")
        abstract_rules = {r.get("id"): r for r in self.schema.iter(S + "rule") if r.get("abstract") == "true"}
        for number, pattern in enumerate(patterns):
            mode = f"pattern-{number}"
            self.xsl(out, "apply-templates", select=self.pattern(pattern, mode, abstract_rules), mode=mode)
        text = etree.tostring(self.sheet, encoding="unicode", pretty_print=True)
        return Compiled(text, tuple(self.assertions))


def compile_schematron(path: Path) -> Compiled:
    """Return the XSLT compiled from an ISO Schematron file, or raise FindingError (schema-missing/-broken)."""
    if not Path(path).is_file():
        raise FindingError(Finding(str(path), 0, 0, ERROR, "schema-missing",
                                   "the Schematron schema does not exist (build it with `make schema`, "
                                   "or name another with --sch)"))
    try:
        schema = parse(path).root
    except FindingError as err:
        raise _broken(path, f"the Schematron schema is not well-formed: {err.finding.message}") from None
    if schema.tag != S + "schema":
        raise _broken(path, f"the root element is <{etree.QName(schema).localname}>, not ISO Schematron's "
                            f"<schema xmlns=\"{SCH_NS}\">", schema)
    binding = schema.get("queryBinding")
    if binding not in QUERY_BINDINGS and (binding or "").lower() not in QUERY_BINDINGS:
        raise _broken(path, f"queryBinding=\"{binding}\" is not supported (use xslt2 or xslt3)", schema)
    _expand_includes(schema, Path(path))
    return _Writer(schema, path).build()


def load(path: Path, cache_dir: Path | None) -> Compiled:
    """Return the compiled schema, from cache_dir when this schema (and this compiler) compiled it before."""
    data = Path(path).read_bytes() if Path(path).is_file() else b""
    key = hashlib.sha256(data + COMPILER_VERSION.encode()).hexdigest()[:32]
    includes = re.search(rb"<(\w+:)?include\b", data)  # an included file's edits would not change the key
    cached = cache_dir / f"{key}.json" if cache_dir and data and not includes else None
    if cached and cached.is_file():
        try:
            stored = json.loads(cached.read_text(encoding="utf-8"))
            assertions = tuple(tuple(a) for a in stored["assertions"])
            if isinstance(stored["xslt"], str) and all(len(a) == 2 and all(isinstance(x, str) for x in a)
                                                       for a in assertions):
                return Compiled(stored["xslt"], assertions)
        except (ValueError, KeyError, TypeError, OSError):
            pass  # a damaged cache entry is rebuilt
    compiled = compile_schematron(path)
    if cached:
        try:
            write_atomic(cached, json.dumps({"xslt": compiled.xslt, "assertions": compiled.assertions}))
        except OSError:
            pass  # the cache folder removed or read-only: only speed is lost
    return compiled


# --- running it ------------------------------------------------------------------------------------------------------

_STEP = re.compile(r"/(?:Q\{([^}]*)\}([^\[/]+)\[(\d+)\]|@(?:Q\{([^}]*)\})?([^/]+)|"
                   r"(text|comment|processing-instruction)\(([^)]*)\)\[(\d+)\])")


def locate_path(doc: Document, path: str) -> tuple[int, int]:
    """Return the (line, column) of the node named by an XPath 3 `path()` result, e.g. /Q{ns}TEI[1]/@Q{}when."""
    node = None  # None stands for the document node
    for match in _STEP.finditer(path):
        ns, local, index, attr_ns, attr, kind, _name, kind_index = match.groups()
        if local is not None:
            tag = "{%s}%s" % (ns, local) if ns else local
            children = [doc.root] if node is None else [c for c in node if c.tag == tag]
            position = int(index) - 1
            if position >= len(children) or (node is None and doc.root.tag != tag):
                break
            node = children[position]
        elif attr is not None:
            name = "{%s}%s" % (attr_ns, attr) if attr_ns else attr
            return doc.locate_attribute(node, name) if node is not None else (1, 1)
        elif kind is not None:
            if node is not None and kind == "comment":
                comments = [c for c in node if isinstance(c, etree._Comment)]
                if int(kind_index) <= len(comments):
                    return doc.locate(comments[int(kind_index) - 1])
            break  # a text node (or a PI) is reported at its parent element
    return doc.locate(node) if node is not None else (1, 1)


ALLOWED_PROTOCOLS = "http://saxon.sf.net/feature/allowedProtocols"
_ENVIRONMENT = re.compile(r"(?<![\w.:-])(?:fn:)?(environment-variable|available-environment-variables)\s*\(")
_SANDBOX_NS = "urn:telegrams:schematron-sandbox"


def sandboxed(xslt: str) -> str:
    """The stylesheet with the environment hidden: environment-variable() returns nothing, and
    available-environment-variables() an empty list (Saxon's protocol setting does not cover them)."""
    if not _ENVIRONMENT.search(xslt):
        return xslt
    xslt = _ENVIRONMENT.sub(lambda m: f"Q{{{_SANDBOX_NS}}}{m[1]}(", xslt)
    functions = (f'<xsl:function xmlns:sandbox="{_SANDBOX_NS}" name="sandbox:environment-variable" as="empty-sequence()">'
                 '<xsl:param name="name"/><xsl:sequence select="()"/></xsl:function>'
                 f'<xsl:function xmlns:sandbox="{_SANDBOX_NS}" name="sandbox:available-environment-variables" '
                 'as="empty-sequence()"><xsl:sequence select="()"/></xsl:function>')
    at = xslt.index(">", xslt.index("<xsl:stylesheet")) + 1
    return xslt[:at] + functions + xslt[at:]


class Runner:
    """One Saxon processor and one compiled stylesheet, used for every document of a run."""

    def __init__(self, compiled: Compiled, schema_path: Path):
        from saxonche import PySaxonApiError, PySaxonProcessor  # costly import: only when a document needs it

        self.compiled = compiled
        self.error_type = PySaxonApiError
        self.processor = PySaxonProcessor(license=False)
        # The sandbox: a schema's doc(), document(), unparsed-text(), collection(), json-doc() or transform() may
        # open no URI at all (Saxon refuses every protocol), so it sees the document under test and nothing else.
        self.processor.set_configuration_property(ALLOWED_PROTOCOLS, "")
        self.builder = self.processor.new_document_builder()  # a quarter faster than processor.parse_xml
        self._sink = tempfile.TemporaryFile()  # what Saxon writes to the standard error, read back (_saxon_said)
        try:
            with self._saxon_said() as said:
                self.executable = self.processor.new_xslt30_processor().compile_stylesheet(
                    stylesheet_text=sandboxed(compiled.xslt))
        except PySaxonApiError as err:
            raise _broken(schema_path, f"an XPath expression of the Schematron schema does not compile: "
                                       f"{_first_line(err)}") from None
        if self.executable is None:
            raise _broken(schema_path, "the Schematron schema does not compile to XSLT" +
                          (f": {_first_line(said[0])}" if said and said[0].strip() else ""))
        self.batch = self._batch_executable()

    @contextmanager
    def _saxon_said(self):
        """Catch what Saxon writes straight to file descriptor 2 (native code: sys.stderr never sees it), such as
        its parser's "more than 200 attributes": the caller turns it into a finding, never raw output."""
        sys.stderr.flush()
        self._sink.seek(0)
        self._sink.truncate()
        saved = os.dup(2)
        said: list[str] = []
        os.dup2(self._sink.fileno(), 2)
        try:
            yield said
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            self._sink.seek(0)
            said.append(self._sink.read(64 * 1024).decode("utf-8", "replace"))

    def check(self, doc: Document) -> list[Finding]:
        """Return the failed asserts and successful reports of one document, each at its node's line and column."""
        source = etree.tostring(doc.tree, encoding="unicode")
        try:
            with self._saxon_said() as said:
                node = self.builder.parse_xml(xml_text=source)
                self.executable.set_global_context_item(xdm_item=node)
                result = self.executable.transform_to_string(xdm_node=node)
        except self.error_type as err:
            return [_failed(doc, str(err))]
        findings = [Finding(doc.name, 1, 1, INFO, "schematron-output", f"the Schematron processor said: "
                            f"{_first_line(said[0])}")] if said[0].strip() else []
        return findings + self._findings(doc, etree.fromstring(result.encode("utf-8")))

    def _findings(self, doc: Document, output) -> list[Finding]:
        """Turn the stylesheet's <findings> for one document into findings at their nodes' lines and columns."""
        findings = []
        for hit in output.iter("f"):
            rule, severity = self.compiled.assertions[int(hit.get("a"))]
            line, column = locate_path(doc, hit.get("p", ""))
            message = " ".join((hit.text or "").split())
            findings.append(Finding(doc.name, line, column, severity, rule, message))
        return findings

    def check_many(self, docs: list[Document]) -> list[list[Finding]]:
        """Return `check`'s findings for each of several documents, from one transform over all of them (Saxon's
        cost per call, about a tenth of a document's, paid once); a chunk that a test fails to run on, or on which
        Saxon says anything, or a schema that one transform would not check exactly as one per document, is
        checked one document at a time, so that each finding is pinned on its own file."""
        if self.batch is None or len(docs) < 2:
            return [self.check(doc) for doc in docs]
        texts = [self.processor.make_string_value(etree.tostring(doc.tree, encoding="unicode")) for doc in docs]
        try:
            with self._saxon_said() as said:
                self.batch.set_parameter("documents", self.processor.make_array(texts))
                result = self.batch.call_template_returning_string("batch")
        except self.error_type:
            return [self.check(doc) for doc in docs]
        outputs = list(etree.fromstring(result.encode("utf-8")))
        if len(outputs) != len(docs) or said[0].strip():
            return [self.check(doc) for doc in docs]
        return [self._findings(doc, output) for doc, output in zip(docs, outputs)]

    def _batch_executable(self):
        """Compile the stylesheet with a named template that checks each document of an array of texts, or
        return None when its global lets (evaluated once against the global context item) or a URI function
        would not see each document as `check` shows it."""
        sheet = etree.fromstring(self.compiled.xslt.encode("utf-8"))
        if sheet.find(X + "param") is not None or sheet.find(X + "variable") is not None or \
                _URI_FUNCTION.search(self.compiled.xslt):
            return None
        etree.SubElement(sheet, X + "param", name="documents", select="[]", **{"as": "array(xs:string)"})
        each = etree.SubElement(etree.SubElement(etree.SubElement(sheet, X + "template", name="batch"), "batch"),
                                X + "for-each", select="$documents?*")
        etree.SubElement(each, X + "apply-templates", select="parse-xml(.)")  # one <findings> per document
        try:
            with self._saxon_said():
                return self.processor.new_xslt30_processor().compile_stylesheet(
                    stylesheet_text=sandboxed(etree.tostring(sheet, encoding="unicode")))
        except self.error_type:
            return None


_URI_FUNCTION = re.compile(r"\b(?:base-uri|document-uri|static-base-uri|resolve-uri)\s*\(")


_ATTRIBUTE_LIMIT = re.compile(r'Element "([^"]+)" has more than "(\d+)"\s+attributes')


def _failed(doc: Document, why: str) -> Finding:
    """The finding of a document the Schematron rules could not run on, at the cause when it is known."""
    limit = _ATTRIBUTE_LIMIT.search(why)
    if limit is None:
        return Finding(doc.name, 1, 1, ERROR, "schematron-runtime", f"a Schematron test failed to run on this "
                                                                    f"document: {_first_line(why)}")
    most = int(limit[2])
    element = next((e for e in doc.root.iter(etree.Element) if len(e.attrib) > most), doc.root)
    line, column = doc.locate(element)
    return Finding(doc.name, line, column, ERROR, "schematron-runtime", f"this <{etree.QName(element).localname}> "
                   f"has {len(element.attrib)} attributes, more than the {most} that Saxon reads, so the Schematron "
                   f"rules were not checked on this document: remove the attributes it does not need")


def _first_line(err: Exception | str) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
