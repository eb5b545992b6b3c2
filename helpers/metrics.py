"""Metrics: per-position accuracy, its binomial error, and mean squared errors over sequences and horizons."""

from __future__ import annotations

import keras
import numpy as np

from .checks import array_of_shape, positive_int
from .state import stateful_layers, stateless_copy

__all__ = ["per_position_accuracy", "binomial_std", "PerPositionAccuracy", "sequence_mse", "mse_by_horizon"]


def _as_probabilities(name: str, a) -> np.ndarray:
    return array_of_shape("per_position_accuracy", name, a, ("samples", "steps", "classes"),
                          "one-hot encode targets and pass the model's softmax outputs")


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
        raise ValueError(f"binomial_std: p is a probability in [0, 1], got {p}; pass a measured accuracy")
    n = positive_int("binomial_std", "n", n)
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
        batch_size = positive_int("PerPositionAccuracy", "batch_size", batch_size)
        self.x, self.y, self.target, self.positions, self.batch_size = x, y, target, positions, batch_size
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


def sequence_mse(model, xs, ys) -> float:
    """Mean squared error over every real step and every output of a list of sequences.

    model: any model whose output is (batch, steps, outputs). Stateful (batch-fixed) models are
    evaluated through ``stateless_copy`` (fresh state per sequence, same weights).
    xs, ys: lists of (steps_i, features) and (steps_i, outputs) arrays.

    >>> inp = keras.Input((None, 2))
    >>> zero = keras.Model(inp, keras.layers.Dense(1, kernel_initializer="zeros")(inp))
    >>> sequence_mse(zero, [np.ones((3, 2)), np.ones((1, 2))], [np.ones((3, 1)), 2 * np.ones((1, 1))])
    1.75
    """
    from .training import _check_pairs

    _check_pairs("sequence_mse", xs, ys)
    if len(model.output_shape) != 3:
        raise ValueError(
            f"sequence_mse: expected a model with output (batch, steps, outputs), got {model.output_shape}; "
            "for a return_sequences=False model pass stateless_copy(model, return_sequences=True)"
        )
    if stateful_layers(model) or model.input_shape[0] is not None:
        model = stateless_copy(model)
    x = keras.utils.pad_sequences(xs, padding="post", dtype="float32")
    y = keras.utils.pad_sequences(ys, padding="post", dtype="float32")
    mask = np.arange(x.shape[1]) < np.array([len(s) for s in xs])[:, None]
    pred = keras.ops.convert_to_numpy(model(x, training=False))  # a direct call: no tf.function to retrace
    return float(((pred - y) ** 2)[mask].mean())


def mse_by_horizon(y_true, y_pred) -> np.ndarray:
    """Mean squared error at each forecast step: (batch, ty, 1) x2 -> (ty,).

    >>> mse_by_horizon(np.zeros((2, 3, 1)), np.array([[[1.], [0.], [2.]], [[1.], [0.], [0.]]]))
    array([1., 0., 2.])
    """
    fix = "pass the targets and the forecasts of a seq2seq model, (batch, ty, 1) each"
    a = array_of_shape("mse_by_horizon", "y_true", y_true, ("batch", "ty", "channels"), fix, dtype="float64")
    b = array_of_shape("mse_by_horizon", "y_pred", y_pred, ("batch", "ty", "channels"), fix, dtype="float64")
    if a.shape != b.shape:
        raise ValueError(f"mse_by_horizon: y_true {a.shape} and y_pred {b.shape} differ in shape; forecast the same windows")
    return ((a - b) ** 2).mean(axis=(0, 2))
