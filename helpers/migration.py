"""Keras 2 → Keras 3 migration: run an idiom and record what Keras 3 does with it.

The appendix builds its migration table from these records, so that every row shows the real
exception (or the real result) of the Keras version installed, not a remembered one.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

__all__ = ["outcome", "MigrationRow", "migration_table"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def outcome(fn, *args, max_chars: int = 160, match: str | None = None, **kwargs) -> str:
    """Call ``fn(*args, **kwargs)`` and describe what happened in one line.

    Returns ``"ok"`` (plus any warning raised, as ``"ok, with UserWarning: ..."``) or
    ``"ExceptionType: first line of the message"``, ANSI colour codes removed, cut to ``max_chars``.
    match: report instead the first line of the message that contains this text (TensorFlow
    buries the reason, e.g. ``"Incompatible shapes"``, under a traceback of graph nodes).

    >>> outcome(int, "3")
    'ok'
    >>> outcome(int, "x")
    "ValueError: invalid literal for int() with base 10: 'x'"
    """
    if not callable(fn):
        raise ValueError(f"outcome: expected a callable, got {type(fn).__name__}; wrap code in a lambda")
    if max_chars < 20:
        raise ValueError(f"outcome: max_chars={max_chars} is too short to say anything; use 20 or more")

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


@dataclass
class MigrationRow:
    """One idiom: the Keras 2 code, what Keras 3 does with it (measured), and the Keras 3 form (Markdown)."""

    idiom: str
    keras2: str
    keras3_does: str
    keras3_form: str


def migration_table(rows) -> str:
    """Render ``MigrationRow`` records as a Markdown table (code in backticks, pipes escaped)."""
    rows = list(rows)
    if not rows or not all(isinstance(r, MigrationRow) for r in rows):
        raise ValueError("migration_table: expected a non-empty list of MigrationRow records")

    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| idiom | Keras 2 | what Keras 3 does | Keras 3 |", "|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {esc(r.idiom)} | `{esc(r.keras2)}` | {esc(r.keras3_does)} | {esc(r.keras3_form)} |")
    return "\n".join(lines)
