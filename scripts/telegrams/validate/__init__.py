"""Validation of TEI files: well-formedness, RELAX NG, Schematron and checks across the corpus."""
