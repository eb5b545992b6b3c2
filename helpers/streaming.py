"""Online (one step at a time) inference for recurrent models, without a Keras call per step.

A model trained *stateless* on whole sequences can be served online: its recurrent layers only
need their state carried from one step to the next. ``to_streaming`` copies the trained weights
into a small NumPy implementation of the same layers, whose ``.step(x_t)`` costs a few matrix
products instead of a Keras call. ``streaming_latency_table`` measures how much that saves.
"""

from __future__ import annotations

import keras
import numpy as np

from .checks import array_of_shape
from .state import reset_states, stateful_copy
from .timing import seconds

__all__ = ["to_streaming", "StreamingModel", "streaming_latency_table"]


def _sigmoid(x):
    return 0.5 * (np.tanh(0.5 * x) + 1.0)  # = 1 / (1 + exp(-x)), without overflow warnings


def _hard_sigmoid(x):  # Keras 3: relu6(x + 3) / 6
    return np.clip((x + 3.0) / 6.0, 0.0, 1.0)


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


_ACTIVATIONS = {
    "softmax": _softmax,
    "linear": lambda x: x,
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "hard_sigmoid": _hard_sigmoid,
    "relu": lambda x: np.maximum(x, 0.0),
}


def _activation(fn, where: str):
    name = getattr(fn, "__name__", repr(fn))
    if name not in _ACTIVATIONS:
        raise ValueError(
            f"to_streaming: {where} uses activation {name!r}, which the NumPy implementation does not "
            f"support; use one of {sorted(_ACTIVATIONS)}"
        )
    return _ACTIVATIONS[name]


class _LSTMStep:
    def __init__(self, layer, dtype):
        w = [np.asarray(v, dtype) for v in layer.get_weights()]
        self.kernel, self.recurrent = w[0], w[1]
        self.bias = w[2] if layer.use_bias else np.zeros(self.kernel.shape[1], dtype)
        self.units = layer.units
        self.act = _activation(layer.activation, f"layer {layer.name!r}")
        self.rec_act = _activation(layer.recurrent_activation, f"layer {layer.name!r}")
        self.in_features = self.kernel.shape[0]
        # Fast path for the default activations (tanh, sigmoid): sigmoid(z) = (tanh(z / 2) + 1) / 2,
        # so halving the i, f, o columns lets one tanh over all four gates do the work.
        self.fast = layer.activation.__name__ == "tanh" and layer.recurrent_activation.__name__ == "sigmoid"
        if self.fast:
            u = self.units
            scale = np.concatenate([np.full(3 * u, 0.5), np.ones(u)]).astype(dtype)
            order = np.r_[0 : 2 * u, 3 * u : 4 * u, 2 * u : 3 * u]  # Keras's i, f, c, o -> i, f, o, c
            self.f_kernel = self.kernel[:, order] * scale
            self.f_recurrent = self.recurrent[:, order] * scale
            self.f_bias = self.bias[order] * scale

    def zeros(self, batch, dtype):
        return (np.zeros((batch, self.units), dtype), np.zeros((batch, self.units), dtype))

    def __call__(self, x, state):
        h, c = state
        u = self.units
        if self.fast:
            t = np.tanh(x @ self.f_kernel + h @ self.f_recurrent + self.f_bias)
            gates = t[:, : 3 * u] * 0.5 + 0.5
            c = gates[:, u : 2 * u] * c + gates[:, :u] * t[:, 3 * u :]
            h = gates[:, 2 * u :] * np.tanh(c)
            return h, (h, c)
        z = x @ self.kernel + h @ self.recurrent + self.bias
        i = self.rec_act(z[:, :u])
        f = self.rec_act(z[:, u : 2 * u])
        g = self.act(z[:, 2 * u : 3 * u])
        o = self.rec_act(z[:, 3 * u :])
        c = f * c + i * g
        h = o * self.act(c)
        return h, (h, c)


