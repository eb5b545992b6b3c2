"""Every notebook in the table of contents is committed fully executed (nbval compares nothing otherwise)."""

import json

import nbformat
import pytest
from execute import fingerprint
from nbcheck import notebook_problems
from robustness import committed_seed
from toc import ROOT, toc_files, toc_notebooks


def _nb(cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    return json.loads(nbformat.writes(nb))


def _code(source, count, outputs=()):
    cell = nbformat.v4.new_code_cell(source, execution_count=count)
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    return cell


def test_a_fully_executed_notebook_passes():
    assert notebook_problems(_nb([_code("x = 1", 1), nbformat.v4.new_markdown_cell("hi"), _code("x", 2)])) == []


def test_an_unexecuted_cell_is_caught():
    problems = notebook_problems(_nb([_code("x = 1", 1), _code("x", None)]))
    assert any("no stored execution" in p for p in problems)


def test_out_of_order_execution_is_caught():
    problems = notebook_problems(_nb([_code("x = 1", 2), _code("x", 3)]))
    assert any("not run top to bottom" in p for p in problems)


def test_error_and_stderr_outputs_are_caught():
    err = {"output_type": "error", "ename": "AssertionError", "evalue": "", "traceback": []}
    log = {"output_type": "stream", "name": "stderr", "text": "I0000 port.cc oneDNN"}
    problems = notebook_problems(_nb([_code("assert False", 1, [err]), _code("x", 2, [log])]))
    assert any("error output" in p for p in problems) and any("stderr" in p for p in problems)


def test_a_notebook_without_code_is_caught():
    assert notebook_problems(_nb([nbformat.v4.new_markdown_cell("prose only")]))


@pytest.mark.parametrize("path", toc_notebooks(), ids=lambda p: p.name)
def test_toc_notebook_is_fully_executed(path):
    assert notebook_problems(json.loads(path.read_text())) == []


def test_every_book_notebook_is_in_the_toc():
    listed = {p.resolve() for p in toc_files()}
    stray = [p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts and p.resolve() not in listed]
    assert not stray, f"notebooks not in _toc.yml (they would be neither built nor tested): {stray}"


@pytest.mark.parametrize("path", toc_notebooks(), ids=lambda p: p.name)
def test_toc_notebook_outputs_are_not_stale(path):
    """Outputs come from the current code cells and helpers/ (nbval no longer compares trained numbers)."""
    nb = json.loads(path.read_text())
    stored = nb.get("metadata", {}).get("book", {}).get("fingerprint")
    assert stored, f"{path.name} has no fingerprint: re-execute it with `make execute NB={path.relative_to(ROOT)}`"
    now = fingerprint(nb)
    stale = [what for what in ("code", "helpers") if stored.get(what) != now[what]]
    assert not stale, (f"{path.name}: {' and '.join(stale)} changed since it was executed; "
                       f"re-execute it with `make execute NB={path.relative_to(ROOT)}`")


def test_a_changed_code_cell_changes_the_fingerprint():
    nb = _nb([_code("x = 1", 1), nbformat.v4.new_markdown_cell("prose"), _code("x", 2)])
    edited = json.loads(json.dumps(nb))
    edited["cells"][2]["source"] = "x + 1"
    prose = json.loads(json.dumps(nb))
    prose["cells"][1]["source"] = "other prose"
    assert fingerprint(edited)["code"] != fingerprint(nb)["code"]
    assert fingerprint(prose) == fingerprint(nb), "prose is not an input of the outputs"


@pytest.mark.parametrize("path", [p for p in toc_notebooks() if p.name.startswith("ch")], ids=lambda p: p.name)
def test_chapter_takes_its_seed_from_one_line(path):
    assert committed_seed(json.loads(path.read_text())) is not None, (
        f"{path.name} needs one `SEED = <int>` line (make robustness rewrites it)")
