"""Every place where our ODD processor knowingly departs from, or deliberately reproduces a defect of, the official
TEI chain (odd-processing.md §9). Tests consult this list, so each difference is a conscious, visible choice; the
same list, in words, is in docs/odd-processor.md.

`case` is the row of the verified-cases table (odd-processing.md §11) or a short name for behaviour found since.
`choice` is "reproduce" (our verdicts equal the official ones, defect included; the processor warns where the ODD
is probably not what its author meant), "diverge" (we refuse the input, with a located error, where the official
chain writes an unusable schema or needs the network) or "documentation" (a difference in a:documentation only,
which no validator reads). `fixtures` names the tests/odd/fixtures cases whose official verdicts we do NOT match.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Divergence:
    case: int | str  # row of the verified-cases table, §11, or a short name
    summary: str
    choice: str  # "reproduce" or "diverge"
    why: str
    fixtures: tuple[str, ...] = ()


DIVERGENCES = (
    Divergence(22, "valList mode=replace/add lost on an attribute that overrides a class attribute", "reproduce",
               "the project ODD changes such attributes; matching the official verdicts keeps both chains in step"),
    Divergence(28, "nested attList added through a change-mode spec is dropped", "reproduce",
               "same verdicts as the official schemas"),
    Divergence(32, "X+ (or X?, X*) dropped when the next sibling is (X|...)*", "reproduce",
               "the clean-up pass is reproduced as the official chain runs it; P5 itself never triggers it"),
    Divergence(33, "@restriction reaches only one level down a chain of keyed dataRefs", "reproduce",
               "same verdicts as the official schemas"),
    Divergence(10, "delete/replace specs loose in the prose still apply", "reproduce",
               "same verdicts; the processor warns that a spec outside schemaSpec acts"),
    Divergence(17, "mode=add with an ident that already exists", "diverge",
               "the official chain writes a schema without that define (unusable); we stop with an error instead",
               ("v17-add-existing",)),
    Divergence(4, "schemaSpec/@ns without a matching defaultExceptions", "reproduce",
               "our RNG equals the official one; jing rejects both, lxml accepts both"),
    Divergence(6, "a non-English xml:lang on the ODD root, <text>, <body> or <schemaSpec> removes every Schematron "
                  "rule (tei_lite_fr: <text xml:lang=\"fr\">)", "reproduce",
               "same Schematron as the official chain; the processor warns, naming the element that carries the "
               "language"),
    Divergence("N+1", "minOccurs=\"0\" maxOccurs=\"N\" on a reference accepts N+1 occurrences: the official chain "
                      "writes optional(x) then N nested optionals", "reproduce",
               "same verdicts as the official schemas; minOccurs >= 1 is exact", ("n-plus-one",)),
    Divergence("specGrpRef", "a specGrpRef whose target does not exist is ignored (tei_simplePrint)", "reproduce",
               "same schema as the official chain; the processor warns with the line"),
    Divergence("dangling", "a classRef, elementRef, macroRef, dataRef or rng:ref in content, or a memberOf, naming "
                           "nothing in the source or the ODD is dropped", "reproduce",
               "same verdicts; the processor warns with the line (the official chain says nothing); at schemaSpec "
               "level such a reference stops both chains"),
    Divergence("moduleRef-url", "moduleRef/@url is read from a local file or through an XML catalog, never from the "
                                "network", "diverge",
               "the official chain fetches the URL; without a catalog entry we stop with an error naming the URL "
               "(the verdicts with the same grammar are the official ones)"),
    Divergence("import-clash", "a define of a moduleRef/@url grammar named like a pattern of the schema is replaced "
                               "by the schema's (tei_odds: RELAX NG's param becomes TEI's <param>)", "reproduce",
               "same verdicts as the official schemas; the processor warns and suggests moduleRef/@prefix"),
    Divergence("xinclude", "xi:include is resolved (inside the ODD's folder or through a catalog; xpointer() "
                           "included) or refused with an error", "diverge",
               "the official chain reads the ODD without XInclude: tei_allPlus then aborts, and elsewhere the "
               "include would be ignored; our verdicts equal the official compile of the expanded ODD"),
    Divergence("empty-start", "a start that names nothing in the schema (start=\"nosuch\", or no @start and no "
                              "<TEI>)", "diverge",
               "the official chain writes <start><choice/></start>, a schema no document satisfies; we stop with an "
               "error", ("empty-start",)),
    Divergence("macro-cycle", "a macro that refers to itself with no element in between", "diverge",
               "the official chain writes a define that RELAX NG forbids (validators reject the schema); we stop "
               "with an error", ("macro-cycle",)),
    Divergence("ncname", "an ident or altIdent that is not an XML name (e.g. \"x/../../y\")", "diverge",
               "the official chain writes <element name=\"x/../../y\">, which no validator loads, and would name a "
               "documentation page after it; we refuse it before building any name or path", ("bad-ident",)),
    Divergence("listRef", "a:documentation leaves out the Guidelines sections that listRef adds (\"[3.8. Lists]\")",
               "documentation", "the section numbers come from the Guidelines' prose, which the processor does not "
                                "number; everything else of the text is the official one"),
    Divergence("inline-doc", "inline markup in a:documentation is plain text (<gi>p</gi> as \"<p>\", <ref> as its "
                             "text), not XHTML <code>/<a>", "documentation",
               "the same words; editors show annotations as text"),
    Divergence(31, "anyElement/@require is not enforced by the Schematron", "reproduce",
               "same Schematron as the official chain"),
    Divergence(35, "bare assertions in a classSpec apply to every element (context *)", "reproduce",
               "same Schematron as the official chain"),
)


def diverging_fixtures() -> set[str]:
    """Names of fixtures whose official verdicts we deliberately do not match."""
    return {name for d in DIVERGENCES if d.choice == "diverge" for name in d.fixtures}
