"""helpers.probes: describing what a call raises, and running code in a fresh interpreter."""

import warnings

import pytest

from helpers import describe_exception, fresh_interpreter


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


def test_fresh_interpreter_returns_stdout_lines_and_passes_env():
    assert fresh_interpreter("print(6 * 7)") == ["42"]
    assert fresh_interpreter("import os; print(os.environ['CH5_PROBE'])", env={"CH5_PROBE": "x"}) == ["x"]


def test_fresh_interpreter_reports_failures_and_bad_arguments():
    with pytest.raises(RuntimeError, match="exited with code 3"):
        fresh_interpreter("import sys; sys.exit(3)")
    with pytest.raises(ValueError, match="non-empty string"):
        fresh_interpreter("  ")
    with pytest.raises(ValueError, match="env must map str to str"):
        fresh_interpreter("print(1)", env={"A": 1})
