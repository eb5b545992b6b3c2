"""helpers.plotting, chapter 2: the per-position accuracy figure."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from helpers import plot_position_accuracy, causal_accuracy_ceiling  # noqa: E402


def test_plot_draws_bars_rule_and_chance():
    fig, ax = plt.subplots()
    out = plot_position_accuracy(ax, [0.1, 0.1, 1, 1, 1], causal_accuracy_ceiling(5, 10), n_symbols=10, title="t")
    assert out is ax and len(ax.patches) == 5 and len(ax.lines) == 2 and ax.get_title() == "t"
    plt.close(fig)


def test_plot_rejects_mismatched_shapes():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="measured must be"):
        plot_position_accuracy(ax, [[0.1]])
    with pytest.raises(ValueError, match="differ in shape"):
        plot_position_accuracy(ax, [0.1, 1.0], [0.1, 1.0, 1.0])
    plt.close(fig)
