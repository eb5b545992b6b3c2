"""List the files of the book's table of contents (used by the Makefile, tests and the benchmark).

    python scripts/toc.py            # every TOC file, one per line
    python scripts/toc.py --notebooks  # only the .ipynb ones
"""

from __future__ import annotations

import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _resolve(entry: str) -> pathlib.Path:
    base = ROOT / entry
    for suffix in ("", ".ipynb", ".md"):
        path = base.with_name(base.name + suffix) if suffix else base
        if path.is_file():
            return path
    raise FileNotFoundError(f"_toc.yml names {entry!r}, but neither {entry}.ipynb nor {entry}.md exists")


def _walk(node):
    if isinstance(node, dict):
        if "file" in node:
            yield node["file"]
        for key in ("chapters", "sections", "parts"):
            for child in node.get(key, []) or []:
                yield from _walk(child)
    elif isinstance(node, list):
        for child in node:
            yield from _walk(child)


def toc_files() -> list[pathlib.Path]:
    """All files the table of contents names, in reading order (root first)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [_resolve(toc["root"])] + [_resolve(f) for f in _walk(toc)]


def toc_notebooks() -> list[pathlib.Path]:
    """The executed notebooks of the book, in reading order."""
    return [p for p in toc_files() if p.suffix == ".ipynb"]


if __name__ == "__main__":
    files = toc_notebooks() if "--notebooks" in sys.argv else toc_files()
    print("\n".join(str(p.relative_to(ROOT)) for p in files))
