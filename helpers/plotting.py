"""Figures shared by the chapters (matplotlib). Each chapter's plots live in their own section."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

__all__: list[str] = []

# === Chapter 1 ==============================================================================
# (end of chapter 1 section)

# === Chapter 2 ==============================================================================
# (end of chapter 2 section)

# === Chapter 3 ==============================================================================
# (end of chapter 3 section)

# === Chapters 4 and 5 =======================================================================
# (end of chapters 4 and 5 section)