class _GRUStep:
    def __init__(self, layer, dtype):
        w = [np.asarray(v, dtype) for v in layer.get_weights()]
        self.kernel, self.recurrent = w[0], w[1]
        self.units = layer.units
        self.reset_after = bool(layer.reset_after)
        n = 3 * self.units
        if layer.use_bias:
            bias = w[2]
            if self.reset_after:  # shape (2, 3 units): input bias, recurrent bias
                self.in_bias, self.rec_bias = bias[0], bias[1]
            else:
                self.in_bias, self.rec_bias = bias, np.zeros(n, dtype)
        else:
            self.in_bias, self.rec_bias = np.zeros(n, dtype), np.zeros(n, dtype)
        self.act = _activation(layer.activation, f"layer {layer.name!r}")
        self.rec_act = _activation(layer.recurrent_activation, f"layer {layer.name!r}")
        self.in_features = self.kernel.shape[0]

    def zeros(self, batch, dtype):
        return (np.zeros((batch, self.units), dtype),)

    def __call__(self, x, state):
        (h,) = state
        u = self.units
        mx = x @ self.kernel + self.in_bias
        if self.reset_after:
            mh = h @ self.recurrent + self.rec_bias
            z = self.rec_act(mx[:, :u] + mh[:, :u])
            r = self.rec_act(mx[:, u : 2 * u] + mh[:, u : 2 * u])
            hh = self.act(mx[:, 2 * u :] + r * mh[:, 2 * u :])
        else:
            mh = h @ self.recurrent[:, : 2 * u]
            z = self.rec_act(mx[:, :u] + mh[:, :u])
            r = self.rec_act(mx[:, u : 2 * u] + mh[:, u:])
            hh = self.act(mx[:, 2 * u :] + (r * h) @ self.recurrent[:, 2 * u :])
        h = z * h + (1.0 - z) * hh
        return h, (h,)


class _DenseStep:
    def __init__(self, layer, dtype):
        w = [np.asarray(v, dtype) for v in layer.get_weights()]
        self.kernel = w[0]
        self.bias = w[1] if layer.use_bias else np.zeros(self.kernel.shape[1], dtype)
        self.act = _activation(layer.activation, f"layer {layer.name!r}")
        self.in_features = self.kernel.shape[0]

    def __call__(self, x):
        return self.act(x @ self.kernel + self.bias)


def _layers_in_order(model):
    """The model's layers as a single chain, or ValueError if it is not one."""
    if isinstance(model, keras.Sequential):
        return list(model.layers)
    if not isinstance(model, keras.Model):
        raise ValueError(
            f"to_streaming: expected a keras.Model (Sequential or functional), got {type(model).__name__}; "
            "pass the trained model itself"
        )
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise ValueError(
            f"to_streaming: model {model.name!r} has {len(model.inputs)} inputs and {len(model.outputs)} outputs; "
            "only a single chain of layers (one input, one output) can be streamed"
        )
    layers = list(model.layers)
    previous = None
    for layer in layers:
        nodes = getattr(layer, "_inbound_nodes", [])
        # (an RNN's node also lists the mask tensor Masking attached: only the first input is data)
        fed_by = nodes[0].input_tensors[:1] if len(nodes) == 1 else None
        if fed_by is None or (previous is not None and (not fed_by or fed_by[0] is not previous.output)):
            raise ValueError(
                f"to_streaming: layer {layer.name!r} ({type(layer).__name__}) is not fed by the layer before it; "
                "only a single chain of layers (no branches, no shared layers) can be streamed"
            )
        previous = layer
    return layers


def _unsupported(layer, why: str) -> ValueError:
    return ValueError(
        f"to_streaming: cannot stream layer {layer.name!r} ({type(layer).__name__}): {why}. "
        "Supported: InputLayer, Masking, LSTM and GRU (return_sequences=True), Dense and TimeDistributed(Dense)"
    )


