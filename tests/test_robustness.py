"""`make robustness` and what the book says about it stay in step.

The runner's pieces are tested on small notebooks; the committed results file must cover every
notebook and every declared key number under seeds 1-4 x the three kernel variants; the book page
is exactly what the file renders to; and a range a chapter quotes "over seeds" is the file's range.
"""

import json
import re

import nbformat
import pytest
from robustness import (PAGE, RESULTS, VARIANTS, committed_seed, key_numbers, plan, render, strict_mismatches,
                        summary, with_seed)
from execute import fingerprint
from toc import ROOT, toc_notebooks


def _nb(*sources, outputs=None, tags=None):
    nb = nbformat.v4.new_notebook()
    for i, src in enumerate(sources):
        cell = nbformat.v4.new_code_cell(src, execution_count=i + 1)
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in (outputs or {}).get(i, [])]
        cell.metadata["tags"] = (tags or {}).get(i, [])
        nb.cells.append(cell)
    return json.loads(nbformat.writes(nb))


def test_the_seed_line_is_found_and_rewritten():
    nb = _nb("import helpers\nSEED = 3\nhelpers.set_seed(SEED)", "x = SEED")
    assert committed_seed(nb) == 3
    assert committed_seed(with_seed(nb, 7)) == 7
    assert "SEED = 7" in "".join(with_seed(nb, 7)["cells"][0]["source"])
    assert committed_seed(nb) == 3, "with_seed copies; the committed notebook is untouched"


def test_two_seed_lines_are_refused():
    with pytest.raises(ValueError, match="exactly one"):
        committed_seed(_nb("SEED = 1", "SEED = 2"))


def test_a_changed_strict_output_is_caught_and_an_ignored_one_is_not():
    committed = _nb("print(1)", "print(loss)", outputs={0: ["1\n"], 1: ["0.507\n"]},
                    tags={1: ["nbval-ignore-output"]})
    same = _nb("print(1)", "print(loss)", outputs={0: ["1\n"], 1: ["0.409\n"]})
    changed = _nb("print(1)", "print(loss)", outputs={0: ["2\n"], 1: ["0.507\n"]})
    assert strict_mismatches(committed, same) == []
    assert len(strict_mismatches(committed, changed)) == 1


def test_the_plan_runs_every_seed_under_every_variant(tmp_path):
    path = tmp_path / "ch.ipynb"
    path.write_text(json.dumps(_nb("SEED = 0")))
    runs = plan([path], [1, 2], ["default", "onednn"], committed_variants=["onednn"])
    assert [(s, v) for _, s, v in runs] == [(None, "onednn"), (1, "default"), (1, "onednn"), (2, "default"),
                                            (2, "onednn")]


# --- the committed results --------------------------------------------------------------------

@pytest.fixture(scope="module")
def results():
    assert RESULTS.exists(), "results/robustness.json is missing: run `make robustness`"
    return json.loads(RESULTS.read_text())


def test_results_cover_every_notebook_seed_and_variant(results):
    """Every notebook ran its committed seed under every kernel variant, and a seeded chapter also ran
    seeds 1-4 under every variant; the runs are exactly the plan its entry records."""
    for path in toc_notebooks():
        rel = path.relative_to(ROOT).as_posix()
        assert rel in results["notebooks"], f"{rel} was not part of the robustness run"
        entry = results["notebooks"][rel]
        nb = json.loads(path.read_text())
        assert entry["key_numbers"] == key_numbers(nb), f"{rel}: its key numbers changed since `make robustness`"
        assert entry["code"] == fingerprint(nb)["code"], (
            f"{rel}: its code changed since its robustness runs: `make robustness NB={rel}`")
        assert entry["committed_variants"] == list(VARIANTS), f"{rel}: the committed seed must run under every variant"
        expected = {(None, v) for v in VARIANTS}
        if committed_seed(nb) is not None:
            assert entry["seeds"] == [1, 2, 3, 4], f"{rel}: seeds 1-4 not run: `make robustness NB={rel}`"
            assert entry["variants"] == list(VARIANTS), (
                f"{rel}: seeds 1-4 ran under {entry['variants']} only, not every kernel variant: "
                f"`make robustness NB={rel}`")
            expected |= {(s, v) for s in entry["seeds"] for v in entry["variants"]}
        done = {(None if r["committed_seed"] else r["seed"], r["variant"]) for r in entry["runs"]}
        assert done == expected, f"{rel}: missing runs {sorted(expected - done, key=str)}"
        assert all(not r["errors"] for r in entry["runs"]), f"{rel}: a robustness run failed"
        for name in entry["key_numbers"]:
            assert all(name in r["numbers"] for r in entry["runs"]), f"{rel}: {name} missing from a run"


