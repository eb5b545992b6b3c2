"""Datasets the chapters generate in code (nothing is downloaded), and the stateful batch layout.

Each chapter's generators live in their own section below.
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []

# === Chapter 1: variable-length sequences whose targets need memory ========================
# (end of chapter 1 section)

# === Chapter 2: reversing sequences ========================================================
# (end of chapter 2 section)

# === Chapter 3: autoregressive series with a known optimal forecast ========================
# (end of chapter 3 section)

# === Chapters 4 and 5: the stateful batch layout, and series that need carried state ========
# (end of chapters 4 and 5 section)
