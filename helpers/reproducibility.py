"""Reproducibility: seeding every random source, and a fingerprint of a model's weights."""

from __future__ import annotations

import hashlib
import random

import keras
import numpy as np

__all__ = ["set_seed", "weights_hash"]


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


def weights_hash(model) -> str:
    """SHA-256 (first 16 hex digits) of all of a model's weights, in order, as raw bytes.

    Two models have the same hash only if every weight is bitwise identical.

    >>> inp = keras.Input((4,))
    >>> a, b = (keras.Model(inp, keras.layers.Dense(2, kernel_initializer="ones")(inp)) for _ in range(2))
    >>> weights_hash(a) == weights_hash(b), len(weights_hash(a))
    (True, 16)
    """
    if not isinstance(model, keras.layers.Layer):
        raise ValueError(f"weights_hash: expected a Keras model or layer, got {type(model).__name__}")
    h = hashlib.sha256()
    for w in model.get_weights():
        a = np.ascontiguousarray(w)
        h.update(str(a.dtype).encode() + str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()[:16]
