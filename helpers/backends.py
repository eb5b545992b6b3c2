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

__all__ = ["BACKENDS", "CHECKS", "probe_state_carrying", "probe_backends", "backend_matrix_markdown"]

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
    code = "import json, helpers.backends as b; print(json.dumps(b.probe_state_carrying()))"
    return dict(json.loads(fresh_interpreter(code, env=env, timeout=timeout)[-1]), installed=True)


def probe_backends(backends=BACKENDS, timeout: float = 300.0) -> dict:
    """Probe each backend in its own subprocess, in parallel; return ``{backend: probe result}``.

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
