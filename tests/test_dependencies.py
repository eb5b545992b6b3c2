"""Dependencies say what they need, once: pyproject.toml declares; environment.yml, postBuild and the Makefile agree.

Every module a notebook or helpers/ imports is the standard library, `helpers`, or comes from a distribution
pyproject.toml declares (dependencies, an extra, or [tool.keras-lstms-answered] install-without-deps).
"""

import ast
import importlib.metadata
import json
import re
import sys
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from toc import ROOT, toc_notebooks

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]
EXTRAS = PROJECT["optional-dependencies"]
WITHOUT_DEPS = PYPROJECT["tool"]["keras-lstms-answered"]["install-without-deps"]
MAKEFILE = (ROOT / "Makefile").read_text()
POSTBUILD = (ROOT / "postBuild").read_text()


def _requirement_set(reqs):
    return {re.sub(r"\s+", "", r) for r in reqs}


def _no_deps_installs(text: str) -> set[str]:
    """The requirements a script installs with `pip install ... --no-deps "spec"` (quoted specs)."""
    return {spec for line in text.splitlines() if "pip install" in line and "--no-deps" in line
            for spec in re.findall(r'"([^"]+)"', line)}


def test_environment_yml_mirrors_pyproject():
    declared = _requirement_set(PROJECT["dependencies"] + EXTRAS["book"] + EXTRAS["test"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert _requirement_set(pip) == declared, "environment.yml's pip list must equal pyproject's dependencies + book + test extras"
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert SpecifierSet(PROJECT["requires-python"]).contains(python.removeprefix("python=") + ".0"), (
        f"environment.yml's {python} is outside requires-python {PROJECT['requires-python']}")


def test_the_no_deps_installs_are_the_declared_ones():
    assert WITHOUT_DEPS, "pyproject.toml [tool.keras-lstms-answered] install-without-deps is empty"
    assert _no_deps_installs(MAKEFILE) == set(WITHOUT_DEPS), "the Makefile's --no-deps installs differ from pyproject.toml's"
    postbuild = _no_deps_installs(POSTBUILD) - {"-e"}
    assert postbuild == set(WITHOUT_DEPS), "postBuild's --no-deps installs differ from pyproject.toml's"
    assert "pip install --no-deps -e ." in POSTBUILD, "postBuild installs helpers without dependencies (environment.yml has them)"


def test_tf_keras_matches_the_tensorflow_series():
    tensorflow = next(Requirement(r) for r in PROJECT["dependencies"] if r.startswith("tensorflow"))
    tf_keras = next(Requirement(r) for r in WITHOUT_DEPS if r.startswith("tf-keras"))
    assert str(tf_keras.specifier) == str(tensorflow.specifier), "tf-keras X.Y.* works with TensorFlow X.Y.* only"


def test_the_makefile_installs_extras_that_exist():
    used = set()
    for extras in re.findall(r'-e "\.\[([a-z,]+)\]"', MAKEFILE):
        used |= set(extras.split(","))
    assert used >= {"book", "test", "backends"}
    assert used <= set(EXTRAS), f"the Makefile installs extras pyproject.toml does not declare: {used - set(EXTRAS)}"


def test_makefile_pythons_are_the_supported_ones():
    accepted = re.search(r"sys\.version_info\[:2\] in \(([^)]*\)(?:, \([^)]*\))*)\)", MAKEFILE).group(1)
    versions = [f"{major}.{minor}" for major, minor in re.findall(r"\((\d+), (\d+)\)", accepted)]
    assert versions == ["3.11", "3.12", "3.13"]
    spec = SpecifierSet(PROJECT["requires-python"])
    assert all(spec.contains(v + ".0") for v in versions)
    assert not spec.contains("3.10.0") and not spec.contains("3.14.0"), "TensorFlow 2.21 has wheels for 3.10-3.13; the book tests 3.11-3.13"
    for version in versions:
        assert f"python{version}" in MAKEFILE


def _imports(code: str) -> set[str]:
    # IPython magics (%pip, !cmd) become `pass`, keeping their indentation
    code = "\n".join(line[:len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!")) else line
                     for line in code.splitlines())
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _imported_modules() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in toc_notebooks():
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                for name in _imports("".join(cell["source"])):
                    found.setdefault(name, set()).add(path.name)
    for path in sorted((ROOT / "helpers").rglob("*.py")):
        for name in _imports(path.read_text()):
            found.setdefault(name, set()).add(f"helpers/{path.name}")
    return found


def test_every_imported_module_is_declared():
    declared = {Requirement(r).name.lower().replace("_", "-")
                for r in PROJECT["dependencies"] + WITHOUT_DEPS + [r for extra in EXTRAS.values() for r in extra]}
    providers = importlib.metadata.packages_distributions()
    imported = _imported_modules()
    assert {"keras", "numpy", "helpers"} <= set(imported), "the import scan found none of the book's usual modules"
    undeclared = []
    for module, users in sorted(imported.items()):
        if module in sys.stdlib_module_names or module == "helpers" or module.startswith("_"):
            continue
        dists = {d.lower().replace("_", "-") for d in providers.get(module, [])}
        if module == "IPython":  # a notebook's kernel is IPython: the declared ipykernel requires it
            dists = {"ipykernel"}
        if not dists & declared:
            undeclared.append(f"{module} (imported by {', '.join(sorted(users))}; installed from {sorted(dists) or 'nothing here'})")
    assert not undeclared, "imported but not declared in pyproject.toml:\n" + "\n".join(undeclared)
