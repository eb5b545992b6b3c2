"""helpers.plotting, chapter 3: error-by-horizon figure."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plot_error_by_horizon  # noqa: E402


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
