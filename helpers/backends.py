"""Stateful RNNs across Keras backends: a probe that runs the same small checks under each backend.

Each backend runs in its own Python process (``KERAS_BACKEND`` is read once, at import), in
parallel. A backend whose package is not installed is reported as such instead of failing.

Checks, on a stateful ``LSTM(2)`` with batch size 2 and an SGD optimizer with learning rate 0
(so that training changes the carried state, never the weights):

- ``__call__`` / ``predict`` / ``predict_on_batch`` / ``train_on_batch`` / ``fit`` / ``evaluate``:
  after a reset, does the operation leave a non-zero carried state behind?
- ``fit resets at epoch end``: is the state after ``fit(epochs=2)`` the same as after ``fit(epochs=1)``
  (it would be if each epoch started from zeros)?
- ``batch size enforced``: does ``predict`` on 3 samples for a batch size of 2 raise?
"""

from __future__ import annotations

import concurrent.futures
import importlib.util
import json
import sys

__all__ = ["BACKENDS", "CHECKS", "probe_state_carrying", "probe_backends", "backend_matrix_markdown",
           "probe_traced_state", "probe_fast_path_training", "explicit_state_run", "REPRO", "run_repro"]

BACKENDS = ("tensorflow", "jax", "torch")
CHECKS = ("__call__", "predict", "predict_on_batch", "train_on_batch", "fit", "evaluate",
          "fit resets at epoch end", "batch size enforced")
_PACKAGE = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}


def probe_state_carrying() -> dict:
    """Run every check of ``CHECKS`` under the current Keras backend; return ``{check: bool}`` and versions."""
    import keras
    import numpy as np

    keras.utils.set_random_seed(0)
    inp = keras.Input(batch_shape=(2, 3, 1))
    lstm = keras.layers.LSTM(2, stateful=True)
    model = keras.Model(inp, lstm(inp))
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    x = np.linspace(0.1, 1.0, 12, dtype="float32").reshape(4, 3, 1)
    y = np.zeros((4, 2), "float32")

    from .state import state_values

    def state():
        return state_values(model)

    def carried(op):
        lstm.reset_states()
        try:
            op()
        except Exception as exc:  # a backend bug is a finding, reported in the matrix
            return f"error: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
        return bool(np.abs(state()).max() > 0)

    result = {
        "__call__": carried(lambda: model(x[:2])),
        "predict": carried(lambda: model.predict(x, batch_size=2, verbose=0)),
        "predict_on_batch": carried(lambda: model.predict_on_batch(x[:2])),
        "train_on_batch": carried(lambda: model.train_on_batch(x[:2], y[:2])),
        "fit": carried(lambda: model.fit(x, y, batch_size=2, epochs=1, shuffle=False, verbose=0)),
        "evaluate": carried(lambda: model.evaluate(x, y, batch_size=2, verbose=0)),
    }
    if result["fit"] is True:
        lstm.reset_states()
        model.fit(x, y, batch_size=2, epochs=1, shuffle=False, verbose=0)
        one_epoch = state()
        lstm.reset_states()
        model.fit(x, y, batch_size=2, epochs=2, shuffle=False, verbose=0)
        result["fit resets at epoch end"] = bool(np.array_equal(state(), one_epoch))
    else:
        result["fit resets at epoch end"] = "n/a: fit carries no state" if result["fit"] is False else "n/a: fit failed"
    try:
        model.predict(x[:3], batch_size=3, verbose=0)
        result["batch size enforced"] = False
    except Exception:  # any exception counts: the check is whether the mismatch is refused
        result["batch size enforced"] = True
    backend_module = sys.modules[_PACKAGE[keras.backend.backend()]]
    return {"backend": keras.backend.backend(), "keras": keras.__version__,
            "backend_version": getattr(backend_module, "__version__", "?"), "checks": result}


