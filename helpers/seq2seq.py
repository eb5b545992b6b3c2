"""Sequence-to-sequence utilities: training model, encoder, decoder step, decoding, training modes."""

from __future__ import annotations

__all__: list[str] = []
