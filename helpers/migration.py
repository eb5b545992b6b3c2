"""Keras 2 → Keras 3 migration: run an idiom and record what Keras 3 does with it.

The appendix builds its migration table from these records, so that every row shows the real
exception (or the real result) of the Keras version installed, not a remembered one.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MigrationRow", "migration_table"]

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
