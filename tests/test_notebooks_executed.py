"""Every notebook in the table of contents is committed fully executed (nbval compares nothing otherwise)."""

import json
import pathlib

import nbformat
import pytest
from nbcheck import notebook_problems
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
