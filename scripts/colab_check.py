"""`make test-colab`: execute every notebook the way a reader on Colab does, on this machine.

    python3 scripts/colab_check.py [--canonical-cell] [--python python3.12]

1. Builds `.venv-colab` (once; again when this script changes) with Python 3.12 and what Colab
   preinstalls that the book uses: the full `tensorflow==2.21.*` wheel (not tensorflow-cpu) with the Keras
   it brings, `tf-keras` (installed normally: its `tensorflow` requirement is met), NumPy, Matplotlib,
   `jax[cpu]`, and the kernel (ipykernel, nbclient). Not PyTorch: PyPI's torch for Python 3.12 is a
   CUDA build of several GB, so the backends appendix shows PyTorch as "not installed" here (its asserts
   on PyTorch are skipped), while Colab runs them. The project itself is NOT installed.
2. Fakes Colab: a stub `google.colab` module, imported at kernel start by a sitecustomize.py on the
   kernel's PYTHONPATH, so `"google.colab" in sys.modules` is true and the install cells run.
3. Copies book/ to a temporary directory and, in each copy, points the install cell at a temporary git
   repository holding this working tree's package files (`git+file://...`, instead of _config.yml's URL):
   the `%pip install ... git+` path of Colab is exercised, on the code in this tree.
   With --canonical-cell the copies' first code cell is first replaced by scripts/install_cell.py's text
   (to test that text before `python scripts/install_cell.py --apply` has been run).
4. Executes every TOC notebook in a fresh kernel, top to bottom: fails on an error or a failing assert.
   Outputs are not compared (other versions print other numbers). The notebooks in book/ are not touched.

What it cannot cover: a GPU, Colab's exact package versions on the day, Colab's PyTorch, Colab's UI.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-colab"
STAMP = VENV / ".colab-stamp"
# What Colab preinstalls that the notebooks import (Colab: Python 3.12, TensorFlow and Keras 3, tf-keras, JAX).
COLAB_PACKAGES = ["tensorflow==2.21.*", "tf-keras==2.21.*", "jax[cpu]", "numpy", "matplotlib",
                  "ipykernel", "nbclient", "nbformat", "pyyaml"]
SITECUSTOMIZE = "import google.colab  # noqa: F401  (Colab's kernels have it imported)\n"


def find_python(requested: str | None) -> str:
    """Python 3.12: --python, else python3.12 on the PATH, else pyenv's 3.12 (whose shim may be inactive)."""
    candidates = [requested] if requested else ["python3.12"] + sorted(
        str(p) for p in pathlib.Path(os.environ.get("PYENV_ROOT", pathlib.Path.home() / ".pyenv")).glob(
            "versions/3.12*/bin/python3.12"))
    for candidate in candidates:
        try:
            out = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2] == (3, 12))"],
                                 capture_output=True, text=True, timeout=60).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out == "True":
            return candidate
    raise SystemExit("colab-check: Python 3.12 not found (Colab's version); install it or pass --python /path/to/python3.12")


