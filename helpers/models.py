"""Model builders used by the chapters (Keras 3). Each chapter's builders live in their own section."""

from __future__ import annotations

import keras

__all__: list[str] = []

# === Chapter 1: many-to-many LSTMs (models A and B, the fix, the stateful serving copy) =====
# (end of chapter 1 section)

# === Chapter 2: reversing sequences (causal LSTM, Bidirectional, encoder-decoder, delayed) ==
# (end of chapter 2 section)

# === Chapters 4 and 5: stateful models ======================================================
import keras  # noqa: E402  (chapters 4 and 5)


def stateful_lstm(batch_size: int, steps: int, features: int = 1, units: int = 16, outputs: int = 1,
                  depth: int = 1, return_sequences: bool = True, stateful: bool = True):
    """``depth`` stacked LSTM(units) layers and a linear Dense(outputs) head (uncompiled).

    Input (batch_size, steps, features). Output (batch_size, steps, outputs) if
    ``return_sequences`` else (batch_size, outputs). With ``stateful=True`` the batch size is fixed
    in ``keras.Input(batch_shape=...)`` (Keras 3 needs it; Keras 2 spelled it ``batch_input_shape``)
    and every LSTM carries its state from one batch to the next; with ``stateful=False`` the same
    architecture is built with a free batch size.

    >>> stateful_lstm(4, 10, depth=2, return_sequences=False).output_shape
    (4, 1)
    """
    for name, value in (("batch_size", batch_size), ("steps", steps), ("features", features),
                        ("units", units), ("outputs", outputs), ("depth", depth)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"stateful_lstm: {name} must be a positive int, got {value!r}")
    if stateful:
        inp = keras.Input(batch_shape=(batch_size, steps, features))
    else:
        inp = keras.Input(shape=(steps, features))
    h = inp
    for i in range(depth):
        last = i == depth - 1
        h = keras.layers.LSTM(units, stateful=stateful, return_sequences=return_sequences or not last)(h)
    return keras.Model(inp, keras.layers.Dense(outputs)(h))


__all__ += ["stateful_lstm"]
# (end of chapters 4 and 5 section)
