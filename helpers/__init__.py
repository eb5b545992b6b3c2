"""helpers: the tested code behind "Keras LSTMs, answered by experiment".

One module per idea the book teaches; the notebooks import from here so that they stay short.
Every public name of every module is re-exported, so ``helpers.stateful_batches`` works.
"""

import os as _os

# Quiet, reproducible TensorFlow: no C++ log lines in notebook outputs (nbval compares them),
# and no oneDNN custom kernels (their round-off varies with the CPU). Must precede the first import.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
_os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from . import checks, timing  # noqa: E402
from .timing import seconds  # noqa: E402,F401
from . import backends, data, metrics, migration, models, plotting, repro, seq2seq, streaming  # noqa: E402
from .backends import *  # noqa: E402,F401,F403
from .data import *  # noqa: E402,F401,F403
from .metrics import *  # noqa: E402,F401,F403
from .migration import *  # noqa: E402,F401,F403
from .models import *  # noqa: E402,F401,F403
from .plotting import *  # noqa: E402,F401,F403
from .repro import *  # noqa: E402,F401,F403
from .seq2seq import *  # noqa: E402,F401,F403
from .streaming import *  # noqa: E402,F401,F403

__all__ = [
    name
    for module in (backends, data, metrics, migration, models, plotting, repro, seq2seq, streaming)
    for name in module.__all__
]
