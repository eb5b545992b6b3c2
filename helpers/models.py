"""Model builders used by the chapters (Keras 3). Each chapter's builders live in their own section."""

from __future__ import annotations

import keras

__all__: list[str] = []

# === Chapter 1: many-to-many LSTMs (models A and B, the fix, the stateful serving copy) =====
# (end of chapter 1 section)

# === Chapter 2: reversing sequences (causal LSTM, Bidirectional, encoder-decoder, delayed) ==
# (end of chapter 2 section)

# === Chapters 4 and 5: stateful models ======================================================
# (end of chapters 4 and 5 section)
