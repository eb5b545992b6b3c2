"""helpers.migration: describing what an idiom does, and the table."""

import warnings

import pytest

from helpers import MigrationRow, migration_table, describe_exception


def test_describe_exception_reports_ok_and_the_exception_type_and_first_line():
    assert describe_exception(lambda: 1) == "ok"
    assert describe_exception(lambda: (_ for _ in ()).throw(KeyError("k"))) == "KeyError: 'k'"

    def two_lines():
        raise ValueError("\x1b[1mfirst line\x1b[0m\nsecond line")

    assert describe_exception(two_lines) == "ValueError: first line"

    def keras_wrapped():
        raise ValueError("Exception encountered when calling LSTM.call().\n\nThe batch size must match.\nArguments ...")

    assert describe_exception(keras_wrapped) == "ValueError: Exception encountered when calling LSTM.call(). The batch size must match."


def test_describe_exception_can_report_the_line_that_matches():
    def graph_error():
        raise RuntimeError("Graph execution error:\n  File x.py, line 3\nIncompatible shapes: [8,10] vs. [64,10]\n\t[[node]]")

    assert describe_exception(graph_error, match="Incompatible shapes") == "RuntimeError: Incompatible shapes: [8,10] vs. [64,10]"
    assert describe_exception(graph_error, match="absent") == "RuntimeError: Graph execution error:"


def test_describe_exception_reports_warnings_and_cuts_long_messages():
    def warns():
        warnings.warn("careful", UserWarning)

    assert describe_exception(warns) == "ok, with UserWarning: careful"
    long = describe_exception(lambda: (_ for _ in ()).throw(ValueError("x" * 500)), max_chars=40)
    assert len(long) == 40 and long.endswith("…")


def test_describe_exception_rejects_bad_input():
    with pytest.raises(ValueError, match="expected a callable"):
        describe_exception("not callable")
    with pytest.raises(ValueError, match="max_chars"):
        describe_exception(lambda: 1, max_chars=5)


def test_migration_table_escapes_pipes_and_has_one_line_per_row():
    table = migration_table([MigrationRow("a|b", "x", "ok", "y"), MigrationRow("c", "p", "q", "r")])
    lines = table.splitlines()
    assert len(lines) == 4 and "a\\|b" in lines[2]


def test_migration_table_rejects_empty_or_wrong_rows():
    with pytest.raises(ValueError, match="MigrationRow"):
        migration_table([])
    with pytest.raises(ValueError, match="MigrationRow"):
        migration_table([("a", "b", "c", "d")])
