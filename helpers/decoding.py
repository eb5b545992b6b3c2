"""Seq2seq decoding machinery: run an encoder / decoder-step pair step by step, and check it against the training model."""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from .checks import array_of_shape, positive_int

__all__ = ["teacher_forced_stepwise", "inference_wiring_error", "decode_with_predict_loop"]


def _example_pair(units: int = 2, tx: int = 5, ty: int = 3):
    """The smallest wired seq2seq (training model, encoder, decoder step), for the examples below."""
    enc, dec = keras.layers.LSTM(units, return_state=True), keras.layers.LSTM(units, return_sequences=True, return_state=True)
    head = keras.layers.Dense(1)
    past, previous = keras.Input((tx, 1)), keras.Input((ty, 1))
    _, h, c = enc(past)
    seq, _, _ = dec(previous, initial_state=[h, c])
    x, h_in, c_in = keras.Input((1, 1)), keras.Input((units,)), keras.Input((units,))
    out, h_out, c_out = dec(x, initial_state=[h_in, c_in])
    return (keras.Model([past, previous], head(seq)), keras.Model(past, [h, c]),
            keras.Model([x, h_in, c_in], [head(out), h_out, c_out]))


def _check_seq(name: str, x, fn: str, steps=None) -> np.ndarray:
    return array_of_shape(fn, name, x, ("batch", "steps" if steps is None else steps, 1),
                          "add a trailing axis with x[..., None]", dtype="float32")


def teacher_forced_stepwise(encoder: keras.Model, step: keras.Model, encoder_input, decoder_input) -> np.ndarray:
    """Run the inference pair one step at a time, but feed it the *true* previous values.

    encoder_input: (batch, tx, 1); decoder_input: (batch, ty, 1) teacher inputs.
    Returns (batch, ty, 1) — what the training model outputs, if the pair is wired right.

    >>> _, encoder, step = _example_pair(tx=5)
    >>> teacher_forced_stepwise(encoder, step, np.zeros((2, 5, 1)), -np.ones((2, 3, 1))).shape
    (2, 3, 1)
    """
    x = _check_seq("encoder_input", encoder_input, "teacher_forced_stepwise")
    d = _check_seq("decoder_input", decoder_input, "teacher_forced_stepwise")
    if len(x) != len(d):
        raise ValueError(f"teacher_forced_stepwise: {len(x)} encoder inputs but {len(d)} decoder inputs; pass matching batches")
    h, c = encoder(ops.convert_to_tensor(x), training=False)
    outputs = []
    for t in range(d.shape[1]):
        y, h, c = step([ops.convert_to_tensor(d[:, t : t + 1, :]), h, c], training=False)
        outputs.append(np.asarray(y))
    return np.concatenate(outputs, axis=1)


def inference_wiring_error(train_model, encoder, step, encoder_input, decoder_input) -> float:
    """Max |training-model output - step-by-step inference output| on the same teacher inputs.

    A correctly wired inference pair gives round-off (< 1e-5 in float32); any wiring bug
    (swapped h/c, state not carried, wrong input) gives an O(0.01-1) difference, whatever the weights.

    >>> train, encoder, step = _example_pair(tx=5, ty=3)
    >>> x, d = np.zeros((2, 5, 1)), -np.ones((2, 3, 1))
    >>> inference_wiring_error(train, encoder, step, x, d) < 1e-5
    True
    """
    x = _check_seq("encoder_input", encoder_input, "inference_wiring_error")
    d = _check_seq("decoder_input", decoder_input, "inference_wiring_error")
    reference = np.asarray(train_model([x, d], training=False))
    stepwise = teacher_forced_stepwise(encoder, step, x, d)
    return float(np.max(np.abs(reference - stepwise)))


def decode_with_predict_loop(encoder, step, encoder_input, ty: int, start: float = -1.0) -> np.ndarray:
    """Free-running decoding the slow way: one ``predict()`` call per step, as common examples do.

    encoder_input: (batch, tx, 1). Returns (batch, ty, 1). Same numbers as
    a free-running model's ``predict`` — but each of the ty+1 ``predict`` calls pays
    Keras's fixed per-call overhead.

    >>> _, encoder, step = _example_pair(tx=5)
    >>> decode_with_predict_loop(encoder, step, np.zeros((2, 5, 1)), ty=3).shape
    (2, 3, 1)
    """
    x = _check_seq("encoder_input", encoder_input, "decode_with_predict_loop")
    ty = positive_int("decode_with_predict_loop", "ty", ty)
    h, c = encoder.predict(x, verbose=0, batch_size=len(x))
    prev = np.full((len(x), 1, 1), start, dtype="float32")
    outputs = []
    for _ in range(ty):
        prev, h, c = step.predict([prev, h, c], verbose=0, batch_size=len(x))
        outputs.append(prev)
    return np.concatenate(outputs, axis=1)
