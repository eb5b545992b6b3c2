"""State handling: find, reset and read the states of stateful layers, and copy a model stateful <-> stateless."""

from __future__ import annotations

import keras
import numpy as np

from .checks import positive_int

__all__ = ["stateful_layers", "reset_states", "state_values", "ResetStatesCallback", "stateful_copy", "stateless_copy"]


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


_RNN_CLASSES = ("LSTM", "GRU", "SimpleRNN")


def _rebuild(model, stateful: bool, batch_size, return_sequences=None, func="stateful_copy"):
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
        elif cls in _RNN_CLASSES:
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
    features), and call ``reset_states(copy)`` between sequences.

    >>> inp = keras.Input((None, 8))
    >>> model = keras.Model(inp, keras.layers.LSTM(4, return_sequences=True)(inp))
    >>> stateful_copy(model).input_shape
    (1, None, 8)
    """
    positive_int("stateful_copy", "batch_size", batch_size)
    return _rebuild(model, True, batch_size, func="stateful_copy")


def stateless_copy(model, return_sequences: bool | None = None):
    """The same model, stateless, any batch size and length, carrying the trained weights.

    return_sequences=True also makes every recurrent layer return its whole sequence: the
    way to read, at every step at once, what a ``return_sequences=False`` model fed one step at a
    time (model B as asked) would output. Input (batch, steps, features).

    >>> inp = keras.Input(batch_shape=(1, None, 8))
    >>> last_step = keras.Model(inp, keras.layers.LSTM(4, stateful=True)(inp))
    >>> stateless_copy(last_step, return_sequences=True).output_shape
    (None, None, 4)
    """
    return _rebuild(model, False, None, return_sequences, func="stateless_copy")
