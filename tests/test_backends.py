"""helpers.backends: the stateful-RNN probe, run here on the TensorFlow backend in-process."""

import pytest

from helpers import CHECKS, backend_matrix_markdown, probe_backends, probe_state_carrying


def test_probe_on_tensorflow_measures_every_check():
    result = probe_state_carrying()
    assert result["backend"] == "tensorflow"
    assert set(result["checks"]) == set(CHECKS)
    # What the book's chapters rely on: on TensorFlow every path carries the state and fit never resets it.
    assert all(result["checks"][c] is True for c in ("__call__", "predict", "predict_on_batch", "train_on_batch", "fit", "evaluate"))
    assert result["checks"]["fit resets at epoch end"] is False
    assert result["checks"]["batch size enforced"] is True


def test_matrix_marks_missing_backends_and_errors():
    results = {
        "tensorflow": {"installed": True, "backend_version": "2.x", "checks": {c: True for c in CHECKS}},
        "torch": {"installed": True, "backend_version": "2.y",
                  "checks": dict({c: True for c in CHECKS}, fit="error: RuntimeError: boom")},
        "jax": {"installed": False},
    }
    table = backend_matrix_markdown(results)
    assert "not installed" in table and "**error** (RuntimeError)" in table
    assert len(table.splitlines()) == 2 + len(CHECKS)


def test_probe_backends_rejects_unknown_backends():
    with pytest.raises(ValueError, match="among"):
        probe_backends(["theano"])
    with pytest.raises(ValueError, match="non-empty"):
        probe_backends([])
    with pytest.raises(ValueError, match="empty"):
        backend_matrix_markdown({})


def test_traced_state_follows_every_change_on_tensorflow():
    from helpers import probe_traced_state

    assert all(v is True for v in probe_traced_state().values())


def test_fast_path_trains_on_tensorflow_with_and_without_cudnn():
    from helpers import probe_fast_path_training

    result = probe_fast_path_training()
    assert {layer: set(r.values()) for layer, r in result.items()} == {"LSTM": {True}, "GRU": {True}}


def test_explicit_state_reproduces_stateful_on_tensorflow():
    import numpy as np

    from helpers import explicit_state_run

    explicit, stateful = explicit_state_run(chunks=2, passes=1), explicit_state_run(stateful=True, chunks=2, passes=1)
    for part in ("inference", "weights"):
        assert np.abs(np.subtract(explicit[part], stateful[part])).max() <= 1e-6


def test_repros_fit_the_page_and_unknown_backends_are_refused():
    from helpers import REPRO, run_repro

    assert set(REPRO) == {"jax", "torch"}
    assert all(len(line) <= 79 for code in REPRO.values() for line in code.splitlines())
    with pytest.raises(ValueError, match="choose among"):
        run_repro("theano")


def test_explicit_state_run_use_cudnn_false_matches_the_default_on_tensorflow():
    import numpy as np

    from helpers import explicit_state_run

    runs = [explicit_state_run(stateful=True, chunks=2, passes=1, use_cudnn=u) for u in ("auto", False)]
    for part in ("inference", "weights"):
        assert np.abs(np.subtract(runs[0][part], runs[1][part])).max() <= 1e-6
