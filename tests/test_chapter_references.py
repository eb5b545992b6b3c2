"""A chapter's References section: every link well-formed and listed once.

Link checks run offline (CI has no network to spare), so this checks form, not that a link
resolves: an absolute https URL with a host, no spaces, and no URL cited twice in the section.
Chapters listed in CHECKED must have the section (add a chapter's stem when its section is written).
"""

import json
import re
from urllib.parse import urlparse

import pytest
from toc import toc_notebooks

CHECKED = {"ch3-teacher-forcing"}
LINK = re.compile(r"\]\(([^)\s]*)\)")
CHAPTERS = [p for p in toc_notebooks() if p.stem in CHECKED]


def references_section(path) -> str | None:
    text = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                     if c["cell_type"] == "markdown")
    match = re.search(r"^## References\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    return match.group(1) if match else None


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_references_are_well_formed_and_unique(path):
    section = references_section(path)
    assert section is not None, f"{path.name} needs a '## References' section"
    links = LINK.findall(section)
    assert links, f"{path.name}: the References section cites no link"
    for url in links:
        parts = urlparse(url)
        assert parts.scheme == "https" and "." in parts.netloc, f"{path.name}: malformed link {url!r}"
    repeated = sorted({u for u in links if links.count(u) > 1})
    assert not repeated, f"{path.name}: links cited more than once in References: {repeated}"


def test_every_checked_chapter_is_in_the_toc():
    assert {p.stem for p in CHAPTERS} == CHECKED


def test_the_check_rejects_a_malformed_link():
    assert LINK.findall("[a](https://x.org/a) [b](htps:/bad)") == ["https://x.org/a", "htps:/bad"]
    assert urlparse("htps:/bad").scheme != "https"
