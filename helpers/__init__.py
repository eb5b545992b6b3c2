"""helpers: the tested machinery behind "Keras LSTMs, answered by experiment" (the models are in the chapters).

Importing this package has a side effect, on purpose: it sets TensorFlow's environment
(``TF_CPP_MIN_LOG_LEVEL=3``: no C++ log lines in notebook outputs, which nbval compares;
``TF_ENABLE_ONEDNN_OPTS=0``: no oneDNN custom kernels, whose round-off varies with the CPU),
unless already set. TensorFlow reads both once, when it is first imported, so ``import helpers``
must come before ``import keras`` / ``import tensorflow``; every chapter's setup cell says so. A
script that copies a chapter's model without importing helpers gets TensorFlow's defaults.

One module per concept; every public name is re-exported here (``helpers.stateful_batches``):

- ``datasets``: the sequences the chapters generate in code;
- ``batch_layout``: the stateful batch layout;
- ``state``: find, reset, read and copy recurrent state;
- ``reproducibility``: seeds and weight fingerprints;
- ``training``: the training loops the chapters compare;
- ``metrics``: per-position accuracy, sequence and horizon errors;
- ``timing``, ``memory``, ``checks``: the one timer, memory release, the one input check;
- ``streaming``: online inference without a Keras call per step;
- ``decoding``: step-by-step seq2seq decoding and its wiring check;
- ``probes``, ``migration``, ``backends``: describing exceptions, fresh interpreters, the appendix's probes;
- ``plotting``: the figures.
"""

import os as _os

_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
_os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from . import (  # noqa: E402  (after the environment is set)
    backends,
    batch_layout,
    checks,
    datasets,
    decoding,
    memory,
    metrics,
    migration,
    plotting,
    probes,
    reproducibility,
    state,
    streaming,
    timing,
    training,
)

_MODULES = [backends, batch_layout, checks, datasets, decoding, memory, metrics, migration, plotting, probes,
            reproducibility, state, streaming, timing, training]
try:  # the robustness runs' results file (helpers/results.py), where present
    from . import results  # noqa: E402

    _MODULES.append(results)
except ImportError:  # pragma: no cover
    pass

for _module in _MODULES:
    for _name in getattr(_module, "__all__", ["record"] if _module.__name__.endswith("results") else []):
        globals()[_name] = getattr(_module, _name)

__all__ = [name for name in globals() if not name.startswith("_") and name not in {m.__name__.split(".")[-1] for m in _MODULES}]
