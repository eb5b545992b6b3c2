import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
# The tests import scripts/*.py by plain name, as those scripts import each other (bench/ does it in bench/_paths.py).
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("MPLBACKEND", "Agg")
