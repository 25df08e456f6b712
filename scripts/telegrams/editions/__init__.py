"""The editions: TEI sources -> static HTML site and plain-text files, by XSLT 3.0 (saxonche, no Java)."""

from ..names import printable, unsafe_char  # noqa: F401 - re-exported: the editions print through them


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
