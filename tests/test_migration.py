"""helpers.migration: the Keras 2 -> 3 migration table."""

import importlib.util

import pytest

from helpers import MigrationRow, migration_table


def test_migration_table_escapes_pipes_and_has_one_line_per_row():
    table = migration_table([MigrationRow("a|b", "x", "ok", "y"), MigrationRow("c", "p", "q", "r")])
    lines = table.splitlines()
    assert len(lines) == 4 and "a\\|b" in lines[2]


def test_migration_table_rejects_empty_or_wrong_rows():
    with pytest.raises(ValueError, match="MigrationRow"):
        migration_table([])
    with pytest.raises(ValueError, match="MigrationRow"):
        migration_table([("a", "b", "c", "d")])


def test_table_has_a_keras2_column_marked_not_measured_when_empty():
    from helpers import MigrationRow as Row

    lines = migration_table([Row("a", "x", "ValueError", "`z`"), Row("b", "k", "ok", "k", "ok, kept")]).splitlines()
    assert lines[0].count("|") == 6 and "Keras 2 (tf_keras)" in lines[0]
    assert "not measured" in lines[2] and "ok, kept" in lines[3]


def test_missing_tf_keras_gives_the_install_command_not_a_traceback():
    from helpers import TF_KERAS_MISSING, keras2_behaviour

    assert keras2_behaviour(hide_tf_keras=True) == {"installed": False, "message": TF_KERAS_MISSING}
    assert "pip install --no-deps 'tf-keras==2.21.*'" in TF_KERAS_MISSING


@pytest.mark.skipif(importlib.util.find_spec("tf_keras") is None, reason="tf_keras not installed")
def test_probe_runs_keras2_idioms_on_tf_keras():
    from helpers import keras2_behaviour

    does = keras2_behaviour()["does"]
    assert does["batch_input_shape"].startswith("ok") and does["model.reset_states"] == "ok"
    assert does["save .keras"] == "ok, carried state lost"
    assert does["save no extension"].startswith("ok, carried state kept")


@pytest.mark.skipif(importlib.util.find_spec("tf_keras") is None, reason="tf_keras not installed")
def test_probe_records_state_order_and_both_adam_flavours():
    from helpers import keras2_behaviour

    does = keras2_behaviour()["does"]
    assert does["reset_states(states=) sets h, c in order"] is True
    assert does["Adam(lr=)"] == "ok, learning_rate=0.001"
    assert does["legacy Adam(lr=)"] == "ok, learning_rate=0.01"
    assert does["TimeDistributed"] == "ok, equal to Dense up to round-off"
