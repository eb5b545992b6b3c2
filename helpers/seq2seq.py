"""Sequence-to-sequence utilities: training model, encoder, decoder step, decoding, training modes.

The layers of an LSTM encoder-decoder for a one-channel time series are created once
(:func:`make_seq2seq_layers`) and then wired into several Keras models that *share* them:

- :func:`build_training_model` — teacher forcing: the decoder reads the true previous value;
- :func:`build_encoder` and :func:`build_decoder_step` — the step-by-step inference pair;
- :func:`build_free_running_model` — the decoder reads its own previous prediction, unrolled in
  one graph (one ``predict`` call decodes the whole horizon);
- :func:`build_mixed_model` — scheduled sampling: during ``fit`` each step reads the true value with
  probability ``p`` and its own prediction otherwise (``p=0`` is free-running training).

Plus the check that the inference pair is wired like the training model
(:func:`inference_wiring_error`), a ``predict``-per-step decoder to compare speeds with, and the
masked mean squared errors (the all-entries mean and the correct masked mean).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import keras
import numpy as np
from keras import ops

from .data import ar1_windows  # noqa: F401  (used in the examples)

__all__: list[str] = [
    "Seq2SeqLayers",
    "make_seq2seq_layers",
    "build_training_model",
    "build_encoder",
    "build_decoder_step",
    "build_free_running_model",
    "build_mixed_model",
    "build_direct_model",
    "teacher_forced_stepwise",
    "inference_wiring_error",
    "decode_with_predict_loop",
    "mse_by_horizon",
    "fit_timed",
    "masked_mse_all_entries",
    "masked_mse",
]


def _positive_int(name: str, value, fn: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{fn}: {name} must be a positive int, got {value!r}; pass e.g. {name}=10")
    return int(value)


@dataclass
class Seq2SeqLayers:
    """The shared layers of a one-channel LSTM encoder-decoder (see :func:`make_seq2seq_layers`)."""

    encoder_lstm: keras.layers.LSTM
    decoder_lstm: keras.layers.LSTM
    decoder_dense: keras.layers.Dense
    units: int


def make_seq2seq_layers(units: int = 16, unroll: bool = True) -> Seq2SeqLayers:
    """Create the encoder LSTM, decoder LSTM and linear Dense head, to be shared by several models.

    units: LSTM width. unroll: unroll the recurrences in the graph (faster for the short
    sequences of chapter 3 on a CPU; same numbers up to round-off).

    >>> L = make_seq2seq_layers(8)
    >>> L.units, L.decoder_dense.units
    (8, 1)
    """
    units = _positive_int("units", units, "make_seq2seq_layers")
    return Seq2SeqLayers(
        encoder_lstm=keras.layers.LSTM(units, return_state=True, unroll=unroll, name="encoder_lstm"),
        decoder_lstm=keras.layers.LSTM(
            units, return_sequences=True, return_state=True, unroll=unroll, name="decoder_lstm"
        ),
        decoder_dense=keras.layers.Dense(1, activation="linear", name="decoder_dense"),
        units=units,
    )


def _check_layers(layers, fn: str) -> None:
    if not isinstance(layers, Seq2SeqLayers):
        raise ValueError(
            f"{fn}: expected the Seq2SeqLayers returned by make_seq2seq_layers, got {type(layers).__name__}; "
            "create them with layers = make_seq2seq_layers(units)"
        )


def build_training_model(layers: Seq2SeqLayers, tx: int, ty: int) -> keras.Model:
    """The teacher-forced training model: ``[encoder_input, decoder_input] -> prediction``.

    encoder_input: (batch, tx, 1) past values; decoder_input: (batch, ty, 1) the target shifted
    right by one with a start value first (see ``helpers.ar1_windows``); prediction: (batch, ty, 1).
    The decoder LSTM starts from the encoder's final ``[h, c]``.

    >>> m = build_training_model(make_seq2seq_layers(4), tx=5, ty=3)
    >>> m.output.shape
    (None, 3, 1)
    """
    _check_layers(layers, "build_training_model")
    tx = _positive_int("tx", tx, "build_training_model")
    ty = _positive_int("ty", ty, "build_training_model")
    enc_in = keras.Input((tx, 1), name="encoder_input")
    dec_in = keras.Input((ty, 1), name="decoder_input")
    _, h, c = layers.encoder_lstm(enc_in)
    seq, _, _ = layers.decoder_lstm(dec_in, initial_state=[h, c])
    return keras.Model([enc_in, dec_in], layers.decoder_dense(seq), name="teacher_forced")


def build_encoder(layers: Seq2SeqLayers, tx: int) -> keras.Model:
    """The inference encoder: ``encoder_input (batch, tx, 1) -> [h, c]``, each (batch, units).

    >>> [t.shape for t in build_encoder(make_seq2seq_layers(4), tx=5).outputs]
    [(None, 4), (None, 4)]
    """
    _check_layers(layers, "build_encoder")
    tx = _positive_int("tx", tx, "build_encoder")
    enc_in = keras.Input((tx, 1), name="encoder_input")
    _, h, c = layers.encoder_lstm(enc_in)
    return keras.Model(enc_in, [h, c], name="encoder")


def build_decoder_step(layers: Seq2SeqLayers) -> keras.Model:
    """One decoder step: ``[previous value (batch, 1, 1), h, c] -> [prediction (batch, 1, 1), h, c]``.

    >>> step = build_decoder_step(make_seq2seq_layers(4))
    >>> [t.shape for t in step.outputs]
    [(None, 1, 1), (None, 4), (None, 4)]
    """
    _check_layers(layers, "build_decoder_step")
    x_in = keras.Input((1, 1), name="previous_value")
    h_in = keras.Input((layers.units,), name="h")
    c_in = keras.Input((layers.units,), name="c")
    out, h, c = layers.decoder_lstm(x_in, initial_state=[h_in, c_in])
    return keras.Model([x_in, h_in, c_in], [layers.decoder_dense(out), h, c], name="decoder_step")


class _StartValue(keras.layers.Layer):
    """(batch, steps, 1) -> (batch, 1, 1) filled with a constant start value."""

    def __init__(self, value: float, **kwargs):
        super().__init__(**kwargs)
        self.value = float(value)

    def call(self, x):
        return ops.ones_like(x[:, :1, :1]) * self.value

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 1, 1)


class _TeacherOrPrediction(keras.layers.Layer):
    """Scheduled sampling switch: in training, per sample, the true value with probability ``p``."""

    def __init__(self, p: keras.Variable, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.p = p
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        teacher, prediction = inputs
        if not training:
            return prediction
        coin = keras.random.uniform(ops.shape(prediction)[:1], seed=self.seed_generator)
        use_teacher = ops.reshape(ops.cast(coin < self.p, prediction.dtype), (-1, 1, 1))
        return use_teacher * teacher + (1.0 - use_teacher) * prediction

    def compute_output_shape(self, input_shape):
        return input_shape[1]


def _unroll_decoder(layers, h, c, first_input, ty, next_input):
    """Run the decoder ``ty`` steps; ``next_input(t, prediction_t)`` gives the input of step t+1."""
    x, outputs = first_input, []
    for t in range(ty):
        out, h, c = layers.decoder_lstm(x, initial_state=[h, c])
        y = layers.decoder_dense(out)
        outputs.append(y)
        if t < ty - 1:
            x = next_input(t, y)
    return outputs[0] if ty == 1 else keras.layers.Concatenate(axis=1)(outputs)


def build_free_running_model(layers: Seq2SeqLayers, tx: int, ty: int, start: float = -1.0) -> keras.Model:
    """Free-running decoding in one graph: ``encoder_input (batch, tx, 1) -> forecast (batch, ty, 1)``.

    The first decoder input is ``start``; each later input is the previous prediction. Training
    this model with ``fit`` is free-running training (gradients flow through the fed-back
    predictions); calling ``predict`` on it decodes the whole horizon in one call.

    >>> build_free_running_model(make_seq2seq_layers(4), tx=5, ty=3).output.shape
    (None, 3, 1)
    """
    _check_layers(layers, "build_free_running_model")
    tx = _positive_int("tx", tx, "build_free_running_model")
    ty = _positive_int("ty", ty, "build_free_running_model")
    enc_in = keras.Input((tx, 1), name="encoder_input")
    _, h, c = layers.encoder_lstm(enc_in)
    first = _StartValue(start, name="start_value")(enc_in)
    out = _unroll_decoder(layers, h, c, first, ty, lambda t, y: y)
    return keras.Model(enc_in, out, name="free_running")


def build_mixed_model(layers: Seq2SeqLayers, tx: int, ty: int, p: float = 0.5, seed=None):
    """Scheduled-sampling model ``[encoder_input, decoder_input] -> prediction``; returns (model, p).

    In ``fit`` (training=True) decoder step t+1 reads, independently per sample, the true value
    ``decoder_input[:, t+1]`` with probability ``p`` and the model's own prediction otherwise;
    the first step reads ``decoder_input[:, 0]`` (the start value). In ``predict``/``evaluate`` it
    always reads its own predictions (free-running). ``p`` is returned as a ``keras.Variable``:
    ``p.assign(...)`` between epochs gives a schedule (see :func:`fit_timed`). ``p=1`` is teacher
    forcing, ``p=0`` free-running training.

    >>> model, p = build_mixed_model(make_seq2seq_layers(4), tx=5, ty=3, p=0.25)
    >>> model.output.shape, float(p.numpy())
    ((None, 3, 1), 0.25)
    """
    _check_layers(layers, "build_mixed_model")
    tx = _positive_int("tx", tx, "build_mixed_model")
    ty = _positive_int("ty", ty, "build_mixed_model")
    if not 0.0 <= float(p) <= 1.0:
        raise ValueError(f"build_mixed_model: p is a probability, got {p}; pass 0 <= p <= 1")
    p_var = keras.Variable(float(p), trainable=False, name="teacher_probability")
    enc_in = keras.Input((tx, 1), name="encoder_input")
    dec_in = keras.Input((ty, 1), name="decoder_input")
    _, h, c = layers.encoder_lstm(enc_in)
    switch = _TeacherOrPrediction(p_var, seed=seed, name="teacher_or_prediction")
    out = _unroll_decoder(layers, h, c, dec_in[:, :1, :], ty, lambda t, y: switch([dec_in[:, t + 1 : t + 2, :], y]))
    return keras.Model([enc_in, dec_in], out, name="scheduled_sampling"), p_var


def build_direct_model(units: int, tx: int, ty: int, unroll: bool = True) -> keras.Model:
    """Direct multi-horizon forecaster: LSTM encoder -> Dense(ty), all steps at once.

    encoder_input (batch, tx, 1) -> forecast (batch, ty, 1). No decoder, nothing fed back.

    >>> build_direct_model(4, tx=5, ty=3).output.shape
    (None, 3, 1)
    """
    units = _positive_int("units", units, "build_direct_model")
    tx = _positive_int("tx", tx, "build_direct_model")
    ty = _positive_int("ty", ty, "build_direct_model")
    enc_in = keras.Input((tx, 1), name="encoder_input")
    h = keras.layers.LSTM(units, unroll=unroll, name="encoder_lstm")(enc_in)
    out = keras.layers.Reshape((ty, 1))(keras.layers.Dense(ty, name="all_horizons")(h))
    return keras.Model(enc_in, out, name="direct")


def _check_seq(name: str, x, fn: str, steps=None) -> np.ndarray:
    x = np.asarray(x, dtype="float32")
    if x.ndim != 3 or x.shape[-1] != 1 or (steps is not None and x.shape[1] != steps):
        want = f"(batch, {steps if steps is not None else 'steps'}, 1)"
        raise ValueError(f"{fn}: {name} must have shape {want}, got {x.shape}; add a trailing axis with x[..., None]")
    return x


def teacher_forced_stepwise(encoder: keras.Model, step: keras.Model, encoder_input, decoder_input) -> np.ndarray:
    """Run the inference pair one step at a time, but feed it the *true* previous values.

    encoder_input: (batch, tx, 1); decoder_input: (batch, ty, 1) teacher inputs.
    Returns (batch, ty, 1) — what the training model outputs, if the pair is wired right.

    >>> L = make_seq2seq_layers(4)
    >>> teacher_forced_stepwise(build_encoder(L, 5), build_decoder_step(L),
    ...                         np.zeros((2, 5, 1)), -np.ones((2, 3, 1))).shape
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

    >>> L = make_seq2seq_layers(4)
    >>> x, d = np.zeros((2, 5, 1)), -np.ones((2, 3, 1))
    >>> err = inference_wiring_error(build_training_model(L, 5, 3), build_encoder(L, 5),
    ...                              build_decoder_step(L), x, d)
    >>> err < 1e-5
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
    ``build_free_running_model(...).predict`` — but each of the ty+1 ``predict`` calls pays
    Keras's fixed per-call overhead.

    >>> L = make_seq2seq_layers(4)
    >>> decode_with_predict_loop(build_encoder(L, 5), build_decoder_step(L), np.zeros((2, 5, 1)), ty=3).shape
    (2, 3, 1)
    """
    x = _check_seq("encoder_input", encoder_input, "decode_with_predict_loop")
    ty = _positive_int("ty", ty, "decode_with_predict_loop")
    h, c = encoder.predict(x, verbose=0, batch_size=len(x))
    prev = np.full((len(x), 1, 1), start, dtype="float32")
    outputs = []
    for _ in range(ty):
        prev, h, c = step.predict([prev, h, c], verbose=0, batch_size=len(x))
        outputs.append(prev)
    return np.concatenate(outputs, axis=1)


def mse_by_horizon(y_true, y_pred) -> np.ndarray:
    """Mean squared error at each forecast step: (batch, ty, 1) x2 -> (ty,).

    >>> mse_by_horizon(np.zeros((2, 3, 1)), np.array([[[1.], [0.], [2.]], [[1.], [0.], [0.]]]))
    array([1., 0., 2.])
    """
    a, b = np.asarray(y_true, dtype="float64"), np.asarray(y_pred, dtype="float64")
    if a.shape != b.shape or a.ndim != 3:
        raise ValueError(
            f"mse_by_horizon: y_true and y_pred must both be (batch, ty, channels), got {a.shape} and {b.shape}"
        )
    return ((a - b) ** 2).mean(axis=(0, 2))


class _LinearSchedule(keras.callbacks.Callback):
    def __init__(self, variable, start, end, epochs):
        super().__init__()
        self.variable, self.start, self.end, self.epochs = variable, start, end, epochs

    def on_epoch_begin(self, epoch, logs=None):
        frac = epoch / max(self.epochs - 1, 1)
        self.variable.assign(self.start + (self.end - self.start) * frac)


def fit_timed(model, x, y, epochs: int, batch_size: int = 256, lr: float = 0.01, schedule=None) -> float:
    """Compile ``model`` with Adam(lr) and MSE, fit silently, return the wall time of ``fit`` in seconds.

    schedule: optional ``(variable, start, end)``: ``variable`` (e.g. the ``p`` of
    :func:`build_mixed_model`) goes linearly from ``start`` at the first epoch to ``end`` at the last.
    x, y: as for ``model.fit``.

    >>> w = ar1_windows(32, 5, 3)
    >>> model = build_free_running_model(make_seq2seq_layers(2), tx=5, ty=3)
    >>> fit_timed(model, w.encoder_input, w.target, epochs=1) > 0
    True
    """
    epochs = _positive_int("epochs", epochs, "fit_timed")
    if not isinstance(model, keras.Model):
        raise ValueError(f"fit_timed: expected a keras.Model, got {type(model).__name__}; build one with the build_* helpers")
    callbacks = []
    if schedule is not None:
        if len(schedule) != 3:
            raise ValueError("fit_timed: schedule must be (variable, start, end), e.g. (p, 1.0, 0.0)")
        callbacks.append(_LinearSchedule(*schedule, epochs))
    model.compile(optimizer=keras.optimizers.Adam(lr), loss="mse")
    start = time.perf_counter()
    model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0, shuffle=True, callbacks=callbacks)
    return time.perf_counter() - start


# --- masked losses ----------------------------------------------------------------------------


def _split_value_and_mask(y_true, y_pred, fn):
    if len(y_true.shape) != 3 or y_true.shape[-1] < 2:
        raise ValueError(
            f"{fn}: y_true must be (batch, ty, 2) with the value in channel 0 and the mask flag "
            f"(1 = ignore) in channel 1, got shape {tuple(y_true.shape)}"
        )
    y_true = ops.convert_to_tensor(y_true, dtype="float32")
    y_pred = ops.convert_to_tensor(y_pred, dtype="float32")
    keep = 1.0 - y_true[:, :, 1]
    return (y_true[:, :, 0] - y_pred[:, :, 0]) ** 2, keep


def masked_mse_all_entries(y_true, y_pred):
    """The asker's masked MSE: zero the masked squared errors, then average over *all* entries.

    y_true: (batch, ty, 2) — channel 0 the value, channel 1 the mask flag (1 = ignore);
    y_pred: (batch, ty, >=1). Returns a scalar tensor. With a fraction f of entries masked this is
    (1 - f) times the mean over the kept entries: masking shrinks the loss.

    >>> yt = np.array([[[1., 0.], [5., 1.]]]); yp = np.zeros((1, 2, 1))
    >>> float(masked_mse_all_entries(yt, yp))
    0.5
    """
    se, keep = _split_value_and_mask(y_true, y_pred, "masked_mse_all_entries")
    return ops.mean(ops.mean(se * keep, axis=0), axis=0)


def masked_mse(y_true, y_pred):
    """Masked MSE done right: the mean squared error over the entries that are *not* masked.

    Shapes as in :func:`masked_mse_all_entries`. Returns a scalar tensor (0 if everything is masked).

    >>> yt = np.array([[[1., 0.], [5., 1.]]]); yp = np.zeros((1, 2, 1))
    >>> float(masked_mse(yt, yp))
    1.0
    """
    se, keep = _split_value_and_mask(y_true, y_pred, "masked_mse")
    return ops.sum(se * keep) / ops.maximum(ops.sum(keep), 1.0)
