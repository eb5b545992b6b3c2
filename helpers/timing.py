"""Timing: the one wall-clock timer every chapter and helper uses."""

from __future__ import annotations

import statistics
import time

from .checks import positive_int

__all__ = ["seconds"]

_STATISTICS = {"min": min, "median": statistics.median}


def seconds(fn, repeats: int = 1, warmup: int = 0, inputs=None, statistic: str = "min") -> float:
    """Wall time of one call of ``fn`` in seconds: the fastest (or the median) of ``repeats`` calls.

    fn: a callable without arguments (wrap a call in ``lambda: ...``); with ``inputs``, a
    callable of one argument, called once per element, ``fn(x)`` (``repeats`` is then
    ``len(inputs)``). warmup: how many untimed calls come first (tracing, compiling, caches;
    True means one); with ``inputs`` they use its first elements. statistic: ``"min"`` (the
    default, the least disturbed call) or ``"median"`` (typical cost per call, e.g. per step).

    >>> seconds(lambda: sum(range(1000)), repeats=3, warmup=True) >= 0
    True
    >>> seconds(lambda n: sum(range(n)), inputs=[10, 100, 1000], warmup=2, statistic="median") >= 0
    True
    """
    if not callable(fn):
        raise ValueError(f"seconds: fn must be callable, got {type(fn).__name__}; pass lambda: f(x)")
    if statistic not in _STATISTICS:
        raise ValueError(f"seconds: statistic must be one of {sorted(_STATISTICS)}, got {statistic!r}; pass statistic='min'")
    warmup = int(warmup) if isinstance(warmup, bool) else positive_int("seconds", "warmup", warmup, minimum=0)
    times = []
    if inputs is None:
        positive_int("seconds", "repeats", repeats)
        for _ in range(warmup):
            fn()
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    else:
        inputs = list(inputs)
        if not inputs:
            raise ValueError("seconds: inputs is empty; pass at least one input to time fn(x) on")
        for x in inputs[:warmup]:
            fn(x)
        for x in inputs:
            start = time.perf_counter()
            fn(x)
            times.append(time.perf_counter() - start)
    return _STATISTICS[statistic](times)
