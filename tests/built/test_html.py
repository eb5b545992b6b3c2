"""The built HTML as a reader gets it (run by `make test` after the book build: `make html-check`).

Every page of the table of contents exists; every internal link and image resolves; every chapter
page shows as many figures as its notebook stores; notebook pages carry the Binder and Colab launch
buttons; no page shows an error traceback from a notebook output or a MyST directive left as raw
text (e.g. a dropdown whose fence did not parse).
"""

import json
import pathlib
import re
import urllib.parse

import pytest
from bs4 import BeautifulSoup
from toc import ROOT, toc_files

HTML = ROOT / "_build" / "html"
if not (HTML / "index.html").exists():
    pytest.exit("_build/html is missing: build the book first (make book)", returncode=1)

PAGES = [(src, HTML / src.relative_to(ROOT).with_suffix(".html")) for src in toc_files()]


def _soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _local_target(page: pathlib.Path, ref: str):
    parts = urllib.parse.urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith(("mailto:", "data:", "javascript:")):
        return None, None
    target = page if not parts.path else (page.parent / urllib.parse.unquote(parts.path)).resolve()
    return target, parts.fragment


@pytest.mark.parametrize("src,page", PAGES, ids=[p.name for _, p in PAGES])
def test_toc_page_is_built(src, page):
    assert page.is_file(), f"{src.name} is in _toc.yml but {page} was not built"


@pytest.mark.parametrize("src,page", PAGES, ids=[p.name for _, p in PAGES])
def test_internal_links_and_images_resolve(src, page):
    soup = _soup(page)
    broken = []
    for tag, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")):
        for el in soup.find_all(tag):
            ref = el.get(attr)
            if not ref:
                continue
            target, fragment = _local_target(page, ref)
            if target is None:
                continue
            if not target.exists():
                broken.append(f"<{tag} {attr}={ref!r}>: {target} does not exist")
            elif fragment and target.suffix == ".html" and tag == "a":
                if _soup(target).find(id=fragment) is None:
                    broken.append(f"<a href={ref!r}>: no element with id {fragment!r} in {target.name}")
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("src,page", [(s, p) for s, p in PAGES if s.suffix == ".ipynb"],
                         ids=[p.name for s, p in PAGES if s.suffix == ".ipynb"])
def test_notebook_page_shows_its_figures_and_launch_buttons(src, page):
    stored = sum(1 for c in json.loads(src.read_text())["cells"] if c["cell_type"] == "code"
                 for o in c.get("outputs", []) if "image/png" in o.get("data", {}))
    soup = _soup(page)
    shown = len(soup.select(".cell_output img"))
    assert shown == stored, f"{page.name}: the notebook stores {stored} figures, the page shows {shown}"
    md_tables = sum(1 for c in json.loads(src.read_text())["cells"] if c["cell_type"] == "code"
                    for o in c.get("outputs", []) if "|---" in "".join(o.get("data", {}).get("text/markdown", "")))
    rendered = len(soup.select(".cell_output table"))
    assert rendered >= md_tables, f"{page.name}: {md_tables} Markdown tables in outputs, {rendered} rendered as tables"
    hrefs = [a.get("href", "") for a in soup.find_all("a")]
    assert any("mybinder.org" in h for h in hrefs), f"{page.name}: no Binder launch button"
    assert any("colab.research.google.com" in h for h in hrefs), f"{page.name}: no Colab launch button"


@pytest.mark.parametrize("src,page", PAGES, ids=[p.name for _, p in PAGES])
def test_no_error_traceback_on_the_page(src, page):
    soup = _soup(page)
    text = soup.get_text()
    assert "Traceback (most recent call last)" not in text
    assert not soup.select(".output.traceback, .output.error"), f"{page.name} shows an error output"


RAW_DIRECTIVE = re.compile(r"(`{3,}|:{3,})\{[a-z-]+\}")


def _raw_directives(page) -> list[str]:
    """Directive openings (```{dropdown} ..., :::{note} ...) that reached the reader as text."""
    soup = _soup(page)
    for code in soup.select("pre, code"):  # a directive shown inside a code block is an example
        code.decompose()
    return [line.strip()[:80] for line in soup.get_text().splitlines() if RAW_DIRECTIVE.search(line)]


@pytest.mark.parametrize("src,page", PAGES, ids=[p.name for _, p in PAGES])
def test_no_directive_is_left_as_raw_text(src, page):
    raw = _raw_directives(page)
    assert not raw, (f"{page.name}: MyST directives rendered as text: {raw} (a backtick fence's title "
                     "cannot contain backticks: use a colon fence, :::{dropdown} Title with `code`)")


def test_the_raw_directive_check_can_fail(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><body><p>```{dropdown} Note on <code>x</code></p>"
                    "<pre>```{dropdown} an example</pre></body></html>", encoding="utf-8")
    assert _raw_directives(page) == ["```{dropdown} Note on"]


def test_the_link_check_catches_a_broken_image_and_link(tmp_path):
    """The checks above must be able to fail: break a copy of the landing page and run them on it."""
    src, page = PAGES[0]
    broken = tmp_path / page.name
    html = page.read_text(encoding="utf-8").replace("</body>", '<img src="_images/missing.png"><a href="nowhere.html">x</a></body>')
    broken.write_text(html, encoding="utf-8")
    with pytest.raises(AssertionError, match="missing.png") as excinfo:
        test_internal_links_and_images_resolve(src, broken)
    assert "nowhere.html" in str(excinfo.value)
