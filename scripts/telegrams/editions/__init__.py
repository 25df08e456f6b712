"""The editions: TEI sources -> static HTML site and plain-text files, by XSLT 3.0 (saxonche, no Java)."""

import unicodedata

# Characters that would act on a terminal or reorder what it shows: escaped wherever a name is printed.
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def unsafe_char(char: str) -> bool:
    """A control character (C0, C1, U+0085...), a bidirectional override, or an undecodable byte (surrogate)."""
    return unicodedata.category(char) in ("Cc", "Cs") or char in _BIDI


def printable(text: str) -> str:
    """Return text with every unsafe character written as an escape (\\x1b, \\u202e, \\udcff)."""
    return "".join(char.encode("unicode_escape").decode("ascii") if unsafe_char(char) and char not in "\n"
                   else char for char in text)


def run_build(build, what: str, default_out: str):
    """Run one edition build for a subcommand: return (result, None), or (None, exit status) after printing why.

    Every finding of the build is printed here, so both subcommands report the same way.
    """
    import sys

    from ..findings import FindingError

    try:
        result = build()
    except FindingError as err:
        print(printable(str(err.finding)), file=sys.stderr)
        return None, 1
    except OSError as err:
        print(printable(f"{getattr(err, 'filename', '') or default_out}:0:0: error: cannot write the {what}: "
                        f"{err.strerror or err}"), file=sys.stderr)
        return None, 1
    for finding in result.findings:
        print(printable(str(finding)), file=sys.stderr)
    return result, None
