"""Re-execute notebooks in place, each in a fresh kernel, top to bottom (`make execute`).

    python scripts/execute.py [NOTEBOOK ...]   # default: every notebook in _toc.yml

Each executed notebook records a fingerprint of what produced its outputs (its code cells and the
`helpers/` package) in ``metadata.book.fingerprint``; `tests/test_notebooks_executed.py` fails when
either changed without a re-execution, even where nbval no longer compares the outputs byte for byte.
"""

from __future__ import annotations

import hashlib
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from toc import ROOT, toc_notebooks


def _digest(parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.replace("\r\n", "\n").encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def fingerprint(nb) -> dict[str, str]:
    """What a notebook's stored outputs depend on: its code cells, and every file of ``helpers/``.

    nb: a parsed notebook (nbformat node or plain dict).
    """
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    helpers = sorted((ROOT / "helpers").rglob("*.py"))
    return {"code": _digest(code),
            "helpers": _digest(f"{p.relative_to(ROOT).as_posix()}\n{p.read_text()}" for p in helpers)}


def execute(path: pathlib.Path, timeout: int = 600, write: bool = True) -> float:
    """Execute one notebook top to bottom in a fresh kernel (cwd = its folder); return the wall time in seconds.

    write=True stores the outputs and the fingerprint in place (`make execute`); False only runs it (`make bench`).
    """
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    elapsed = time.perf_counter() - start
    if write:
        nb.metadata.setdefault("book", {})["fingerprint"] = fingerprint(nb)
        nbformat.write(nb, path)
    return elapsed


if __name__ == "__main__":
    paths = [pathlib.Path(p) for p in sys.argv[1:]] or toc_notebooks()
    for p in paths:
        print(f"executing {p} ...", flush=True)
        print(f"  done in {execute(p):.1f} s", flush=True)
