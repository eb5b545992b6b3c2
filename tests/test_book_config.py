"""The book's configuration: Jupyter Book pinned, repository named once, the Colab install cell in one place
(scripts/install_cell.py). Dependencies across files: tests/test_dependencies.py."""

import json
import tomllib

import install_cell
import yaml
from toc import ROOT, toc_notebooks


def test_jupyter_book_stays_below_2_and_keras_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert any(r.startswith("jupyter-book>=1.0.4.post1,<2") for r in project["optional-dependencies"]["book"])
    assert any(r.startswith("keras") and "<3.16" in r for r in project["dependencies"])


def test_config_builds_only_toc_files_without_executing():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["only_build_toc_files"] is True
    assert config["execute"]["execute_notebooks"] == "off"
    assert config["sphinx"]["config"]["nb_execution_raise_on_error"] is True
    assert config["launch_buttons"]["binderhub_url"] and config["launch_buttons"]["colab_url"]


def test_colab_install_cell_is_the_canonical_one():
    """Each notebook starts with scripts/install_cell.py's cell, which names _config.yml's repository."""
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    expected = install_cell.cell_source()
    assert f'URL = "{url}"' in expected and '"git+{URL}"' in expected and "--no-deps" in expected and "google.colab" in expected
    stale = [path.name for path in toc_notebooks()
             if install_cell.cell_text(install_cell.first_code_cell(json.loads(path.read_text()))) != expected]
    assert not stale, (f"the first code cell of {stale} is not scripts/install_cell.py's install cell: "
                       "run  python scripts/install_cell.py --apply  and re-execute them")


def test_install_cell_apply_changes_only_that_cell(tmp_path):
    """--apply on a copy rewrites the first code cell's source and nothing else (outputs kept)."""
    source = toc_notebooks()[0]
    copy = tmp_path / source.name
    before = json.loads(source.read_text())
    before["cells"][[c["cell_type"] for c in before["cells"]].index("code")]["source"] = ["print('old cell')\n"]
    copy.write_text(json.dumps(before, indent=1, ensure_ascii=False) + "\n")
    assert install_cell.apply([copy]) == [copy]
    after = json.loads(copy.read_text())
    index = [c["cell_type"] for c in after["cells"]].index("code")
    assert install_cell.cell_text(after["cells"][index]) == install_cell.cell_source()
    assert after["cells"][index]["outputs"] == before["cells"][index]["outputs"]
    assert after["cells"][index]["execution_count"] == before["cells"][index]["execution_count"]
    after["cells"][index]["source"] = before["cells"][index]["source"]
    assert after == before
    assert install_cell.apply([copy]) == [], "a second --apply changes nothing"


def test_config_serves_mathjax_from_the_book():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert "sphinx-mathjax-offline" in config["sphinx"]["extra_extensions"]
    assert "mathjax_path" not in config["sphinx"]["config"], "a mathjax_path here would override the local copy"
