"""The book's configuration: dependencies declared once, mirrored for Binder; repository named once."""

import json
import re
import tomllib

import yaml
from toc import ROOT, toc_notebooks


def _requirement_set(reqs):
    return {re.sub(r"\s+", "", r) for r in reqs}


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = _requirement_set(project["dependencies"] + project["optional-dependencies"]["book"]
                                + project["optional-dependencies"]["test"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert _requirement_set(pip) == declared, "environment.yml's pip list must equal pyproject's dependencies + book + test extras"
    assert "python=3.11" in env["dependencies"]


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


def test_colab_install_cell_names_the_configured_repository():
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    for path in toc_notebooks():
        cells = json.loads(path.read_text())["cells"]
        first_code = next("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert "google.colab" in first_code and f"git+{url}" in first_code, (
            f"{path.name}: the first code cell must install helpers on Colab from {url}"
        )