class StreamingModel:
    """A recurrent model run one time step at a time in NumPy; build it with ``to_streaming``.

    ``step(x_t)``: x_t of shape (features,) or (batch, features) → output of shape (outputs,) or
    (batch, outputs). The state is carried between calls until ``reset()``.

    >>> inp = keras.Input((None, 3))
    >>> s = to_streaming(keras.Model(inp, keras.layers.LSTM(2, return_sequences=True)(inp)))
    >>> x = np.ones((4, 3), "float32")
    >>> first = s.step(x[0]); second = s.step(x[1]); s.reset()
    >>> bool(np.allclose(s.step(x[0]), first)), bool(np.allclose(s.run(x)[1], second))
    (True, True)
    """

    def __init__(self, steps, in_features, dtype):
        self._steps = steps  # list of ("rnn", cell) / ("dense", dense)
        self.in_features = in_features
        self.dtype = np.dtype(dtype)
        self._state = None
        self._batch = None

    def reset(self) -> None:
        """Forget the carried state: the next ``step`` starts a new sequence (zero state, as Keras)."""
        self._state = None
        self._batch = None

    def step(self, x_t):
        """Feed one time step; return the model's output at that step.

        x_t: (features,) for one sequence, or (batch, features) for a batch of sequences in
        lock-step. The batch size is fixed from the first step after ``reset()``.
        """
        x = np.asarray(x_t, dtype=self.dtype)
        single = x.ndim == 1
        if single:
            x = x[None, :]
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(
                f"StreamingModel.step: expected one time step of shape ({self.in_features},) or "
                f"(batch, {self.in_features}), got shape {np.shape(x_t)}; pass x[t] (or x[:, t]) of the sequence"
            )
        if self._state is None:
            self._batch = x.shape[0]
            self._state = [cell.zeros(self._batch, self.dtype) for kind, cell in self._steps if kind == "rnn"]
        elif x.shape[0] != self._batch:
            raise ValueError(
                f"StreamingModel.step: the state holds a batch of {self._batch} sequences but this step has "
                f"{x.shape[0]}; call reset() before streaming a batch of another size"
            )
        k = 0
        for kind, fn in self._steps:
            if kind == "rnn":
                x, self._state[k] = fn(x, self._state[k])
                k += 1
            else:
                x = fn(x)
        return x[0] if single else x

    def run(self, x):
        """Stream a whole sequence from a fresh state: x (steps, features) → (steps, outputs).

        Convenience for tests and checks; it resets before and after.
        """
        x = array_of_shape("StreamingModel.run", "x", x, ("steps", self.in_features),
                           "pass one sequence, e.g. x[0] of a batch", dtype=self.dtype)
        self.reset()
        out = np.stack([self.step(x_t) for x_t in x])
        self.reset()
        return out


def to_streaming(model, dtype="float32") -> StreamingModel:
    """A NumPy, one-step-at-a-time copy of a trained recurrent model (no Keras call per step).

    model: a Sequential or functional Keras model that is a single chain of InputLayer / Masking
    (passed through), LSTM and GRU layers with ``return_sequences=True`` (activations among
    linear, tanh, sigmoid, hard_sigmoid, relu, softmax; GRU with ``reset_after`` True or False), then
    Dense or TimeDistributed(Dense) layers. Whether the model was trained stateful or not does
    not matter: the copy keeps its own state. Anything else (Bidirectional, which needs the
    future; go_backwards; Conv1D; a layer without return_sequences; ...) raises ValueError
    naming the layer. Masking is ignored: every step you feed is a real step.

    Returns a ``StreamingModel``: ``.step(x_t)`` with x_t (features,) or (batch, features), and
    ``.reset()`` between sequences.

    >>> inp = keras.Input((None, 4))
    >>> m = keras.Model(inp, keras.layers.Dense(2)(keras.layers.LSTM(3, return_sequences=True)(inp)))
    >>> s = to_streaming(m)
    >>> x = np.random.rand(5, 4).astype("float32")
    >>> bool(np.allclose(np.stack([s.step(x_t) for x_t in x]), m.predict(x[None], verbose=0)[0], atol=1e-5))
    True
    """
    layers = _layers_in_order(model)
    steps, in_features, width = [], None, None
    for layer in layers:
        if isinstance(layer, (keras.layers.InputLayer, keras.layers.Masking)):
            continue
        inner = layer.layer if isinstance(layer, keras.layers.TimeDistributed) else layer
        if isinstance(inner, keras.layers.Dense):
            if not inner.built:
                raise _unsupported(layer, "it is not built; call the model on data first")
            step = _DenseStep(inner, dtype)
            kind = "dense"
        elif isinstance(layer, (keras.layers.LSTM, keras.layers.GRU)):
            if not layer.return_sequences:
                raise _unsupported(
                    layer,
                    "return_sequences=False makes it output only the last step, so the full-sequence "
                    "model has no per-step output to reproduce; build it with return_sequences=True",
                )
            if layer.go_backwards:
                raise _unsupported(layer, "go_backwards=True reads the sequence from the end, which is not online")
            step = (_LSTMStep if isinstance(layer, keras.layers.LSTM) else _GRUStep)(layer, dtype)
            kind = "rnn"
        elif isinstance(layer, keras.layers.Bidirectional):
            raise _unsupported(layer, "its backward direction needs the future steps, which online use does not have")
        else:
            raise _unsupported(layer, "this layer type has no NumPy step implementation")
        if width is not None and step.in_features != width:
            raise _unsupported(layer, f"it expects {step.in_features} features but the layer before gives {width}")
        if in_features is None:
            in_features = step.in_features
        width = step.units if kind == "rnn" else step.kernel.shape[1]
        steps.append((kind, step))
    if not any(kind == "rnn" for kind, _ in steps):
        raise ValueError(
            f"to_streaming: model {model.name!r} has no LSTM or GRU layer, so there is no state to stream; "
            "call the model directly"
        )
    return StreamingModel(steps, in_features, dtype)


