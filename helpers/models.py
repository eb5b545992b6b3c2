"""Model builders used by the chapters (Keras 3). Each chapter's builders live in their own section."""

from __future__ import annotations

import keras

__all__: list[str] = []

__all__ += ["release_memory"]


def release_memory() -> int:
    """Give the memory of finished models back to the operating system; return what ``gc`` collected.

    Training many small models in one kernel grows its resident memory by tens of MB per model:
    TensorFlow frees the buffers, but glibc keeps the pages. A garbage collection followed by
    ``malloc_trim(0)`` returns them (on Linux; elsewhere only the collection runs). Call it after
    each model in a loop that trains many; results are unaffected.

    >>> release_memory() >= 0
    True
    """
    import ctypes
    import gc

    collected = gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl, Windows): nothing more to release
        pass
    return collected


# === Chapter 1: many-to-many LSTMs (models A and B, the fix, the stateful serving copy) =====
import time as _ch1_time

import numpy as _ch1_np


def _ch1_check(func, **ints):
    for name, value in ints.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{func}: {name} must be a positive int, got {value!r}")


def _ch1_compile(model, learning_rate):
    if not (isinstance(learning_rate, (int, float)) and learning_rate > 0):
        raise ValueError(f"compile: learning_rate must be a positive number, got {learning_rate!r}; try 0.003")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mean_squared_error")
    return model


def model_a(features: int = 128, outputs: int = 3, learning_rate: float = 0.003):
    """The asker's model A: a batch-1 stateful ``LSTM(outputs, activation="linear", return_sequences=True)``.

    Input (1, steps, features), output (1, steps, outputs); compiled with MSE and Adam.
    Keras 2's ``batch_input_shape=(1, None, features)`` is ``keras.Input(batch_shape=...)`` in Keras 3.

    >>> model_a(8, 3).output_shape
    (1, None, 3)
    """
    _ch1_check("model_a", features=features, outputs=outputs)
    inp = keras.Input(batch_shape=(1, None, features))
    out = keras.layers.LSTM(outputs, activation="linear", return_sequences=True, stateful=True, name="lstm")(inp)
    return _ch1_compile(keras.Model(inp, out, name="model_a"), learning_rate)


def model_b_as_asked(units: int = 100, features: int = 128, outputs: int = 3, learning_rate: float = 0.003):
    """The asker's model B: batch-1 stateful ``LSTM(units)`` *without* return_sequences, then ``Dense(outputs)``.

    Input (1, steps, features), output (1, outputs): only the last step's. Compiled with MSE, Adam.

    >>> model_b_as_asked(10, 8, 3).output_shape
    (1, 3)
    """
    _ch1_check("model_b_as_asked", units=units, features=features, outputs=outputs)
    inp = keras.Input(batch_shape=(1, None, features))
    h = keras.layers.LSTM(units, stateful=True, name="lstm")(inp)
    out = keras.layers.Dense(outputs, name="dense")(h)
    return _ch1_compile(keras.Model(inp, out, name="model_b_as_asked"), learning_rate)


def many_to_many(units: int = 100, features: int = 128, outputs: int = 3, masking: bool = True,
                 time_distributed: bool = False, cell: str = "lstm", learning_rate: float = 0.003):
    """The fix: stateless ``LSTM(units, return_sequences=True)`` (or GRU) + ``Dense(outputs)`` at every step.

    Input (batch, steps, features), any batch and length; output (batch, steps, outputs).
    masking=True puts ``Masking(mask_value=0.0)`` first, so all-zero (padded) steps are skipped
    by the LSTM and left out of the loss. time_distributed=True wraps the Dense in
    ``TimeDistributed`` (same outputs in Keras 3). Compiled with MSE and Adam.

    >>> many_to_many(10, 8, 3).output_shape
    (None, None, 3)
    """
    _ch1_check("many_to_many", units=units, features=features, outputs=outputs)
    layers = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}
    if cell not in layers:
        raise ValueError(f"many_to_many: cell must be 'lstm' or 'gru', got {cell!r}")
    inp = keras.Input((None, features))
    h = keras.layers.Masking(mask_value=0.0, name="masking")(inp) if masking else inp
    h = layers[cell](units, return_sequences=True, name=cell)(h)
    dense = keras.layers.Dense(outputs, name="dense")
    out = (keras.layers.TimeDistributed(dense, name="time_distributed") if time_distributed else dense)(h)
    return _ch1_compile(keras.Model(inp, out, name="many_to_many"), learning_rate)


