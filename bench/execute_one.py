"""Execute one notebook in a fresh kernel (not in place) and print its figures as JSON.

Run by bench/run.py, one process per notebook, so that ``RUSAGE_CHILDREN`` of this process is
exactly the kernel's peak resident memory.
"""

from __future__ import annotations

import json
import pathlib
import resource
import sys

import nbformat

import _paths  # noqa: F401  (scripts/ on sys.path)
from execute import execute  # noqa: E402


def main(path: pathlib.Path) -> dict:
    nb = nbformat.read(path, as_version=4)
    wall, error = None, None
    try:
        wall = execute(path, timeout=900, write=False)
    except Exception as exc:  # reported, and counted as over budget by run.py
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: KiB
    return {"notebook": str(path), "wall_s": round(wall, 2) if wall is not None else None,
            "peak_rss_mb": round(peak_kib / 1024, 1), "cells": len(nb.cells),
            "code_cells": sum(1 for c in nb.cells if c.cell_type == "code"), "error": error}


if __name__ == "__main__":
    print(json.dumps(main(pathlib.Path(sys.argv[1]))))