def streaming_latency_table(model, n_steps: int = 100, n_steps_predict: int = 20, seed: int = 0) -> dict:
    """Seconds per online step (median over calls) of the ways to run ``model`` one step at a time.

    model: a stateless many-to-many recurrent model (as accepted by ``to_streaming``), input
    shape (batch, steps, features). Builds its batch-1 stateful copy (``helpers.stateful_copy``)
    and times one random step (1, 1, features) per call, for:

    - ``"stateful copy: predict"``, ``"stateful copy: predict_on_batch"``,
      ``"stateful copy: direct call"`` (``copy(x)``), ``"stateful copy: tf.function"`` (the
      copy's call compiled once): the Keras ways to serve online;
    - ``"stateless: whole prefix"``: no state at all, ``predict_on_batch`` on the whole history
      so far at every step (its cost grows with the step; median over prefixes of 1 to
      ``n_steps_predict`` steps);
    - ``"to_streaming"``: ``helpers.to_streaming(model).step``.

    ``predict`` is timed over ``n_steps_predict`` calls only (it costs tens of milliseconds).
    Returns a dict {method: seconds per step}, in that order. Timings vary by machine and load;
    compare ratios measured in the same run.

    >>> table = streaming_latency_table(model, n_steps=100)  # doctest: +SKIP
    >>> table["stateful copy: predict_on_batch"] / table["to_streaming"]  # doctest: +SKIP
    """
    import tensorflow as tf

    if n_steps < 3 or n_steps_predict < 3:
        raise ValueError(
            f"streaming_latency_table: need at least 3 timed steps, got n_steps={n_steps}, "
            f"n_steps_predict={n_steps_predict}; use e.g. n_steps=100"
        )
    stream = to_streaming(model)
    copy = stateful_copy(model, batch_size=1)
    rng = np.random.default_rng(seed)
    n = max(n_steps, n_steps_predict)
    seq = rng.standard_normal((1, n, stream.in_features)).astype("float32")
    steps = [seq[:, t : t + 1] for t in range(n)]
    compiled = tf.function(lambda x: copy(x, training=False))

    def time_calls(fn, inputs):  # median seconds per call, after two untimed calls (tracing, first allocations)
        return seconds(fn, inputs=inputs, warmup=2, statistic="median")

    table = {}
    for name, fn, count in [
        ("stateful copy: predict", lambda x: copy.predict(x, verbose=0), n_steps_predict),
        ("stateful copy: predict_on_batch", copy.predict_on_batch, n_steps),
        ("stateful copy: direct call", lambda x: copy(x, training=False).numpy(), n_steps),
        ("stateful copy: tf.function", lambda x: compiled(x).numpy(), n_steps),
    ]:
        reset_states(copy)
        table[name] = time_calls(fn, steps[:count])
    prefixes = [seq[:, : t + 1] for t in range(n_steps_predict)]
    table["stateless: whole prefix"] = time_calls(model.predict_on_batch, prefixes)
    stream.reset()
    table["to_streaming"] = time_calls(lambda x: stream.step(x[0, 0]), steps[:n_steps])
    return table
