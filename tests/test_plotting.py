"""helpers.plotting: the figures draw what they are given and reject mismatched arrays."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import (  # noqa: E402
    causal_accuracy_ceiling, plot_bars, plot_batch_layouts, plot_error_by_horizon, plot_position_accuracy,
    plot_sequence_outputs, plot_update_losses,
)


def test_plot_position_accuracy_draws_bars_rule_and_chance():
    fig, ax = plt.subplots()
    out = plot_position_accuracy(ax, [0.1, 0.1, 1, 1, 1], causal_accuracy_ceiling(5, 10), n_symbols=10, title="t")
    assert out is ax and len(ax.patches) == 5 and len(ax.lines) == 2 and ax.get_title() == "t"
    plt.close(fig)


def test_plot_position_accuracy_rejects_mismatched_shapes():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="measured must be"):
        plot_position_accuracy(ax, [[0.1]])
    with pytest.raises(ValueError, match="differ in shape"):
        plot_position_accuracy(ax, [0.1, 1.0], [0.1, 1.0, 1.0])
    plt.close(fig)


def test_plot_error_by_horizon_draws_one_line_per_curve_plus_references():
    fig, ax = plt.subplots()
    plot_error_by_horizon(ax, {"a": np.ones(5), "b": np.arange(5.0)}, optimum=np.ones(5), one_step=0.5)
    assert len(ax.lines) == 4 and ax.get_xlabel() == "forecast step k"
    assert list(ax.lines[0].get_xdata()) == [1, 2, 3, 4, 5]
    plt.close(fig)


def test_plot_error_by_horizon_rejects_no_curves():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="curves is empty"):
        plot_error_by_horizon(ax, {})
    plt.close(fig)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: plot_update_losses({"a": [1.0, 0.5]}, window=0), "window must be an int >= 1"),
        (lambda: plot_bars({}, "s"), "non-empty"),
        (lambda: plot_sequence_outputs(np.zeros(3), {}), r"y_true must be \(steps, outputs\), got shape \(3,\)"),
        (lambda: plot_sequence_outputs(np.zeros((3, 1)), {"a": np.zeros((2, 1))}), "must have y_true's shape"),
        (lambda: plot_batch_layouts({"a": np.zeros((4, 2), int)}, batch_size=0), "batch_size must be an int >= 1"),
        (lambda: plot_batch_layouts({"a": np.zeros(4, int)}, batch_size=2), r"layout 'a' must be \(samples, steps\)"),
    ],
)
def test_plots_reject_bad_input_naming_what_is_expected(call, match):
    with pytest.raises(ValueError, match=match):
        call()
    plt.close("all")
