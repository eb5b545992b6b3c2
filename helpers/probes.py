"""Probes: describe what a call raises, and run code in a fresh Python interpreter."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings

__all__ = ["describe_exception", "fresh_interpreter"]


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def describe_exception(fn, *args, max_chars: int = 160, match: str | None = None, **kwargs) -> str:
    """Call ``fn(*args, **kwargs)`` and describe what happened in one line.

    Returns ``"ok"`` (plus any warning raised, as ``"ok, with UserWarning: ..."``) or
    ``"ExceptionType: first line of the message"``, ANSI colour codes removed, cut to ``max_chars``.
    match: report instead the first line of the message that contains this text (TensorFlow
    buries the reason, e.g. ``"Incompatible shapes"``, under a traceback of graph nodes).

    >>> describe_exception(int, "3")
    'ok'
    >>> describe_exception(int, "x")
    "ValueError: invalid literal for int() with base 10: 'x'"
    """
    if not callable(fn):
        raise ValueError(f"describe_exception: expected a callable, got {type(fn).__name__}; wrap code in a lambda")
    if max_chars < 20:
        raise ValueError(f"describe_exception: max_chars={max_chars} is too short to say anything; use 20 or more")

    def one_line(text: str, limit: int = max_chars) -> str:
        lines = [ln.strip() for ln in _ANSI.sub("", str(text)).splitlines() if ln.strip()]
        line = lines[0] if lines else ""
        if "Exception encountered when calling" in line and len(lines) > 1:
            line = f"{line} {lines[1]}"  # Keras wraps the real reason on the next line
        if match is not None:
            line = next((ln for ln in lines if match in ln), line)
        return line if len(line) <= limit else line[: limit - 1] + "…"

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fn(*args, **kwargs)
        except Exception as exc:
            prefix = f"{type(exc).__name__}: "
            return prefix + one_line(str(exc), max_chars - len(prefix))
    relevant = [w for w in caught if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning))]
    if relevant:
        return one_line(f"ok, with {relevant[0].category.__name__}: {relevant[0].message}")
    return "ok"


def fresh_interpreter(code: str, env: dict | None = None, timeout: float = 300) -> list[str]:
    """Run ``code`` in a new Python interpreter (this one's executable) and return its stdout lines.

    env: extra environment variables (str -> str) on top of this process's, e.g.
    ``{"TF_ENABLE_ONEDNN_OPTS": "1"}`` for a setting that must precede importing TensorFlow.
    stderr (TensorFlow's start-up logs) is discarded unless the run fails, in which case a
    RuntimeError carries its last lines.

    >>> fresh_interpreter("print(6 * 7)")
    ['42']
    """
    if not isinstance(code, str) or not code.strip():
        raise ValueError("fresh_interpreter: code must be a non-empty string of Python source")
    if env is not None and not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
        raise ValueError("fresh_interpreter: env must map str to str, e.g. {'TF_ENABLE_ONEDNN_OPTS': '1'}")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                         env={**os.environ, **(env or {})})
    if run.returncode != 0:
        tail = "\n".join(run.stderr.strip().splitlines()[-8:])
        raise RuntimeError(f"fresh_interpreter: the child exited with code {run.returncode}:\n{tail}")
    return run.stdout.splitlines()