def ensure_venv(python: str) -> pathlib.Path:
    py = VENV / "bin" / "python"
    digest = hashlib.sha256(pathlib.Path(__file__).read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest and py.exists():
        return py
    start = time.time()
    if not py.exists():
        subprocess.run([python, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", *COLAB_PACKAGES], check=True)
    subprocess.run([str(py), "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"],
                   check=True, stdout=subprocess.DEVNULL)
    STAMP.write_text(digest)
    print(f"colab-check: built {VENV.name} in {time.time() - start:.0f} s")
    return py


def package_repo(dest: pathlib.Path) -> str:
    """A git repository with this working tree's package files (tracked and new ones); returns its file:// URL."""
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "--",
                            "pyproject.toml", "README.md", "LICENSE*", "helpers"],
                           cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    for rel in files:
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    git = ["git", "-c", "user.name=colab-check", "-c", "user.email=colab-check@localhost", "-c", "init.defaultBranch=main"]
    subprocess.run(git + ["init", "-q"], cwd=dest, check=True)
    subprocess.run(git + ["add", "-A"], cwd=dest, check=True)
    subprocess.run(git + ["commit", "-q", "-m", "package files of the working tree"], cwd=dest, check=True)
    return f"file://{dest}"


def prepare_notebook(path: pathlib.Path, repo_url: str, local_url: str, canonical: str | None) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    if canonical is not None:
        cell["source"] = canonical
    source = "".join(cell["source"])
    if "google.colab" not in source or f'URL = "{repo_url}"' not in source:
        raise SystemExit(f"colab-check: {path.name}: the first code cell is not a Colab install cell naming "
                         f"{repo_url} (python scripts/install_cell.py --apply)")
    cell["source"] = source.replace(f'URL = "{repo_url}"', f'URL = "{local_url}"')
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--canonical-cell", action="store_true",
                        help="replace each copy's install cell by scripts/install_cell.py's text first")
    parser.add_argument("--python", help="the Python 3.12 to build .venv-colab with")
    parser.add_argument("--only", default="", help="execute only the notebooks whose path contains this text")
    args = parser.parse_args()

    from install_cell import cell_source, repository_url
    from toc import toc_notebooks

    py = ensure_venv(find_python(args.python))
    versions = subprocess.run([str(py), "-c", "import sys, importlib.metadata as m; print(sys.version.split()[0], "
                               "*(f'{n} {m.version(n)}' for n in ('tensorflow', 'keras', 'tf-keras', 'jax')), sep=', ')"],
                              check=True, capture_output=True, text=True).stdout.strip()
    print(f"colab-check: Python {versions}")
    # The package comes from the install cell, never from an earlier run.
    subprocess.run([str(py), "-m", "pip", "uninstall", "--quiet", "--yes", "keras-lstms-answered"],
                   check=True, capture_output=True)

    repo_url = repository_url()
    canonical = cell_source() if args.canonical_cell else None
    failures = []
    selected = []
    with tempfile.TemporaryDirectory(prefix="colab-check-") as tmp:
        tmp = pathlib.Path(tmp)
        (tmp / "repo").mkdir()
        local_url = package_repo(tmp / "repo")
        shutil.copytree(ROOT / "book", tmp / "book")
        stub = tmp / "colab-stub"
        (stub / "google" / "colab").mkdir(parents=True)
        (stub / "google" / "colab" / "__init__.py").write_text('"""A stand-in for Colab\'s module (make test-colab)."""\n')
        # JAX imports google.colab.output when google.colab is imported (its Colab debugger); Colab has it.
        (stub / "google" / "colab" / "output.py").write_text('"""Stub of Colab\'s output module (make test-colab)."""\n')
        (stub / "sitecustomize.py").write_text(SITECUSTOMIZE)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TF_", "JUPYTER", "PYTHON", "VIRTUAL_ENV", "KERAS_"))}
        env.update(PYTHONPATH=str(stub), JUPYTER_PATH=str(VENV / "share" / "jupyter"), JUPYTER_PLATFORM_DIRS="1",
                   PYDEVD_DISABLE_FILE_VALIDATION="1", PATH=f"{VENV / 'bin'}:{os.environ['PATH']}")
        selected = [nb for nb in toc_notebooks() if args.only in str(nb)]
        for source in selected:
            copy = tmp / source.relative_to(ROOT)
            prepare_notebook(copy, repo_url, local_url, canonical)
            start = time.time()
            result = subprocess.run([str(py), "-c", RUNNER, str(copy)], env=env, cwd=copy.parent,
                                    capture_output=True, text=True)
            took = time.time() - start
            if result.returncode == 0:
                print(f"  ok   {source.relative_to(ROOT)}  ({took:.0f} s)")
            else:
                failures.append(source)
                print(f"  FAIL {source.relative_to(ROOT)}  ({took:.0f} s)\n" + result.stdout[-4000:] + result.stderr[-4000:])
    print(f"colab-check: {len(selected) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


# Runs in .venv-colab's Python: execute one notebook in a fresh kernel of that Python, stop at the first error.
RUNNER = """
import sys, nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
nb = nbformat.read(sys.argv[1], as_version=4)
try:
    NotebookClient(nb, kernel_name="python3", timeout=600, allow_errors=False).execute()
except CellExecutionError as error:
    print(str(error)[-3000:])
    sys.exit(1)
"""

if __name__ == "__main__":
    sys.exit(main())
