"""Re-execute notebooks in place, each in a fresh kernel, top to bottom (`make execute`).

    python scripts/execute.py [NOTEBOOK ...]   # default: every notebook in _toc.yml
"""

from __future__ import annotations

import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from toc import toc_notebooks


def execute(path: pathlib.Path, timeout: int = 600, write: bool = True) -> float:
    """Execute one notebook top to bottom in a fresh kernel (cwd = its folder); return the wall time in seconds.

    write=True stores the outputs in place (`make execute`); False only runs it (`make bench`).
    """
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    elapsed = time.perf_counter() - start
    if write:
        nbformat.write(nb, path)
    return elapsed


if __name__ == "__main__":
    paths = [pathlib.Path(p) for p in sys.argv[1:]] or toc_notebooks()
    for p in paths:
        print(f"executing {p} ...", flush=True)
        print(f"  done in {execute(p):.1f} s", flush=True)
