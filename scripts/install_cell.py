"""The Colab install cell: the first code cell of every notebook, kept in this one place.

    python scripts/install_cell.py            # print the canonical cell
    python scripts/install_cell.py --check    # list the TOC notebooks whose first code cell differs (exit 1 if any)
    python scripts/install_cell.py --apply    # rewrite the first code cell of every TOC notebook to it

On Colab (`google.colab` imported) the cell installs this repository's `helpers` package with `--no-deps`,
so the runtime's own TensorFlow and Keras stay as they are: the project's `tensorflow-cpu` requirement would
otherwise install a second TensorFlow over Colab's `tensorflow`. Colab preinstalls everything else helpers
imports (NumPy, Matplotlib). The cell reads versions with importlib.metadata, without importing TensorFlow
(helpers must be imported first: it sets TensorFlow's log level and oneDNN switch). It stops with a message
saying what to run when the runtime's Keras or TensorFlow is older than the floor below.

The repository URL is `repository.url` of _config.yml. `--apply` changes only the `source` of that cell (its
outputs and execution count stay until the notebook is re-executed); it keeps nbformat's JSON layout.
"""

from __future__ import annotations

import json
import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
from toc import toc_notebooks  # noqa: E402

# The oldest runtime the install cell accepts: pyproject.toml's floor for Keras (`keras>=3.10`), on a
# TensorFlow with Keras 3 (2.16 was the first). Colab-like check (`make test-colab`): TensorFlow 2.21.
KERAS_FLOOR = (3, 10)
TENSORFLOW_FLOOR = (2, 16)

TEMPLATE = '''\
# Colab only: install the book's helpers, keeping Colab's TensorFlow and Keras.
import sys
if "google.colab" in sys.modules:
    from importlib.metadata import version
    def major_minor(package):
        return tuple(int(part) for part in version(package).split(".")[:2])
    if major_minor("keras") < @KERAS_FLOOR@ or major_minor("tensorflow") < @TF_FLOOR@:
        raise SystemExit("This book needs Keras >= @KERAS_TEXT@ and TensorFlow >= "
                         "@TF_TEXT@: run  %pip install -U tensorflow keras  then "
                         "Runtime > Restart session, and run this cell again.")
    URL = "@URL@"
    %pip install -q --no-deps "git+{URL}"'''


def repository_url() -> str:
    return yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


def cell_source(url: str | None = None) -> str:
    """The canonical install cell, naming `url` (default: _config.yml's repository.url)."""
    return (TEMPLATE.replace("@URL@", url or repository_url())
            .replace("@KERAS_FLOOR@", repr(KERAS_FLOOR)).replace("@TF_FLOOR@", repr(TENSORFLOW_FLOOR))
            .replace("@KERAS_TEXT@", ".".join(map(str, KERAS_FLOOR)))
            .replace("@TF_TEXT@", ".".join(map(str, TENSORFLOW_FLOOR))))


def first_code_cell(notebook: dict) -> dict:
    return next(c for c in notebook["cells"] if c["cell_type"] == "code")


def cell_text(cell: dict) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def outdated(paths=None) -> list[pathlib.Path]:
    """The notebooks whose first code cell is not the canonical install cell."""
    expected = cell_source()
    return [p for p in (paths or toc_notebooks()) if cell_text(first_code_cell(json.loads(p.read_text()))) != expected]


def apply(paths=None) -> list[pathlib.Path]:
    """Rewrite the first code cell's source of each notebook; touches nothing else. Returns the changed ones."""
    expected = cell_source()
    changed = []
    for path in paths or toc_notebooks():
        raw = path.read_text(encoding="utf-8")
        notebook = json.loads(raw)
        if json.dumps(notebook, indent=1, ensure_ascii=False) + "\n" != raw:
            raise SystemExit(f"{path}: not in nbformat's JSON layout (indent 1); save it with Jupyter first")
        cell = first_code_cell(notebook)
        if cell_text(cell) == expected:
            continue
        cell["source"] = expected.splitlines(keepends=True)
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        changed.append(path)
    return changed


def main(argv: list[str]) -> int:
    if argv == ["--apply"]:
        changed = apply()
        for path in changed:
            print(f"rewrote the install cell of {path.relative_to(ROOT)}")
        print(f"install_cell: {len(changed)} notebook(s) changed; re-execute them (make execute) to refresh outputs")
        return 0
    if argv == ["--check"]:
        stale = outdated()
        for path in stale:
            print(f"{path.relative_to(ROOT)}: first code cell differs from scripts/install_cell.py")
        return 1 if stale else 0
    if argv:
        print(__doc__)
        return 2
    print(cell_source())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
