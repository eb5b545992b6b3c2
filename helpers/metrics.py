"""Metrics the chapters measure with (per-position accuracy, masked losses)."""

from __future__ import annotations

import numpy as np

__all__: list[str] = []

# === Chapter 2: per-position accuracy of sequence-labelling models ==========================
import keras  # noqa: E402


def _as_probabilities(name: str, a) -> np.ndarray:
    a = np.asarray(a)
    if a.ndim != 3:
        raise ValueError(
            f"per_position_accuracy: {name} must be (samples, steps, classes), got shape {a.shape}; "
            "one-hot encode targets and pass the model's softmax outputs"
        )
    return a


def per_position_accuracy(y_true, y_pred) -> np.ndarray:
    """Accuracy at each output position of a sequence-labelling model.

    y_true, y_pred: (samples, steps, classes) one-hot / probabilities, same shape.
    Returns an array of shape (steps,): the fraction of samples whose argmax matches at step t.

    >>> per_position_accuracy(np.eye(3)[[[0, 1]]], np.eye(3)[[[0, 2]]])
    array([1., 0.])
    """
    t = _as_probabilities("y_true", y_true)
    p = _as_probabilities("y_pred", y_pred)
    if t.shape != p.shape:
        raise ValueError(
            f"per_position_accuracy: y_true {t.shape} and y_pred {p.shape} differ in shape; "
            "predict on the same samples and keep return_sequences=True"
        )
    if t.shape[0] == 0:
        raise ValueError("per_position_accuracy: no samples; pass at least one sequence")
    return (t.argmax(-1) == p.argmax(-1)).mean(axis=0)


def binomial_std(p: float, n: int) -> float:
    """Standard deviation of an accuracy measured on n independent samples whose true value is p.

    sqrt(p (1 - p) / n); use it to put margins on measured accuracies.

    >>> round(binomial_std(0.1, 4000), 4)
    0.0047
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"binomial_std: p is a probability in [0, 1], got {p}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"binomial_std: n is a number of samples >= 1, got {n!r}")
    return float(np.sqrt(p * (1.0 - p) / n))


class PerPositionAccuracy(keras.callbacks.Callback):
    """Keras callback: per-position accuracy on held-out data after every epoch, with early stop.

    x: (samples, steps, features) inputs, y: (samples, steps, classes) one-hot targets.
    After each epoch, appends ``per_position_accuracy(y, model(x))`` (shape (steps,)) to
    ``self.history``. If ``target`` is given, training stops after the first epoch at which every
    position (or every position listed in ``positions``) reaches it, and ``self.epochs_to_target``
    is that epoch's number (1-based; None if never).

    >>> cb = PerPositionAccuracy(x_val, y_val, target=0.99)       # doctest: +SKIP
    >>> model.fit(x, y, epochs=50, callbacks=[cb], verbose=0)      # doctest: +SKIP
    >>> cb.epochs_to_target, cb.history[-1]                        # doctest: +SKIP
    """

    def __init__(self, x, y, target: float | None = None, positions=None, batch_size: int = 4096):
        super().__init__()
        x, y = np.asarray(x), _as_probabilities("y", y)
        if len(x) != len(y):
            raise ValueError(f"PerPositionAccuracy: x has {len(x)} samples but y has {len(y)}; pass matching arrays")
        if target is not None and not 0.0 < target <= 1.0:
            raise ValueError(f"PerPositionAccuracy: target is an accuracy in (0, 1], got {target}")
        steps = y.shape[1]
        positions = np.arange(steps) if positions is None else np.asarray(positions, dtype=int).reshape(-1)
        if positions.size == 0 or positions.min() < -steps or positions.max() >= steps:
            raise ValueError(
                f"PerPositionAccuracy: positions must be non-empty indices into {steps} steps, got {positions.tolist()}"
            )
        self.x, self.y, self.target, self.positions, self.batch_size = x, y, target, positions, int(batch_size)
        self.history: list[np.ndarray] = []
        self.epochs_to_target: int | None = None

    def on_train_begin(self, logs=None):
        self.history, self.epochs_to_target = [], None

    def on_epoch_end(self, epoch, logs=None):
        pred = np.concatenate(
            [np.asarray(self.model(self.x[i : i + self.batch_size], training=False))
             for i in range(0, len(self.x), self.batch_size)]
        )
        acc = per_position_accuracy(self.y, pred)
        self.history.append(acc)
        if self.target is not None and self.epochs_to_target is None and acc[self.positions].min() >= self.target:
            self.epochs_to_target = epoch + 1
            self.model.stop_training = True


def fit_until_accurate(model, x, y, x_val, y_val, target: float = 0.99, positions=None,
                       max_epochs: int = 30, batch_size: int = 512) -> dict:
    """Train ``model`` until every position (or every one of ``positions``) reaches ``target`` on held-out data.

    x, y: (samples, steps, features) / (samples, steps, classes) training data; x_val, y_val the
    held-out data. Stops after max_epochs at the latest. Returns a dict with ``epochs_to_target``
    (int, or None if not reached), ``epochs`` (run), ``accuracy`` (per-position, last epoch,
    shape (steps,)), ``history`` (list of those) and ``seconds`` (wall time of the training).
    Afterwards it returns freed memory to the OS (``helpers.release_memory``).

    >>> r = fit_until_accurate(model, x, y, x_val, y_val, target=0.99)   # doctest: +SKIP
    >>> r["epochs_to_target"], r["accuracy"].min()                      # doctest: +SKIP
    """
    import time

    if isinstance(max_epochs, bool) or not isinstance(max_epochs, (int, np.integer)) or max_epochs < 1:
        raise ValueError(f"fit_until_accurate: max_epochs must be an int >= 1, got {max_epochs!r}")
    if len(x) != len(y):
        raise ValueError(f"fit_until_accurate: x has {len(x)} samples but y has {len(y)}; pass matching arrays")
    cb = PerPositionAccuracy(x_val, y_val, target=target, positions=positions)
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch_size, epochs=int(max_epochs), verbose=0, callbacks=[cb])
    seconds = time.perf_counter() - start
    from .models import release_memory  # chapters train many models in one kernel: keep its memory flat

    release_memory()
    return {
        "epochs_to_target": cb.epochs_to_target,
        "epochs": len(cb.history),
        "accuracy": cb.history[-1],
        "history": cb.history,
        "seconds": seconds,
    }


__all__ += ["per_position_accuracy", "binomial_std", "PerPositionAccuracy", "fit_until_accurate"]
# (end of chapter 2 section)