def _probe_in_subprocess(backend: str, timeout: float) -> dict:
    from .probes import fresh_interpreter

    if importlib.util.find_spec(_PACKAGE[backend]) is None:
        return {"backend": backend, "installed": False}
    env = {"KERAS_BACKEND": backend, "JAX_PLATFORMS": "cpu", "CUDA_VISIBLE_DEVICES": ""}
    code = ("import json, helpers.backends as b\n"
            "r = b.probe_state_carrying()\n"
            "r.update(traced=b.probe_traced_state(), fast_path=b.probe_fast_path_training(),\n"
            "         explicit=b.explicit_state_run())\n"
            "if r['backend'] == 'tensorflow':\n"
            "    r['stateful'] = b.explicit_state_run(stateful=True)\n"
            "else:  # stateful=True on this backend, on the generic step\n"
            "    r['stateful'] = b.explicit_state_run(stateful=True, use_cudnn=False)\n"
            "print(json.dumps(r))\n")
    return dict(json.loads(fresh_interpreter(code, env=env, timeout=timeout)[-1]), installed=True)


def probe_backends(backends=BACKENDS, timeout: float = 300.0) -> dict:
    """Probe each backend in its own subprocess, in parallel; return ``{backend: probe result}``.

    A result holds ``probe_state_carrying``'s keys plus ``"traced"`` (``probe_traced_state``),
    ``"fast_path"`` (``probe_fast_path_training``), ``"explicit"`` (``explicit_state_run()``) and,
    ``"stateful"`` (``explicit_state_run(stateful=True)``: the reference on TensorFlow; elsewhere
    with ``use_cudnn=False``, so that PyTorch can train it).

    backends: names among ``BACKENDS``. A backend whose package is missing gives
    ``{"backend": name, "installed": False}``.

    >>> probe_backends(["tensorflow"])["tensorflow"]["checks"]["predict"]  # doctest: +SKIP
    True
    """
    backends = list(backends)
    unknown = [b for b in backends if b not in BACKENDS]
    if unknown or not backends:
        raise ValueError(f"probe_backends: expected a non-empty list of backends among {BACKENDS}, got {backends}")
    with concurrent.futures.ThreadPoolExecutor(len(backends)) as pool:
        futures = {b: pool.submit(_probe_in_subprocess, b, timeout) for b in backends}
        return {b: f.result() for b, f in futures.items()}


def _cell(value) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "**no**"
    return f"**{value.split(':')[0]}** ({': '.join(value.split(': ')[1:2])})" if value.startswith("error") else value


