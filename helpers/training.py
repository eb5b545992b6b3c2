"""Training loops the chapters compare: the askers' per-sequence and per-step loops, and fit-until-accurate."""

from __future__ import annotations

import numpy as np

from .checks import positive_int
from .memory import release_memory
from .metrics import PerPositionAccuracy
from .state import reset_states, stateful_layers
from .timing import seconds

__all__ = ["fit_one_sequence_at_a_time", "fit_one_step_at_a_time", "fit_until_accurate"]


def _check_pairs(func, xs, ys):
    if len(xs) != len(ys) or not len(xs):
        raise ValueError(f"{func}: expected equally many (>0) input and target sequences, got {len(xs)} and {len(ys)}")
    for x, y in zip(xs, ys):
        if np.ndim(x) != 2 or np.ndim(y) != 2 or len(x) != len(y):
            raise ValueError(
                f"{func}: each pair must be x (steps, features) and y (steps, outputs) of the same length, "
                f"got {np.shape(x)} and {np.shape(y)}; pass lists of 2-D arrays, one pair per sequence"
            )


def fit_one_sequence_at_a_time(model, xs, ys, epochs: int = 1, use_fit: bool = False, seed: int = 0):
    """The asker's loop for model A: one gradient step per whole sequence, state reset after each.

    model: a batch-1 model (stateful or not), output (1, steps, outputs). xs, ys: lists of
    (steps_i, features) and (steps_i, outputs) arrays. Sequences are visited in a random order
    each epoch. use_fit=True calls ``model.fit(x, y, epochs=1, batch_size=1)`` as the asker did;
    False calls ``train_on_batch`` (the same single update, less overhead).
    Returns {"loss": per-update losses (epochs * n,), "epoch_seconds": (epochs,)}.

    >>> import keras
    >>> inp = keras.Input(batch_shape=(1, None, 2))
    >>> m = keras.Model(inp, keras.layers.LSTM(1, return_sequences=True)(inp)); m.compile("sgd", "mse")
    >>> xs, ys = [np.ones((3, 2)), np.ones((5, 2))], [np.zeros((3, 1)), np.zeros((5, 1))]
    >>> r = fit_one_sequence_at_a_time(m, xs, ys, epochs=2)
    >>> r["loss"].shape, r["epoch_seconds"].shape
    ((4,), (2,))
    """
    _check_pairs("fit_one_sequence_at_a_time", xs, ys)
    positive_int("fit_one_sequence_at_a_time", "epochs", epochs)
    stateful = bool(stateful_layers(model))
    rng = np.random.default_rng(seed)
    losses = []

    def epoch():
        for j in rng.permutation(len(xs)):
            x, y = xs[j][None], ys[j][None]
            if use_fit:
                loss = model.fit(x, y, epochs=1, batch_size=1, verbose=0, shuffle=False).history["loss"][0]
            else:
                loss = model.train_on_batch(x, y)
            losses.append(float(loss))
            if stateful:
                reset_states(model)

    epoch_seconds = [seconds(epoch) for _ in range(epochs)]
    return {"loss": np.array(losses), "epoch_seconds": np.array(epoch_seconds)}


def fit_one_step_at_a_time(model, xs, ys, epochs: int = 1, seed: int = 0):
    """The asker's loop for model B: ``train_on_batch`` on one time step at a time, reset after each sequence.

    model: a batch-1 stateful model with output (1, outputs) (model B as asked). Each update sees
    x[t] as (1, 1, features) and y[t] as (1, outputs); the LSTM state carries over between calls
    but the gradient of each update stops at the step it sees.
    Returns {"loss": per-update losses (epochs * total steps,), "epoch_seconds": (epochs,)}.

    >>> import keras
    >>> inp = keras.Input(batch_shape=(1, None, 2))
    >>> m = keras.Model(inp, keras.layers.LSTM(1, stateful=True)(inp)); m.compile("sgd", "mse")
    >>> xs, ys = [np.ones((3, 2)), np.ones((5, 2))], [np.zeros((3, 1)), np.zeros((5, 1))]
    >>> fit_one_step_at_a_time(m, xs, ys)["loss"].shape
    (8,)
    """
    _check_pairs("fit_one_step_at_a_time", xs, ys)
    positive_int("fit_one_step_at_a_time", "epochs", epochs)
    if len(model.output_shape) != 2:
        raise ValueError(
            f"fit_one_step_at_a_time: expected a model whose output is (1, outputs) (no return_sequences), "
            f"got output shape {model.output_shape}"
        )
    rng = np.random.default_rng(seed)
    losses = []

    def epoch():
        for j in rng.permutation(len(xs)):
            x, y = xs[j], ys[j]
            for t in range(len(x)):
                losses.append(float(model.train_on_batch(x[None, t : t + 1], y[None, t])))
            reset_states(model)

    epoch_seconds = [seconds(epoch) for _ in range(epochs)]
    return {"loss": np.array(losses), "epoch_seconds": np.array(epoch_seconds)}


def fit_until_accurate(model, x, y, x_val, y_val, target: float = 0.99, positions=None,
                       max_epochs: int = 30, batch_size: int = 512) -> dict:
    """Train ``model`` until every position (or every one of ``positions``) reaches ``target`` on held-out data.

    x, y: (samples, steps, features) / (samples, steps, classes) training data; x_val, y_val the
    held-out data. Stops after max_epochs at the latest. Returns a dict with ``epochs_to_target``
    (int, or None if not reached), ``epochs`` (run), ``accuracy`` (per-position, last epoch,
    shape (steps,)), ``history`` (list of those) and ``seconds`` (wall time of the training).
    Afterwards it returns freed memory to the OS (``release_memory``).

    >>> r = fit_until_accurate(model, x, y, x_val, y_val, target=0.99)   # doctest: +SKIP
    >>> r["epochs_to_target"], r["accuracy"].min()                      # doctest: +SKIP
    """
    positive_int("fit_until_accurate", "max_epochs", max_epochs)
    positive_int("fit_until_accurate", "batch_size", batch_size)
    if len(x) != len(y):
        raise ValueError(f"fit_until_accurate: x has {len(x)} samples but y has {len(y)}; pass matching arrays")
    cb = PerPositionAccuracy(x_val, y_val, target=target, positions=positions)
    took = seconds(lambda: model.fit(x, y, batch_size=batch_size, epochs=int(max_epochs), verbose=0, callbacks=[cb]))
    release_memory()  # chapters train many models in one kernel: keep its memory flat
    return {
        "epochs_to_target": cb.epochs_to_target,
        "epochs": len(cb.history),
        "accuracy": cb.history[-1],
        "history": cb.history,
        "seconds": took,
    }
