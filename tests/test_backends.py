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