def dense_per_step(features: int = 128, outputs: int = 3, learning_rate: float = 0.003):
    """A model with no memory: ``Dense(outputs)`` applied to each step on its own (after ``Masking``).

    Input (batch, steps, features), output (batch, steps, outputs). The baseline that shows
    whether a task needs memory. Compiled with MSE and Adam.

    >>> dense_per_step(8, 3).output_shape
    (None, None, 3)
    """
    _ch1_check("dense_per_step", features=features, outputs=outputs)
    inp = keras.Input((None, features))
    h = keras.layers.Masking(mask_value=0.0, name="masking")(inp)
    out = keras.layers.Dense(outputs, name="dense")(h)
    return _ch1_compile(keras.Model(inp, out, name="dense_per_step"), learning_rate)


_CH1_RNN_CLASSES = ("LSTM", "GRU", "SimpleRNN")


def _ch1_rebuild(model, stateful: bool, batch_size, return_sequences=None, func="stateful_copy"):
    if not isinstance(model, keras.Model) or isinstance(model, keras.Sequential):
        raise ValueError(
            f"{func}: expected a functional keras.Model (built with keras.Input), got {type(model).__name__}; "
            "build the model with keras.Input(...) and keras.Model(inputs, outputs)"
        )
    config = model.get_config()
    n_rnn = 0
    for layer in config["layers"]:
        cls, cfg = layer["class_name"], layer["config"]
        layer.pop("build_config", None)  # the stored input shape has the old batch size; rebuild on the new input
        if cls == "InputLayer":
            shape = tuple(cfg["batch_shape"])
            cfg["batch_shape"] = (batch_size,) + (None,) + shape[2:]
        elif cls in _CH1_RNN_CLASSES:
            cfg["stateful"] = stateful
            if return_sequences is not None:
                cfg["return_sequences"] = return_sequences
            n_rnn += 1
        elif cls == "Bidirectional":
            raise ValueError(f"{func}: layer {cfg['name']!r} is Bidirectional, which cannot run one step at a time")
    if n_rnn == 0:
        raise ValueError(f"{func}: model {model.name!r} has no LSTM, GRU or SimpleRNN layer to copy")
    copy = keras.Model.from_config(config)
    copy.set_weights(model.get_weights())
    return copy


def stateful_copy(model, batch_size: int = 1):
    """The same model, stateful, with a fixed batch size and any length, carrying the trained weights.

    model: a functional Keras model with LSTM/GRU/SimpleRNN layers (stateful or not).
    Returns a new model with input ``keras.Input(batch_shape=(batch_size, None, features))`` and
    every recurrent layer ``stateful=True``: feed it one step at a time, shape (batch_size, 1,
    features), and call ``helpers.reset_states(copy)`` between sequences.

    >>> online = stateful_copy(many_to_many(10, 8, 3))
    >>> online.input_shape
    (1, None, 8)
    """
    _ch1_check("stateful_copy", batch_size=batch_size)
    return _ch1_rebuild(model, True, batch_size, func="stateful_copy")


def stateless_copy(model, return_sequences: bool | None = None):
    """The same model, stateless, any batch size and length, carrying the trained weights.

    return_sequences=True also makes every recurrent layer return its whole sequence: the
    way to read, at every step at once, what a ``return_sequences=False`` model fed one step at a
    time (model B as asked) would output. Input (batch, steps, features).

    >>> stateless_copy(model_b_as_asked(10, 8, 3), return_sequences=True).output_shape
    (None, None, 3)
    """
    return _ch1_rebuild(model, False, None, return_sequences, func="stateless_copy")


