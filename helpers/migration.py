"""Keras 2 → Keras 3 migration: run an idiom and record what Keras 3 does with it.

The appendix builds its migration table from these records, so that every row shows the real
exception (or the real result) of the Keras version installed, not a remembered one.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MigrationRow", "migration_table", "probe_keras2", "keras2_behaviour",
           "TF_KERAS_MISSING"]

TF_KERAS_MISSING = ("tf_keras is not installed: "
                    "pip install --no-deps 'tf-keras==2.21.*'")

@dataclass
class MigrationRow:
    """One idiom: the Keras 2 code, what Keras 3 does with it (measured), and the Keras 3 form (Markdown)."""

    idiom: str
    keras2: str
    keras3_does: str
    keras3_form: str
    keras2_does: str = ""


def migration_table(rows) -> str:
    """Render ``MigrationRow`` records as a Markdown table (code in backticks, pipes escaped).

    >>> print(migration_table([MigrationRow("epochs", "fit(nb_epoch=2)", "TypeError", "fit(epochs=2)")]))
    | idiom | Keras 2 | what Keras 2 (tf_keras) does | what Keras 3 does | Keras 3 |
    |---|---|---|---|---|
    | epochs | `fit(nb_epoch=2)` | not measured | TypeError | fit(epochs=2) |
    """
    rows = list(rows)
    if not rows or not all(isinstance(r, MigrationRow) for r in rows):
        raise ValueError("migration_table: expected a non-empty list of MigrationRow records")

    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| idiom | Keras 2 | what Keras 2 (tf_keras) does | what Keras 3 does | Keras 3 |",
             "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {esc(r.idiom)} | `{esc(r.keras2)}` | {esc(r.keras2_does) or 'not measured'} "
                     f"| {esc(r.keras3_does)} | {esc(r.keras3_form)} |")
    return "\n".join(lines)


def probe_keras2() -> dict:
    """Run each Keras 2 idiom of the appendix on ``tf_keras`` (Keras 2) in this interpreter.

    Needs ``TF_USE_LEGACY_KERAS=1`` set before TensorFlow is imported (``keras2_behaviour`` runs
    it in a fresh interpreter that way). Returns ``{idiom key: one-line description}``, as
    ``describe_exception`` writes it, plus ``"version"``.
    """
    import os
    import tempfile

    import numpy as np
    import tensorflow as tf
    import tf_keras as k

    from .probes import describe_exception as does

    K = k.backend
    model = k.Sequential([k.layers.LSTM(3, batch_input_shape=(1, None, 4), stateful=True)])
    lstm = model.layers[0]
    r = {"version": k.__version__, "batch_input_shape": f"ok, input_shape {model.input_shape}",
         "input_shape": does(lambda: k.Sequential([k.layers.LSTM(3, input_shape=(None, 4))])),
         "model.reset_states": does(model.reset_states)}
    ones = [np.ones((1, 3)), np.ones((1, 3))]
    h_c = [np.ones((1, 3)), 2 * np.ones((1, 3))]  # distinct values: the order is checked
    r["reset_states(states=)"] = does(lambda: lstm.reset_states(states=h_c))
    r["reset_states(states=) sets h, c in order"] = bool(
        np.all(lstm.states[0].numpy() == 1) and np.all(lstm.states[1].numpy() == 2))
    lstm.reset_states(states=ones)  # the save probes below expect h = c = 1
    for ext in (".h5", ".keras", ""):
        path = os.path.join(tempfile.mkdtemp(), "model" + ext)
        model.save(path)
        kept = k.models.load_model(path, compile=False).layers[0].states[0].numpy()
        r[f"save {ext or 'no extension'}"] = ("ok, carried state kept" if np.all(kept == 1)
                                            else "ok, carried state lost")
    r["save no extension"] += ", as a SavedModel directory" if os.path.isdir(path) else ""
    model.compile(optimizer="adam", loss="mse")
    x, y = np.ones((4, 5, 4), "float32"), np.zeros((4, 3), "float32")
    r["fit without batch_size"] = does(lambda: model.fit(x, y, verbose=0))
    r["predict without batch_size"] = does(lambda: model.predict(x, verbose=0))
    r["nb_epoch"] = does(lambda: model.fit(x, y, batch_size=1, nb_epoch=1, verbose=0))
    gen = ((x[:1], y[:1]) for _ in range(4))
    r["fit_generator"] = does(lambda: model.fit_generator(gen, steps_per_epoch=4, verbose=0))
    r["Adam(lr=)"] = f"ok, learning_rate={float(k.optimizers.Adam(lr=0.01).learning_rate):.3g}"
    legacy_lr = float(k.optimizers.legacy.Adam(lr=0.01).learning_rate)
    r["legacy Adam(lr=)"] = f"ok, learning_rate={legacy_lr:.3g}"
    r["Adadelta default"] = f"{float(k.optimizers.Adadelta().learning_rate):.3g}"
    r["np_utils"] = does(lambda: __import__("tf_keras.utils.np_utils"))
    r["K.eval"] = does(lambda: K.eval(K.sum(K.constant([1.0, 2.0]))))
    r["Model(input=)"] = does(lambda: k.Model(input=k.Input((3,)), output=k.Input((3,))))
    r["CuDNNLSTM"] = does(lambda: tf.compat.v1.keras.layers.CuDNNLSTM(3))
    seq = k.Sequential([k.Input((5, 4)), k.layers.LSTM(3, return_sequences=True)])
    r["sample_weight_mode"] = does(lambda: seq.compile(optimizer="sgd", loss="mse",
                                                       sample_weight_mode="temporal"))
    r["keras.layers.recurrent"] = does(lambda: __import__("tf_keras.layers.recurrent"))
    dense = k.layers.Dense(2)
    z = np.random.default_rng(0).normal(size=(2, 5, 4)).astype("float32")
    gap = np.abs(k.layers.TimeDistributed(dense)(z).numpy() - dense(z).numpy()).max()
    r["TimeDistributed"] = ("ok, equal to Dense up to round-off" if gap <= 1e-6
                            else f"ok, differs by {gap:.2g}")
    return r


def keras2_behaviour(hide_tf_keras: bool = False, timeout: float = 300.0) -> dict:
    """Run ``probe_keras2`` in a fresh interpreter with ``TF_USE_LEGACY_KERAS=1``.

    Returns ``{"installed": True, "does": {idiom key: description}}``, or, when ``tf_keras``
    cannot be found there, ``{"installed": False, "message": TF_KERAS_MISSING}`` (no traceback).
    hide_tf_keras: make the child believe ``tf_keras`` is absent (tests the degraded path).

    >>> keras2_behaviour(hide_tf_keras=True)["message"]
    "tf_keras is not installed: pip install --no-deps 'tf-keras==2.21.*'"
    """
    import json

    from .probes import fresh_interpreter

    code = ("import importlib.util, json, sys\n"
            "if {hide}: sys.modules['tf_keras'] = None\n"
            "if importlib.util.find_spec('tf_keras') is None:\n"
            "    print(json.dumps(None))\n"
            "else:\n"
            "    import helpers.migration as m\n"
            "    print(json.dumps(m.probe_keras2()))\n").format(hide=bool(hide_tf_keras))
    found = json.loads(fresh_interpreter(code, env={"TF_USE_LEGACY_KERAS": "1"}, timeout=timeout)[-1])
    if found is None:
        return {"installed": False, "message": TF_KERAS_MISSING}
    return {"installed": True, "does": found}
