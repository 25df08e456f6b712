"""`telegrams validate --watch`: check again whenever a TEI file or a schema changes, for a terminal kept open.

The first run checks everything; each later run is the cached run after an edit (a fraction of a second), so
the terminal always shows the state of the files as saved.
"""

from __future__ import annotations

import sys
from pathlib import Path

_WATCHED = (".xml", ".rng", ".sch")


def watch(args, check_once) -> int:
    try:
        from watchfiles import watch as changes
    except ImportError:
        print("telegrams validate --watch needs the watchfiles package (pip install watchfiles)", file=sys.stderr)
        return 2
    from .command import TEI_DIR, layers

    chosen = layers(args)
    schemas = [chosen.rng] + ([chosen.sch] if chosen.sch else [])
    targets = [Path(p) for p in (args.paths or [TEI_DIR])] + [schema.parent for schema in schemas]
    targets = sorted({t.resolve() for t in targets if t.exists()})
    check_once(args)
    print("watching for changes (Ctrl-C to stop)", file=sys.stderr, flush=True)
    for changed in changes(*targets, watch_filter=lambda _change, path: path.endswith(_WATCHED), debounce=200,
                           rust_timeout=0, yield_on_timeout=False):
        names = sorted({Path(path).name for _change, path in changed})
        print(f"\n--- changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''} ---", flush=True)
        check_once(args)
        sys.stdout.flush()
    return 0