def _ch1_pairs(func, xs, ys):
    if len(xs) != len(ys) or not len(xs):
        raise ValueError(f"{func}: expected equally many (>0) input and target sequences, got {len(xs)} and {len(ys)}")
    for x, y in zip(xs, ys):
        if _ch1_np.ndim(x) != 2 or _ch1_np.ndim(y) != 2 or len(x) != len(y):
            raise ValueError(
                f"{func}: each pair must be x (steps, features) and y (steps, outputs) of the same length, "
                f"got {_ch1_np.shape(x)} and {_ch1_np.shape(y)}"
            )


def fit_one_sequence_at_a_time(model, xs, ys, epochs: int = 1, use_fit: bool = False, seed: int = 0):
    """The asker's loop for model A: one gradient step per whole sequence, state reset after each.

    model: a batch-1 model (stateful or not), output (1, steps, outputs). xs, ys: lists of
    (steps_i, features) and (steps_i, outputs) arrays. Sequences are visited in a random order
    each epoch. use_fit=True calls ``model.fit(x, y, epochs=1, batch_size=1)`` as the asker did;
    False calls ``train_on_batch`` (the same single update, less overhead).
    Returns {"loss": per-update losses (epochs * n,), "epoch_seconds": (epochs,)}.
    """
    from .repro import reset_states, stateful_layers

    _ch1_pairs("fit_one_sequence_at_a_time", xs, ys)
    _ch1_check("fit_one_sequence_at_a_time", epochs=epochs)
    stateful = bool(stateful_layers(model))
    rng = _ch1_np.random.default_rng(seed)
    losses, seconds = [], []
    for _ in range(epochs):
        start = _ch1_time.perf_counter()
        for j in rng.permutation(len(xs)):
            x, y = xs[j][None], ys[j][None]
            if use_fit:
                loss = model.fit(x, y, epochs=1, batch_size=1, verbose=0, shuffle=False).history["loss"][0]
            else:
                loss = model.train_on_batch(x, y)
            losses.append(float(loss))
            if stateful:
                reset_states(model)
        seconds.append(_ch1_time.perf_counter() - start)
    return {"loss": _ch1_np.array(losses), "epoch_seconds": _ch1_np.array(seconds)}


def fit_one_step_at_a_time(model, xs, ys, epochs: int = 1, seed: int = 0):
    """The asker's loop for model B: ``train_on_batch`` on one time step at a time, reset after each sequence.

    model: a batch-1 stateful model with output (1, outputs) (model B as asked). Each update sees
    x[t] as (1, 1, features) and y[t] as (1, outputs); the LSTM state carries over between calls
    but the gradient of each update stops at the step it sees.
    Returns {"loss": per-update losses (epochs * total steps,), "epoch_seconds": (epochs,)}.
    """
    from .repro import reset_states

    _ch1_pairs("fit_one_step_at_a_time", xs, ys)
    _ch1_check("fit_one_step_at_a_time", epochs=epochs)
    if len(model.output_shape) != 2:
        raise ValueError(
            f"fit_one_step_at_a_time: expected a model whose output is (1, outputs) (no return_sequences), "
            f"got output shape {model.output_shape}"
        )
    rng = _ch1_np.random.default_rng(seed)
    losses, seconds = [], []
    for _ in range(epochs):
        start = _ch1_time.perf_counter()
        for j in rng.permutation(len(xs)):
            x, y = xs[j], ys[j]
            for t in range(len(x)):
                losses.append(float(model.train_on_batch(x[None, t : t + 1], y[None, t])))
            reset_states(model)
        seconds.append(_ch1_time.perf_counter() - start)
    return {"loss": _ch1_np.array(losses), "epoch_seconds": _ch1_np.array(seconds)}


