"""Metrics the chapters measure with (per-position accuracy, masked losses)."""

from __future__ import annotations

import numpy as np

__all__: list[str] = []
