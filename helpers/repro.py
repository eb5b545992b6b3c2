"""Reproducibility: seeds, op determinism, and resetting the state of stateful recurrent layers."""

from __future__ import annotations

import hashlib
import random

import keras
import numpy as np

__all__ = ["set_seed", "reset_states", "stateful_layers", "weights_hash"]


def set_seed(seed: int, deterministic: bool = True) -> None:
    """Seed Python, NumPy and Keras, and (on TensorFlow) switch op determinism on or off.

    seed: an int in [0, 2**32). deterministic: on the TensorFlow backend, call
    ``tf.config.experimental.enable_op_determinism()`` so that the same program on the same
    machine and versions gives the same bits; ``False`` switches it off again.

    >>> set_seed(0)
    >>> a = np.random.rand(); set_seed(0); a == np.random.rand()
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(
            f"set_seed: seed must be an int, got {type(seed).__name__} {seed!r}; pass e.g. set_seed(0)"
        )
    if not 0 <= int(seed) < 2**32:
        raise ValueError(f"set_seed: seed must lie in [0, 2**32), got {seed}; take seed % 2**32")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        if deterministic:
            tf.config.experimental.enable_op_determinism()
        else:
            from tensorflow.python.framework import config as tf_config

            tf_config.disable_op_determinism()


def _is_stateful_rnn(layer) -> bool:
    return isinstance(layer, keras.layers.RNN) and bool(getattr(layer, "stateful", False))


def stateful_layers(model) -> list:
    """All stateful recurrent layers of ``model``, however deeply nested.

    Looks inside nested models, ``Bidirectional`` (both directions) and ``TimeDistributed``.

    >>> inp = keras.Input(batch_shape=(1, 4, 2))
    >>> m = keras.Model(inp, keras.layers.LSTM(3, stateful=True)(inp))
    >>> [type(l).__name__ for l in stateful_layers(m)]
    ['LSTM']
    """
    if not isinstance(model, keras.layers.Layer):
        raise ValueError(
            f"stateful_layers: expected a Keras model or layer, got {type(model).__name__}; "
            "pass the keras.Model whose recurrent layers you want"
        )
    found, seen = [], set()
    for layer in model._flatten_layers(include_self=True, recursive=True):
        if id(layer) not in seen and _is_stateful_rnn(layer):
            seen.add(id(layer))
            found.append(layer)
    return found


def reset_states(model) -> int:
    """Reset every stateful recurrent layer of ``model`` to zeros; return how many were reset.

    Keras 3 has no ``Model.reset_states()``: this is its replacement. It reaches layers inside
    nested models, ``Bidirectional`` and ``TimeDistributed``. A model with no stateful
    recurrent layer is an error, because resetting it would silently do nothing.

    >>> inp = keras.Input(batch_shape=(1, 4, 2))
    >>> m = keras.Model(inp, keras.layers.LSTM(3, stateful=True)(inp))
    >>> reset_states(m)
    1
    """
    layers = stateful_layers(model)
    if not layers:
        raise ValueError(
            f"reset_states: model {getattr(model, 'name', model)!r} has no stateful recurrent layer, "
            "so there is no state to reset; build it with stateful=True and "
            "keras.Input(batch_shape=(batch, steps, features))"
        )
    for layer in layers:
        layer.reset_states()
    return len(layers)


def weights_hash(model) -> str:
    """SHA-256 (first 16 hex digits) of all of a model's weights, in order, as raw bytes.

    Two models have the same hash only if every weight is bitwise identical.
    """
    if not isinstance(model, keras.layers.Layer):
        raise ValueError(f"weights_hash: expected a Keras model or layer, got {type(model).__name__}")
    h = hashlib.sha256()
    for w in model.get_weights():
        a = np.ascontiguousarray(w)
        h.update(str(a.dtype).encode() + str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()[:16]

# === Chapter 5: resetting states inside fit ================================================

def state_values(model) -> np.ndarray:
    """The carried states of all stateful recurrent layers of ``model``, concatenated.

    Returns a float array of shape (batch_size, total_state_units): for an LSTM(u) layer, its
    h and c states (u columns each), layer after layer in model order. Zeros right after a reset.

    >>> inp = keras.Input(batch_shape=(2, 4, 1))
    >>> state_values(keras.Model(inp, keras.layers.LSTM(3, stateful=True)(inp))).shape
    (2, 6)
    """
    layers = stateful_layers(model)
    if not layers:
        raise ValueError(
            f"state_values: model {getattr(model, 'name', model)!r} has no stateful recurrent layer; "
            "build it with stateful=True"
        )
    states = [np.array(keras.ops.convert_to_numpy(v)) for layer in layers for v in (layer.states or [])]
    if not states:
        raise ValueError("state_values: the stateful layers are not built yet; call the model on a batch first")
    return np.concatenate(states, axis=-1)


class ResetStatesCallback(keras.callbacks.Callback):
    """Reset the model's stateful layers at the start of every epoch inside ``fit`` (Keras 3 never does).

    at_epoch_begin: reset before each training epoch, so every epoch starts from zero states
    (the ``fit(epochs=1); reset_states(model)`` loop, as one ``fit(epochs=N)`` call).
    before_validation: also reset right before the validation pass, so ``val_loss`` is computed
    from zero states instead of from wherever the training stream left them. Note that the
    training states are then lost: pair it with ``at_epoch_begin=True``.

    >>> cb = ResetStatesCallback(before_validation=True)
    >>> # model.fit(x, y, batch_size=B, shuffle=False, epochs=5, validation_data=..., callbacks=[cb])
    """

    def __init__(self, at_epoch_begin: bool = True, before_validation: bool = False):
        super().__init__()
        if not (at_epoch_begin or before_validation):
            raise ValueError(
                "ResetStatesCallback: at_epoch_begin and before_validation are both False, so it would "
                "never reset; drop the callback or switch one on"
            )
        self.at_epoch_begin = bool(at_epoch_begin)
        self.before_validation = bool(before_validation)
        self.resets = 0

    def on_train_begin(self, logs=None):
        if not stateful_layers(self.model):
            reset_states(self.model)  # raises: the model has no state to reset

    def on_epoch_begin(self, epoch, logs=None):
        if self.at_epoch_begin:
            reset_states(self.model)
            self.resets += 1

    def on_test_begin(self, logs=None):
        if self.before_validation:
            reset_states(self.model)
            self.resets += 1


def fresh_interpreter(code: str, env: dict | None = None, timeout: float = 300) -> list[str]:
    """Run ``code`` in a new Python interpreter (this one's executable) and return its stdout lines.

    env: extra environment variables (str -> str) on top of this process's, e.g.
    ``{"TF_ENABLE_ONEDNN_OPTS": "1"}`` for a setting that must precede importing TensorFlow.
    stderr (TensorFlow's start-up logs) is discarded unless the run fails, in which case a
    RuntimeError carries its last lines.

    >>> fresh_interpreter("print(6 * 7)")
    ['42']
    """
    import os
    import subprocess
    import sys

    if not isinstance(code, str) or not code.strip():
        raise ValueError("fresh_interpreter: code must be a non-empty string of Python source")
    if env is not None and not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
        raise ValueError("fresh_interpreter: env must map str to str, e.g. {'TF_ENABLE_ONEDNN_OPTS': '1'}")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                         env={**os.environ, **(env or {})})
    if run.returncode != 0:
        tail = "\n".join(run.stderr.strip().splitlines()[-8:])
        raise RuntimeError(f"fresh_interpreter: the child exited with code {run.returncode}:\n{tail}")
    return run.stdout.splitlines()


__all__ += ["state_values", "ResetStatesCallback", "fresh_interpreter"]
# (end of chapter 5 section)