def backend_matrix_markdown(results: dict) -> str:
    """Render ``probe_backends`` results as a Markdown table: one row per check, one column per backend."""
    if not results:
        raise ValueError("backend_matrix_markdown: results is empty; pass the dict probe_backends returns")
    names = list(results)

    def header(name):
        r = results[name]
        return f"{name} {r['backend_version']}" if r.get("installed") else f"{name}"

    lines = ["| check | " + " | ".join(header(n) for n in names) + " |",
             "|---|" + "---|" * len(names)]
    for check in CHECKS:
        cells = []
        for n in names:
            r = results[n]
            cells.append("not installed" if not r.get("installed") else _cell(r["checks"][check]))
        lines.append(f"| `{check}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def probe_traced_state() -> dict:
    """Which carried state does ``predict`` start from, under the current backend?

    A stateful ``LSTM(2)`` with batch size 1 is called directly once (leaving a state ``s1``),
    then ``predict`` runs twice, then ``reset_states()`` and ``predict`` once more. Returns
    ``{check: bool}``: ``"predict starts from the state of a direct call"`` (its output equals a
    second direct call's), ``"predict carries its own state to the next predict"``, and
    ``"predict after reset_states() starts from zeros"`` (equals the first direct call's output),
    and ``"within one predict, batch 2 continues from batch 1"`` (a fresh copy's ``predict`` over
    two batches of 1: the second output equals the second direct call's).

    >>> probe_traced_state()["predict after reset_states() starts from zeros"]  # doctest: +SKIP
    True
    """
    import keras
    import numpy as np

    def build():
        keras.utils.set_random_seed(0)
        inp = keras.Input(batch_shape=(1, 3, 1))
        lstm = keras.layers.LSTM(2, stateful=True)
        return keras.Model(inp, lstm(inp)), lstm

    x = np.ones((1, 3, 1), "float32")
    out = keras.ops.convert_to_numpy
    model, lstm = build()
    first, second = out(model(x)), out(model(x))  # from zeros, then from s1
    lstm.reset_states()
    out(model(x))  # the state is s1 again
    p1, p2 = model.predict(x, verbose=0), model.predict(x, verbose=0)
    lstm.reset_states()
    p3 = model.predict(x, verbose=0)
    close = lambda a, b: bool(np.allclose(a, b, atol=1e-6))  # noqa: E731
    fresh, _ = build()  # the same weights, state zeros: one predict over 2 batches of 1
    both = out(fresh.predict(np.ones((2, 3, 1), "float32"), batch_size=1, verbose=0))
    return {"predict starts from the state of a direct call": close(p1, second),
            "predict carries its own state to the next predict": not close(p1, p2),
            "predict after reset_states() starts from zeros": close(p3, first),
            "within one predict, batch 2 continues from batch 1": close(both[1], second)}


def probe_fast_path_training() -> dict:
    """Does ``fit`` train a stateful LSTM / GRU, with the default fast path and with ``use_cudnn=False``?

    Returns ``{"LSTM": {"auto": outcome, "False": outcome}, "GRU": {...}}``, where an outcome is
    True (fit ran and left a non-zero carried state) or ``"error: Type: message"``.

    >>> probe_fast_path_training()["LSTM"]["False"]  # doctest: +SKIP
    True
    """
    import keras
    import numpy as np

    x = np.linspace(0.1, 1.0, 12, dtype="float32").reshape(4, 3, 1)
    result = {}
    for layer in (keras.layers.LSTM, keras.layers.GRU):
        result[layer.__name__] = {}
        for use_cudnn in ("auto", False):
            keras.utils.set_random_seed(0)
            inp = keras.Input(batch_shape=(2, 3, 1))
            rnn = layer(2, stateful=True, use_cudnn=use_cudnn)
            model = keras.Model(inp, rnn(inp))
            model.compile(optimizer="sgd", loss="mse")
            try:
                model.fit(x, np.zeros((4, 2), "float32"), batch_size=2, shuffle=False, verbose=0)
                state = keras.ops.convert_to_numpy(rnn.states[0])
                outcome = bool(np.abs(state).max() > 0)
            except Exception as exc:  # the failure is the finding
                outcome = f"error: {type(exc).__name__}: {str(exc).splitlines()[0][:100]}"
            result[layer.__name__][str(use_cudnn)] = outcome
    return result


def explicit_state_run(stateful: bool = False, units: int = 4, chunks: int = 4, steps: int = 5,
                       passes: int = 2, use_cudnn="auto") -> dict:
    """Run and train one LSTM over consecutive chunks, carrying the state explicitly or with ``stateful=True``.

    The model is ``LSTM(units, return_sequences=True)`` + ``Dense(1)`` on 2 streams of
    ``chunks * steps`` steps (target: the input 2 steps earlier), with weights drawn by NumPy
    (identical on every backend). ``stateful=False`` passes the state in and out
    (``initial_state=`` / ``return_state=True``); ``stateful=True`` is the usual stateful layer.
    Inference: the untrained model's outputs over all chunks, state carried. Training: ``passes``
    passes of ``train_on_batch`` per chunk (SGD, learning rate 0.1), state reset at each pass.
    ``use_cudnn`` is passed to the stateful layer (``False`` lets it train on PyTorch).
    Returns ``{"inference": list (2 * chunks * steps), "weights": list}``.

    >>> run = explicit_state_run(chunks=2, steps=2, passes=1)
    >>> len(run["inference"]), len(run["weights"])
    (8, 101)
    """
    import keras
    import numpy as np

    rng = np.random.default_rng(0)
    series = rng.normal(size=(2, chunks * steps + 2, 1)).astype("float32")
    x, y = series[:, 2:], series[:, :-2]
    x_in = keras.Input(batch_shape=(2, steps, 1))
    if stateful:
        seq = keras.layers.LSTM(units, return_sequences=True, stateful=True,
                                use_cudnn=use_cudnn)(x_in)
        model = keras.Model(x_in, keras.layers.Dense(1)(seq))
    else:
        h_in, c_in = keras.Input(batch_shape=(2, units)), keras.Input(batch_shape=(2, units))
        lstm = keras.layers.LSTM(units, return_sequences=True, return_state=True)
        seq, h, c = lstm(x_in, initial_state=[h_in, c_in])
        model = keras.Model([x_in, h_in, c_in], keras.layers.Dense(1)(seq))
        carry = keras.Model([x_in, h_in, c_in], [h, c])
    model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.get_weights()])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    cut = [(slice(None), slice(k * steps, (k + 1) * steps)) for k in range(chunks)]

    def sweep(train: bool) -> list:
        from .state import reset_states

        if stateful:
            reset_states(model)
        state = [np.zeros((2, units), "float32")] * 2
        outputs = []
        for k in cut:
            inputs = x[k] if stateful else [x[k], *state]
            if not stateful:  # the next state, from the weights before this update
                state = [keras.ops.convert_to_numpy(s) for s in carry.predict_on_batch(inputs)]
            if train:
                model.train_on_batch(inputs, y[k])
            else:
                outputs.append(keras.ops.convert_to_numpy(model.predict_on_batch(inputs)))
        return outputs

    inference = np.concatenate(sweep(train=False), axis=1).ravel()
    for _ in range(passes):
        sweep(train=True)
    weights = np.concatenate([np.ravel(w) for w in model.get_weights()])
    return {"inference": inference.tolist(), "weights": weights.tolist()}


