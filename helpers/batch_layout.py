"""The stateful batch layout: row i of batch k+1 continues row i of batch k."""

from __future__ import annotations

import numpy as np

from .checks import positive_int

__all__ = ["stateful_batches"]


def _as_2d_series(name: str, a) -> np.ndarray:
    a = np.asarray(a)
    if a.ndim == 1:
        return a[:, None]
    if a.ndim == 2:
        return a
    raise ValueError(
        f"stateful_batches: {name} must have shape (time,) or (time, features), got shape {a.shape}; "
        "pass ONE long series, not windows or batches (reshape a (1, time, features) array with a[0])"
    )


def stateful_batches(series, batch_size: int, steps: int, targets=None):
    """Lay one long series out as ``batch_size`` contiguous streams for a stateful RNN.

    series: (time,) or (time, features). targets: optional, same length as ``series``, shape
    (time,) or (time, outputs), one target per time step. The series is cut into ``batch_size``
    contiguous streams of ``n_batches * steps`` points; batch ``k`` holds chunk ``k`` of every
    stream, so sample ``(k+1)*batch_size + i`` continues sample ``k*batch_size + i`` exactly and a
    stateful layer's carried state is always the state of the previous chunk of the same stream.
    The tail that does not fill a whole batch is dropped.

    Returns ``x`` of shape (n_batches * batch_size, steps, features), and if ``targets`` is given
    ``(x, y)`` with ``y`` of shape (n_batches * batch_size, steps, outputs) laid out the same way
    (take ``y[:, -1]`` for a model with ``return_sequences=False``). Dtypes are kept, so
    ``stateful_batches(np.arange(n), ...)`` gives the time index held at every position.
    Train on it with ``fit(x, y, batch_size=batch_size, shuffle=False)``.

    >>> stateful_batches(np.arange(12), batch_size=2, steps=3)[..., 0]
    array([[ 0,  1,  2],
           [ 6,  7,  8],
           [ 3,  4,  5],
           [ 9, 10, 11]])
    """
    batch_size = positive_int("stateful_batches", "batch_size", batch_size)
    steps = positive_int("stateful_batches", "steps", steps)
    x = _as_2d_series("series", series)
    n_batches = len(x) // (batch_size * steps)
    if n_batches == 0:
        raise ValueError(
            f"stateful_batches: series of length {len(x)} holds no full batch of {batch_size} streams "
            f"x {steps} steps (needs at least {batch_size * steps} points); "
            "use fewer streams (batch_size) or shorter steps"
        )
    used = n_batches * batch_size * steps

    def layout(a):
        # (streams, chunks, steps, f) -> (chunks, streams, steps, f) -> (chunks*streams, steps, f)
        a = a[:used].reshape(batch_size, n_batches, steps, a.shape[-1])
        return a.transpose(1, 0, 2, 3).reshape(n_batches * batch_size, steps, a.shape[-1])

    if targets is None:
        return layout(x)
    y = _as_2d_series("targets", targets)
    if len(y) != len(x):
        raise ValueError(
            f"stateful_batches: targets has length {len(y)} but series has length {len(x)}; "
            "give one target per time step of the series (shift it yourself for forecasting)"
        )
    return layout(x), layout(y)
