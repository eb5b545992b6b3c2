"""Input checks: the one helper that rejects a bad argument with the reason and the fix."""

from __future__ import annotations

import numpy as np

__all__ = ["positive_int"]


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
