"""Timing: the one wall-clock timer every chapter and helper uses."""

from __future__ import annotations

import time

__all__ = ["seconds"]


def seconds(fn, repeats: int = 1, warmup: bool = False) -> float:
    """Wall time of ``fn()`` in seconds: the fastest of ``repeats`` calls.

    fn: a callable without arguments (wrap a call in ``lambda: ...``).
    warmup=True calls ``fn`` once first, untimed (tracing, compiling, caches).

    >>> seconds(lambda: sum(range(1000)), repeats=3, warmup=True) >= 0
    True
    """
    from .checks import positive_int

    positive_int("seconds", "repeats", repeats)
    if not callable(fn):
        raise ValueError(f"seconds: fn must be callable, got {type(fn).__name__}; pass lambda: f(x)")
    if warmup:
        fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
