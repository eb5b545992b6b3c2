"""The References section of a chapter: every link well-formed and cited once.

Links are checked offline (the build has no network): each must be an absolute https URL with a
host and no spaces, and no URL may appear twice in the section. Chapters are listed here as their
References sections are written.
"""

import json
import pathlib
import re
from urllib.parse import urlparse

import pytest

BOOK = pathlib.Path(__file__).resolve().parent.parent / "book"
CHAPTERS = ["ch1-many-to-many-stateful.ipynb"]
LINK = re.compile(r"\]\(([^)\s]*)\)")


def references(path: pathlib.Path) -> str:
    text = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                     if c["cell_type"] == "markdown")
    _, found, rest = text.partition("\n## References\n")
    assert found, f"{path.name} has no '## References' section"
    return rest.split("\n## ")[0]


@pytest.mark.parametrize("name", CHAPTERS)
def test_reference_links_are_well_formed_and_unique(name):
    section = references(BOOK / name)
    links = LINK.findall(section)
    assert len(links) >= 3, f"{name}: expected the thread, Keras pages and papers, found {links}"
    for url in links:
        parts = urlparse(url)
        assert parts.scheme == "https" and parts.netloc and " " not in url, f"{name}: malformed link {url!r}"
    dupes = sorted({u for u in links if links.count(u) > 1})
    assert not dupes, f"{name}: links cited more than once in References: {dupes}"