def test_every_chapter_declares_key_numbers():
    for path in toc_notebooks():
        if path.name.startswith("ch"):
            assert key_numbers(json.loads(path.read_text())), (
                f"{path.name}: declare its key numbers in metadata.book.key_numbers (see README, Writing a chapter)")


def test_the_robustness_page_is_rendered_from_the_results(results):
    assert PAGE.read_text() == render(results), "run `python scripts/robustness.py --render`"


RANGE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:–|—|-|to)\s*(\d+(?:\.\d+)?)(?![\w.])")


def _prose_sentences(path):
    cells = json.loads(path.read_text())["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return re.split(r"(?<=[.;:!?])\s+|\n\s*\n", text)


def _matches(quoted: tuple[str, str], lo: float, hi: float) -> bool:
    decimals = [len(q.split(".")[1]) if "." in q else 0 for q in quoted]
    return all(abs(float(q) - round(v, d)) < 1e-9 for q, v, d in zip(quoted, (lo, hi), decimals))


@pytest.mark.parametrize("path", [p for p in toc_notebooks() if p.name.startswith("ch")], ids=lambda p: p.stem)
def test_ranges_quoted_over_seeds_come_from_the_results(path, results):
    """A sentence that quotes a range "over seeds" quotes a key number's min-max of the results file."""
    rows = summary(results)[path.relative_to(ROOT).as_posix()]
    for sentence in _prose_sentences(path):
        if not re.search(r"\bseeds\b|robustness", sentence, re.I):
            continue
        for m in RANGE.finditer(sentence):
            if re.search(r"seeds?\s*$", sentence[:m.start()], re.I):
                continue  # "seeds 1-4" names the seeds, it quotes no result
            if all(re.fullmatch(r"(19|20)\d\d", g) for g in m.groups()):
                continue  # a span of years
            assert any(_matches(m.groups(), r["min"], r["max"]) for r in rows.values()), (
                f"{path.name}: the range {m.group(0)!r} in {sentence.strip()[:120]!r} is not the min-max of any "
                f"key number in results/robustness.json ({ {k: (r['min'], r['max']) for k, r in rows.items()} })")


def test_tensorflows_onednn_start_up_line_is_not_an_output():
    log = ("WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
           "I0000 00:00:1795571247.553022    4889 port.cc:153] oneDNN custom operations are on. You may see "
           "slightly different numerical results.\n")
    committed = _nb("import helpers", outputs={0: []})
    executed = _nb("import helpers")
    executed["cells"][0]["outputs"] = [nbformat.v4.new_output("stream", name="stderr", text=log)]
    assert strict_mismatches(committed, json.loads(json.dumps(executed))) == []
    executed["cells"][0]["outputs"][0]["text"] = log + "Traceback: something else\n"
    assert strict_mismatches(committed, json.loads(json.dumps(executed))), "other stderr output still counts"


def test_a_print_split_into_several_stream_messages_is_one_output():
    committed = _nb("print(1); print(2)", outputs={0: ["1\n2\n"]})
    split = _nb("print(1); print(2)", outputs={0: ["1\n", "2\n"]})
    assert strict_mismatches(committed, split) == []