def sequence_mse(model, xs, ys) -> float:
    """Mean squared error over every real step and every output of a list of sequences.

    model: any model whose output is (batch, steps, outputs). Stateful (batch-fixed) models are
    evaluated through ``stateless_copy`` (fresh state per sequence, same weights).
    xs, ys: lists of (steps_i, features) and (steps_i, outputs) arrays.
    """
    from .data import pad_sequences_with_mask
    from .repro import stateful_layers

    _ch1_pairs("sequence_mse", xs, ys)
    if len(model.output_shape) != 3:
        raise ValueError(
            f"sequence_mse: expected a model with output (batch, steps, outputs), got {model.output_shape}; "
            "for a return_sequences=False model pass stateless_copy(model, return_sequences=True)"
        )
    if stateful_layers(model) or model.input_shape[0] is not None:
        model = stateless_copy(model)
    x, mask = pad_sequences_with_mask(xs)
    y, _ = pad_sequences_with_mask(ys)
    pred = keras.ops.convert_to_numpy(model(x, training=False))  # a direct call: no tf.function to retrace
    return float(((pred - y) ** 2)[mask].mean())


__all__ += [
    "model_a", "model_b_as_asked", "many_to_many", "dense_per_step", "stateful_copy", "stateless_copy",
    "fit_one_sequence_at_a_time", "fit_one_step_at_a_time", "sequence_mse",
]
# (end of chapter 1 section)

