"""helpers: the tested code behind "Keras LSTMs, answered by experiment".

One module per idea the book teaches; the notebooks import from here so that they stay short.
"""

import os as _os

# Quiet, reproducible TensorFlow: no C++ log lines in notebook outputs (nbval compares them),
# and no oneDNN custom kernels (their round-off varies with the CPU). Must precede the first import.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
_os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from .repro import reset_states, set_seed, stateful_layers, weights_hash  # noqa: E402

__all__ = ["set_seed", "reset_states", "stateful_layers", "weights_hash"]
