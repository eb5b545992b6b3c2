"""Put scripts/ on ``sys.path`` for bench/'s entry points (``import _paths`` before ``from toc import ...``).

scripts/*.py need nothing: Python puts a script's own directory first on ``sys.path``, so they import
each other by plain name; the test suite gets the same path from tests/conftest.py.
"""

import pathlib
import sys

SCRIPTS = str(pathlib.Path(__file__).resolve().parent.parent / "scripts")
if SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)
