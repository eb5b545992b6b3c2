"""Plots: the book's figures (matplotlib), each drawn from measured arrays."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .checks import array_of_shape, positive_int

__all__ = ["plot_update_losses", "plot_bars", "plot_sequence_outputs", "plot_position_accuracy",
           "plot_error_by_horizon", "plot_batch_layouts"]

def plot_update_losses(traces: dict, window: int = 25, ax=None, title: str = ""):
    """Training loss at every update (faint) and its moving average over ``window`` updates (bold).

    traces: {label: 1-D array of per-update losses}. Returns the matplotlib Axes.

    >>> ax = plot_update_losses({"A": np.linspace(1, 0, 50)}, window=10)
    >>> len(ax.lines), ax.get_xlabel()
    (2, 'update')
    """
    if not traces or any(np.ndim(v) != 1 or len(v) == 0 for v in traces.values()):
        raise ValueError("plot_update_losses: expected {label: non-empty 1-D array of losses}; pass e.g. {'A': history['loss']}")
    window = positive_int("plot_update_losses", "window", window)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3))
    for k, (label, loss) in enumerate(traces.items()):
        loss = np.asarray(loss, dtype=float)
        colour = f"C{k}"
        ax.plot(loss, color=colour, alpha=0.25, lw=0.8)
        w = max(1, min(window, len(loss)))
        ax.plot(np.arange(w - 1, len(loss)), np.convolve(loss, np.ones(w) / w, mode="valid"), color=colour,
                lw=2, label=f"{label} (mean of {w})")
    ax.set_xlabel("update")
    ax.set_ylabel("training loss (MSE)")
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize=8)
    return ax


def plot_bars(values: dict, ylabel: str, ax=None, log: bool = False, title: str = "", fmt: str = "{:.3g}"):
    """One labelled bar per entry of ``values`` ({label: number}), value written on top. Returns the Axes.

    >>> ax = plot_bars({"predict": 0.03, "step": 0.0002}, "seconds per step", log=True)
    >>> len(ax.patches), ax.get_yscale()
    (2, 'log')
    """
    if not values:
        raise ValueError("plot_bars: expected a non-empty {label: number} dict; pass e.g. {'predict': 0.03}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3))
    labels, heights = list(values), [float(v) for v in values.values()]
    bars = ax.bar(range(len(labels)), heights, color=[f"C{k}" for k in range(len(labels))])
    ax.set_xticks(range(len(labels)), labels, rotation=20, ha="right")
    for bar, h in zip(bars, heights):
        ax.annotate(fmt.format(h), (bar.get_x() + bar.get_width() / 2, h), ha="center", va="bottom", fontsize=8)
    if log:
        ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return ax


def plot_sequence_outputs(y_true, predictions: dict, output: int = 0, ax=None, title: str = ""):
    """Target and predictions of one sequence, for one output channel.

    y_true: (steps, outputs); predictions: {label: (steps, outputs)}. Returns the Axes.

    >>> ax = plot_sequence_outputs(np.zeros((5, 2)), {"model": np.ones((5, 2))}, output=1)
    >>> len(ax.lines), ax.get_ylabel()
    (2, 'output 1')
    """
    y_true = array_of_shape("plot_sequence_outputs", "y_true", y_true, ("steps", "outputs"), "pass one sequence, e.g. ys[0]")
    if any(np.shape(p) != y_true.shape for p in predictions.values()):
        raise ValueError(
            f"plot_sequence_outputs: every prediction must have y_true's shape {y_true.shape}, got "
            f"{ {k: np.shape(p) for k, p in predictions.items()} }; predict on the same sequence"
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3))
    ax.plot(y_true[:, output], "k-", lw=2.5, alpha=0.4, label="target")
    for label, p in predictions.items():
        ax.plot(np.asarray(p)[:, output], lw=1.2, label=label)
    ax.set_xlabel("time step")
    ax.set_ylabel(f"output {output}")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return ax


def plot_position_accuracy(ax, measured, predicted=None, n_symbols: int | None = None, title: str = ""):
    """Bar chart of per-position accuracy, with the predicted profile and the chance level.

    ax: a matplotlib Axes. measured, predicted: (steps,) accuracies in [0, 1]
    (from ``per_position_accuracy`` and ``causal_accuracy_ceiling``). n_symbols: draws chance 1/n_symbols.
    Returns ax.

    >>> fig, ax = plt.subplots()
    >>> _ = plot_position_accuracy(ax, [0.1, 1.0], [0.1, 1.0], n_symbols=10)
    """
    m = array_of_shape("plot_position_accuracy", "measured", measured, ("steps",), "use per_position_accuracy", dtype=float)
    t = np.arange(len(m))
    ax.bar(t, m, color="tab:blue", alpha=0.7, label="measured")
    if predicted is not None:
        p = np.asarray(predicted, dtype=float)
        if p.shape != m.shape:
            raise ValueError(f"plot_position_accuracy: predicted {p.shape} and measured {m.shape} differ in shape")
        ax.plot(t, p, "k_", markersize=22, markeredgewidth=2.5, label="predicted by the rule")
    if n_symbols is not None:
        ax.axhline(1.0 / n_symbols, color="tab:red", linestyle=":", label=f"chance 1/{n_symbols}")
    ax.set(xlabel="output position t", ylabel="accuracy", ylim=(0, 1.05), xticks=t, title=title)
    return ax


def plot_error_by_horizon(ax, curves, optimum=None, one_step=None, title=None):
    """Mean squared error against forecast horizon k = 1..ty, one line per model.

    curves: {label: array (ty,)}, drawn in insertion order; optimum: array (ty,) the best
    possible k-step error (dashed black); one_step: float, the best one-step error (dotted grey).
    Returns ax.

    >>> fig, ax = plt.subplots()
    >>> _ = plot_error_by_horizon(ax, {"free-running": np.arange(1.0, 4.0)}, optimum=np.ones(3), one_step=0.5)
    >>> len(ax.lines)
    3
    """
    if not curves:
        raise ValueError("plot_error_by_horizon: curves is empty; pass {label: errors by horizon}")
    for label, err in curves.items():
        err = np.asarray(err)
        ax.plot(np.arange(1, len(err) + 1), err, marker="o", ms=3, label=label)
    if optimum is not None:
        k = np.arange(1, len(optimum) + 1)
        ax.plot(k, optimum, "k--", lw=2, label="optimum, k steps ahead")
    if one_step is not None:
        ax.axhline(one_step, color="grey", ls=":", label="optimum, 1 step ahead")
    ax.set_xlabel("forecast step k")
    ax.set_ylabel("mean squared error")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8)
    return ax


def plot_batch_layouts(layouts: dict, batch_size: int, max_samples: int | None = None):
    """Draw batch layouts side by side: which time index each row of each batch holds.

    layouts: {title: integer array of shape (samples, steps)}, e.g.
    ``stateful_batches(np.arange(n), batch_size, steps)[..., 0]``. Each panel is a grid with one
    row per sample and one column per step, the time index written in each cell, a line between
    batches, and each row's colour following the stream it should continue (row i of a batch).
    Returns the figure.

    >>> fig = plot_batch_layouts({"stateful": np.arange(12).reshape(4, 3)}, batch_size=2)
    >>> len(fig.axes), len(fig.axes[0].texts)
    (1, 12)
    """
    if not layouts:
        raise ValueError("plot_batch_layouts: layouts is empty; pass {title: (samples, steps) index array}")
    batch_size = positive_int("plot_batch_layouts", "batch_size", batch_size)
    fig, axes = plt.subplots(1, len(layouts), figsize=(3.6 * len(layouts), 4.2), squeeze=False)
    for ax, (title, idx) in zip(axes[0], layouts.items()):
        idx = array_of_shape("plot_batch_layouts", f"layout {title!r}", idx, ("samples", "steps"),
                             "pass stateful_batches(np.arange(n), batch_size, steps)[..., 0]")
        idx = idx[: max_samples or len(idx)]
        rows = np.arange(len(idx)) % batch_size
        ax.imshow(np.repeat(rows[:, None], idx.shape[1], axis=1), cmap="Pastel1", aspect="auto",
                  vmin=0, vmax=8)
        for r in range(idx.shape[0]):
            for c in range(idx.shape[1]):
                ax.text(c, r, str(idx[r, c]), ha="center", va="center", fontsize=8)
        for b in range(batch_size, len(idx), batch_size):
            ax.axhline(b - 0.5, color="k", lw=2)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("step within sample")
        ax.set_xticks(range(idx.shape[1]))
        ax.set_yticks(range(len(idx)))
        ax.set_yticklabels([f"b{r // batch_size} row {r % batch_size}" for r in range(len(idx))], fontsize=7)
    fig.tight_layout()
    return fig


