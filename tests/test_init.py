"""helpers/__init__.py: every module's __all__ is re-exported (helpers.NAME), and nothing else."""

import importlib
import pkgutil
import types

import helpers


def test_every_public_name_of_every_module_is_reexported_and_nothing_else():
    exported = {}
    for info in pkgutil.iter_modules(helpers.__path__):
        module = importlib.import_module(f"helpers.{info.name}")
        names = getattr(module, "__all__", ["record"] if info.name == "results" else None)
        assert names is not None, f"helpers/{info.name}.py has no __all__; list its public names"
        for name in names:
            assert name not in exported, f"{name} is public in both helpers.{exported.get(name)} and helpers.{info.name}"
            assert getattr(helpers, name, None) is getattr(module, name), (
                f"helpers does not re-export {info.name}.{name}; add it to `from .{info.name} import ...` in helpers/__init__.py"
            )
            exported[name] = info.name
    public = {name for name, value in vars(helpers).items()
              if not name.startswith("_") and not isinstance(value, types.ModuleType)}
    assert public == set(exported), f"helpers exports names no module's __all__ lists: {sorted(public - set(exported))}"
    assert sorted(helpers.__all__) == sorted(exported), "helpers.__all__ is the modules' __all__, each name once"
