"""Input checks: the one helper that rejects a bad argument with the reason and the fix."""

from __future__ import annotations

import numpy as np

__all__ = ["positive_int", "array_of_shape"]


def positive_int(func: str, name: str, value, minimum: int = 1) -> int:
    """Return ``value`` as an int if it is an integer >= ``minimum``; else raise ValueError.

    func, name: the calling function and argument, named in the message.

    >>> positive_int("f", "steps", np.int64(3))
    3
    >>> positive_int("f", "steps", 0)
    Traceback (most recent call last):
    ...
    ValueError: f: steps must be an int >= 1, got 0; pass e.g. steps=5
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{func}: {name} must be an int >= {minimum}, got {value!r}; pass e.g. {name}={max(minimum, 5)}")
    return int(value)


def array_of_shape(func: str, name: str, value, axes: tuple, fix: str, dtype=None) -> np.ndarray:
    """Return ``value`` as a NumPy array if it has one axis per name in ``axes``; else raise ValueError.

    func, name: the calling function and argument, named in the message. axes: the expected
    axes by name, e.g. ``("samples", "steps", "classes")``; an int fixes that axis's size.
    fix: what the caller should do instead, ending the message. dtype: passed to ``np.asarray``.

    >>> array_of_shape("f", "y", np.zeros((2, 3)), ("samples", "steps"), "pass y").shape
    (2, 3)
    >>> array_of_shape("f", "y", np.zeros(3), ("samples", "steps", 1), "add an axis with y[..., None]")
    Traceback (most recent call last):
    ...
    ValueError: f: y must be (samples, steps, 1), got shape (3,); add an axis with y[..., None]
    """
    a = np.asarray(value, dtype=dtype)
    fixed = [(i, size) for i, size in enumerate(axes) if isinstance(size, (int, np.integer))]
    if a.ndim != len(axes) or any(a.shape[i] != size for i, size in fixed):
        raise ValueError(f"{func}: {name} must be ({', '.join(str(ax) for ax in axes)}{',' if len(axes) == 1 else ''}), got shape {a.shape}; {fix}")
    return a