REPRO = {
    "jax": """\
import os
os.environ["KERAS_BACKEND"] = "jax"
import keras, numpy as np

keras.utils.set_random_seed(0)
inp = keras.Input(batch_shape=(1, 3, 1))
lstm = keras.layers.LSTM(2, stateful=True)
model = keras.Model(inp, lstm(inp))
x = np.ones((1, 3, 1), "float32")
model(x)                               # direct call: state s1
p1 = model.predict(x, verbose=0)       # traced now, from s1
p2 = model.predict(x, verbose=0)       # expected: from the state p1 left
lstm.reset_states()
p3 = model.predict(x, verbose=0)       # expected: from zeros
print("predict repeats itself:", np.array_equal(p1, p2))
print("reset reaches predict:", not np.array_equal(p1, p3))
""",
    "torch": """\
import os
os.environ["KERAS_BACKEND"] = "torch"
import keras, numpy as np

x, y = np.ones((2, 3, 1), "float32"), np.zeros((2, 2), "float32")
L, off = keras.layers, {"use_cudnn": False}
for layer, kw in [(L.LSTM, {}), (L.LSTM, off), (L.GRU, {}), (L.GRU, off),
                  (L.SimpleRNN, {})]:
    inp = keras.Input(batch_shape=(2, 3, 1))
    model = keras.Model(inp, layer(2, stateful=True, **kw)(inp))
    model.compile(optimizer="sgd", loss="mse")
    try:
        model.fit(x, y, batch_size=2, verbose=0)
        outcome = "ok"
    except RuntimeError as e:
        outcome = "RuntimeError: " + str(e).split(":")[0]
    args = "".join(f", {k}={v}" for k, v in kw.items())
    print(f"{layer.__name__}(2, stateful=True{args}).fit: {outcome}")
""",
}


def run_repro(backend: str, timeout: float = 300.0) -> list:
    """Run ``REPRO[backend]`` (a minimal upstream bug reproduction) in a fresh interpreter.

    Returns its stdout lines, or ``None`` if the backend's package is not installed.

    >>> run_repro("jax")[0]  # doctest: +SKIP
    'predict repeats itself: True'
    """
    from .probes import fresh_interpreter

    if backend not in REPRO:
        raise ValueError(f"run_repro: no reproduction for {backend!r}; choose among {sorted(REPRO)}")
    if importlib.util.find_spec(_PACKAGE[backend]) is None:
        return None
    env = {"JAX_PLATFORMS": "cpu", "CUDA_VISIBLE_DEVICES": ""}
    return fresh_interpreter(REPRO[backend], env=env, timeout=timeout)
