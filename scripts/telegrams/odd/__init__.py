"""The project's ODD processor: a TEI customization (ODD) + p5subset.xml -> RELAX NG and ISO Schematron.

Public API (all trees are lxml ElementTrees):

    compile_odd(odd_path, p5subset_path, warnings=None, catalog=None) -> compiled ODD
        The customization resolved against the source, shaped like the official odd2odd output: the whole TEI
        document (prose kept) whose first schemaSpec holds a flat list of elementSpec/classSpec/macroSpec/dataSpec
        with merged attLists and contents. Bad input raises telegrams.findings.FindingError (file:line:col, plain
        words); non-fatal remarks (unknown keys, no-op changes) are appended to `warnings` as Finding objects.
        `catalog` (catalog.Catalog) maps the URLs of external schemas to local files; default $XML_CATALOG_FILES.
    to_relaxng(compiled) -> RELAX NG grammar (XML syntax)
    to_schematron(compiled) -> ISO Schematron schema
    build(odd_path, p5subset_path, warnings=None, catalog=None) -> (compiled, rng, sch)

Modules: source.py (index of the TEI source), customize.py (selection, modes, merging, pruning), xinclude.py,
catalog.py and external.py (inputs beyond the ODD: XInclude, XML catalogs, moduleRef/@url grammars), relaxng.py
and documentation.py (its a:documentation),
schematron.py, divergences.py (where we knowingly differ from, or reproduce defects of, the official chain),
command.py (`telegrams schema`). Behaviour follows /work/shared/docs/odd-processing.md; verdicts are tested
against the official TEI chain in tests/odd/; docs/odd-processor.md describes the processor for its users.
"""

from __future__ import annotations


def compile_odd(odd_path, p5subset_path, warnings=None, catalog=None):
    """Return the compiled ODD (lxml tree) of a customization against a TEI source."""
    from .customize import compile_odd as _compile

    return _compile(odd_path, p5subset_path, warnings, catalog)


def to_relaxng(compiled):
    """Return the RELAX NG grammar (lxml tree) of a compiled ODD."""
    from .relaxng import to_relaxng as _rng

    return _rng(compiled)


def to_schematron(compiled):
    """Return the ISO Schematron schema (lxml tree) of a compiled ODD."""
    from .schematron import to_schematron as _sch

    return _sch(compiled)


def build(odd_path, p5subset_path, warnings=None, catalog=None):
    """Return (compiled ODD, RELAX NG, Schematron) for one customization."""
    compiled = compile_odd(odd_path, p5subset_path, warnings, catalog)
    return compiled, to_relaxng(compiled), to_schematron(compiled)