# === Chapter 2: reversing sequences (causal LSTM, Bidirectional, encoder-decoder, delayed) ==
def _reverser_args(func: str, length, n_symbols, units, learning_rate) -> None:
    for name, value, minimum in (("length", length, 1), ("n_symbols", n_symbols, 2), ("units", units, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ValueError(f"{func}: {name} must be an int >= {minimum}, got {value!r}")
    if not (isinstance(learning_rate, (int, float)) and learning_rate > 0):
        raise ValueError(f"{func}: learning_rate must be a positive number, got {learning_rate!r}; try 0.01")


def _softmax_head(h, n_symbols: int):
    return keras.layers.TimeDistributed(keras.layers.Dense(n_symbols, activation="softmax"), name="softmax")(h)


def _compiled(model, learning_rate: float):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def causal_lstm(length: int, n_symbols: int, units: int = 64, learning_rate: float = 0.01,
                stateful: bool = False, batch_size: int | None = None, unroll: bool = True):
    """The asker's model: LSTM(return_sequences=True) + TimeDistributed(Dense(softmax)), compiled.

    Input (batch, length, n_symbols) one-hot; output (batch, length, n_symbols) probabilities.
    Output t is computed from inputs 0..t only (causal). stateful=True needs batch_size (Keras 3
    fixes a stateful layer's batch through keras.Input(batch_shape=...)). unroll=True (all four
    chapter-2 builders): the same computation unrolled over the steps, faster on CPU for short windows.

    >>> causal_lstm(5, 10, units=100).output_shape
    (None, 5, 10)
    """
    _reverser_args("causal_lstm", length, n_symbols, units, learning_rate)
    if stateful and not (isinstance(batch_size, int) and batch_size >= 1):
        raise ValueError(
            f"causal_lstm: stateful=True needs a fixed batch_size (an int >= 1), got {batch_size!r}; "
            "pass batch_size=16, or stateful=False"
        )
    inp = keras.Input(batch_shape=(batch_size if stateful else None, length, n_symbols))
    h = keras.layers.LSTM(units, return_sequences=True, stateful=stateful, unroll=unroll, name="lstm")(inp)
    return _compiled(keras.Model(inp, _softmax_head(h, n_symbols), name="causal_lstm"), learning_rate)


def bidirectional_lstm(length: int, n_symbols: int, units: int = 32, learning_rate: float = 0.01, unroll: bool = True):
    """Fix (a): Bidirectional(LSTM(units, return_sequences=True)) + softmax head, compiled.

    (batch, length, n_symbols) -> (batch, length, n_symbols); output t sees every input
    (the backward LSTM has read inputs t..L-1 when output t is formed).

    >>> bidirectional_lstm(5, 10).output_shape
    (None, 5, 10)
    """
    _reverser_args("bidirectional_lstm", length, n_symbols, units, learning_rate)
    inp = keras.Input((length, n_symbols))
    h = keras.layers.Bidirectional(keras.layers.LSTM(units, return_sequences=True, unroll=unroll), name="bilstm")(inp)
    return _compiled(keras.Model(inp, _softmax_head(h, n_symbols), name="bidirectional_lstm"), learning_rate)


def encoder_decoder_lstm(length: int, n_symbols: int, units: int = 64, learning_rate: float = 0.01, unroll: bool = True):
    """Fix (b): an encoder LSTM reads all inputs; a decoder LSTM emits the length outputs, compiled.

    (batch, length, n_symbols) -> (batch, length, n_symbols). The decoder starts from the
    encoder's final state (h, c) and receives h repeated at every step, so nothing is emitted
    before the whole input has been read.

    >>> encoder_decoder_lstm(5, 10).output_shape
    (None, 5, 10)
    """
    _reverser_args("encoder_decoder_lstm", length, n_symbols, units, learning_rate)
    inp = keras.Input((length, n_symbols))
    _, h, c = keras.layers.LSTM(units, return_state=True, unroll=unroll, name="encoder")(inp)
    repeated = keras.layers.RepeatVector(length, name="repeat")(h)
    dec = keras.layers.LSTM(units, return_sequences=True, unroll=unroll, name="decoder")(repeated, initial_state=[h, c])
    return _compiled(keras.Model(inp, _softmax_head(dec, n_symbols), name="encoder_decoder_lstm"), learning_rate)


def delayed_lstm(length: int, n_symbols: int, units: int = 64, learning_rate: float = 0.01, unroll: bool = True):
    """Fix (c): the causal LSTM given time: read the L inputs, then emit the reversal during L blank steps.

    (batch, length, n_symbols) -> (batch, length, n_symbols). Inside the model the input is
    followed by L all-zero steps (ZeroPadding1D), the same LSTM + softmax head as
    ``causal_lstm`` runs over all 2L steps, and only the last L outputs are kept
    (Cropping1D). Same layers, same parameter count as ``causal_lstm(length, n_symbols, units)``.

    >>> delayed_lstm(5, 10).count_params() == causal_lstm(5, 10).count_params()
    True
    """
    _reverser_args("delayed_lstm", length, n_symbols, units, learning_rate)
    inp = keras.Input((length, n_symbols))
    padded = keras.layers.ZeroPadding1D((0, length), name="blank_steps")(inp)
    h = keras.layers.LSTM(units, return_sequences=True, unroll=unroll, name="lstm")(padded)
    h = keras.layers.Cropping1D((length, 0), name="last_steps")(h)
    return _compiled(keras.Model(inp, _softmax_head(h, n_symbols), name="delayed_lstm"), learning_rate)


__all__ += ["causal_lstm", "bidirectional_lstm", "encoder_decoder_lstm", "delayed_lstm"]
# (end of chapter 2 section)

# === Chapters 4 and 5: stateful models ======================================================
import keras  # noqa: E402  (chapters 4 and 5)


def stateful_lstm(batch_size: int, steps: int, features: int = 1, units: int = 16, outputs: int = 1,
                  depth: int = 1, return_sequences: bool = True, stateful: bool = True):
    """``depth`` stacked LSTM(units) layers and a linear Dense(outputs) head (uncompiled).

    Input (batch_size, steps, features). Output (batch_size, steps, outputs) if
    ``return_sequences`` else (batch_size, outputs). With ``stateful=True`` the batch size is fixed
    in ``keras.Input(batch_shape=...)`` (Keras 3 needs it; Keras 2 spelled it ``batch_input_shape``)
    and every LSTM carries its state from one batch to the next; with ``stateful=False`` the same
    architecture is built with a free batch size.

    >>> stateful_lstm(4, 10, depth=2, return_sequences=False).output_shape
    (4, 1)
    """
    for name, value in (("batch_size", batch_size), ("steps", steps), ("features", features),
                        ("units", units), ("outputs", outputs), ("depth", depth)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"stateful_lstm: {name} must be a positive int, got {value!r}")
    if stateful:
        inp = keras.Input(batch_shape=(batch_size, steps, features))
    else:
        inp = keras.Input(shape=(steps, features))
    h = inp
    for i in range(depth):
        last = i == depth - 1
        h = keras.layers.LSTM(units, stateful=stateful, return_sequences=return_sequences or not last)(h)
    return keras.Model(inp, keras.layers.Dense(outputs)(h))


__all__ += ["stateful_lstm"]
# (end of chapters 4 and 5 section)
