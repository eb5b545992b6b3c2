"""Online (one step at a time) inference for recurrent models, without a Keras call per step."""

from __future__ import annotations

__all__: list[str] = []
