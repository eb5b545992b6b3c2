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

# Explicit re-exports, module by module (tests/test_init.py checks they are exactly the modules' __all__).
# ruff: noqa: E402  (after the environment is set)
from . import (
    backends, batch_layout, checks, datasets, decoding, memory, metrics, migration, plotting, probes, reproducibility,
    state, streaming, timing, training,
)
from .backends import (
    BACKENDS, CHECKS, REPRO, backend_matrix_markdown, explicit_state_run, probe_backends, probe_fast_path_training,
    probe_state_carrying, probe_traced_state, run_repro,
)
from .batch_layout import stateful_batches
from .checks import array_of_shape, positive_int
from .datasets import (
    Seq2SeqWindows, ar1_forecast_mse, ar1_windows, causal_accuracy_ceiling, latch_series, memory_mixing, memory_sequences,
    noisy_sine, one_hot, reversal_data, reversal_pairs, sliding_windows,
)
from .decoding import decode_with_predict_loop, inference_wiring_error, teacher_forced_stepwise
from .memory import release_memory
from .metrics import PerPositionAccuracy, binomial_std, mse_by_horizon, per_position_accuracy, sequence_mse
from .migration import TF_KERAS_MISSING, MigrationRow, keras2_behaviour, migration_table, probe_keras2
from .plotting import (
    plot_bars, plot_batch_layouts, plot_error_by_horizon, plot_position_accuracy, plot_sequence_outputs,
    plot_update_losses,
)
from .probes import describe_exception, fresh_interpreter
from .reproducibility import set_seed, weights_hash
from .state import ResetStatesCallback, reset_states, state_values, stateful_copy, stateful_layers, stateless_copy
from .streaming import StreamingModel, streaming_latency_table, to_streaming
from .timing import seconds
from .training import fit_one_sequence_at_a_time, fit_one_step_at_a_time, fit_until_accurate

_MODULES = (backends, batch_layout, checks, datasets, decoding, memory, metrics, migration, plotting, probes,
            reproducibility, state, streaming, timing, training)
__all__ = [name for module in _MODULES for name in module.__all__]

try:  # the robustness runs' results file (helpers/results.py), where present
    from . import results
    from .results import record

    _MODULES += (results,)
    __all__.append("record")
except ImportError:  # pragma: no cover
    pass
