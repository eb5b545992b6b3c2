"""A chapter's References section: every link well-formed and listed once.

Link checks run offline (CI has no network to spare), so this checks form, not that a link
resolves: an absolute https URL with a host, no spaces, and no URL cited twice in the section.
Every chapter must have the section; appendix pages that have one are checked the same way.
"""

import json
import re
import urllib.parse

import pytest
from toc import toc_notebooks

LINK = re.compile(r"\]\(([^)\s]+)\)|<([a-z]+://[^>\s]+)>")
INTERNAL = ("#", "/", ".", "{")


def references_section(path) -> str | None:
    cells = json.loads(path.read_text())["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    match = re.search(r"^## References\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    return match.group(1) if match else None


PAGES = [p for p in toc_notebooks() if p.stem.startswith("ch") or references_section(p) is not None]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_references_are_well_formed_and_unique(path):
    section = references_section(path)
    assert section is not None, f"{path.name} needs a '## References' section"
    links = [u for u in (a or b for a, b in LINK.findall(section))
             if not u.startswith(INTERNAL) and ("://" in u or u.startswith(("http", "www")))]
    assert len(links) >= 3, f"{path.name}: expected the thread, Keras pages and papers, found {links}"
    for url in links:
        parts = urllib.parse.urlsplit(url)
        assert parts.scheme == "https" and "." in parts.netloc and " " not in url, f"{path.name}: malformed link {url!r}"
    repeated = sorted({u for u in links if links.count(u) > 1})
    assert not repeated, f"{path.name}: links cited more than once in References: {repeated}"
