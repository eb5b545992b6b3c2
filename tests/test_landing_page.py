"""The landing page's "five questions" table stays in sync with the chapters it summarises.

Each chapter ends with a cell that asserts its key claim and prints one line ``Key result: ...``.
nbval re-executes that cell on every run, so the stored line is always the measured one; this test
requires the landing page's row for the chapter to quote that line verbatim.
"""

import json
import re

import pytest
from toc import ROOT, toc_notebooks

KEY = re.compile(r"^Key result: (.+)$", re.M)
CHAPTERS = [p for p in toc_notebooks() if p.name.startswith("ch")]
INDEX = (ROOT / "book" / "index.md").read_text()


def key_results(path) -> list[str]:
    cells = json.loads(path.read_text())["cells"]
    text = "".join("".join(o.get("text", "")) for c in cells if c["cell_type"] == "code"
                   for o in c.get("outputs", []) if o.get("output_type") == "stream")
    return KEY.findall(text)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_landing_page_quotes_the_chapters_measured_key_result(path):
    found = key_results(path)
    assert len(found) == 1, f"{path.name} must print exactly one 'Key result: ...' line (found {len(found)})"
    rows = [line for line in INDEX.splitlines() if line.startswith("|") and path.stem in line]
    assert len(rows) == 1, f"book/index.md needs one table row linking to {path.stem}"
    assert found[0].strip() in rows[0], (
        f"book/index.md's row for {path.stem} must quote the measured key result verbatim:\n  {found[0].strip()}"
    )


def test_every_chapter_in_the_toc_has_a_landing_page_row():
    assert len(CHAPTERS) == sum(1 for line in INDEX.splitlines() if line.startswith("|") and "{doc}" in line)
