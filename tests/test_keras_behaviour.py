"""Keras behaviour the book relies on: masks propagate through stacked recurrent layers (the keras<3.16 pin)."""

import keras
import numpy as np

from helpers import set_seed


def test_masking_propagates_through_stacked_lstms():
    """Masked, padded stacked LSTMs give, at the real steps, the outputs of the unpadded run.

    Keras's development branch (3.16.dev) stops RNN layers propagating masks, so the second LSTM
    would read the first one's outputs at padded steps and the outputs would differ. pyproject.toml
    pins keras<3.16 until this passes on a newer Keras.
    """
    set_seed(0)
    inp = keras.Input((None, 4))
    h = keras.layers.Masking(mask_value=0.0)(inp)
    h = keras.layers.LSTM(5, return_sequences=True)(h)
    h = keras.layers.LSTM(5, return_sequences=True)(h)
    model = keras.Model(inp, keras.layers.Dense(2)(h))
    rng = np.random.default_rng(0)
    seqs = [rng.standard_normal((n, 4)).astype("float32") for n in (3, 7, 5)]
    # pad at the START too: a mask that is lost lets padded steps change the state before the real ones
    padded = keras.utils.pad_sequences([np.r_[np.zeros((2, 4), "float32"), s] for s in seqs], maxlen=10, padding="post", dtype="float32")
    mask = np.arange(10) < np.array([len(s) + 2 for s in seqs])[:, None]
    out = model(padded).numpy()
    for i, s in enumerate(seqs):
        real = mask[i] & (np.arange(10) >= 2)
        np.testing.assert_allclose(out[i][real], model(s[None]).numpy()[0], atol=1e-5, rtol=0)
