"""Tiny Keras models the unit tests run the helpers on (the book's own models are in its chapters)."""

import keras


def sequence_model(units=4, features=5, outputs=2, masking=True, time_distributed=False):
    """Stateless (Masking +) LSTM(return_sequences=True) + Dense: (batch, steps, features) -> (batch, steps, outputs)."""
    inp = keras.Input((None, features))
    h = keras.layers.Masking()(inp) if masking else inp
    h = keras.layers.LSTM(units, return_sequences=True)(h)
    dense = keras.layers.Dense(outputs)
    out = (keras.layers.TimeDistributed(dense) if time_distributed else dense)(h)
    model = keras.Model(inp, out)
    model.compile(optimizer="adam", loss="mse")
    return model


def batch1_model(units=4, features=5, outputs=3, return_sequences=True):
    """Batch-1 stateful LSTM (+ Dense when return_sequences=False), compiled with MSE: the askers' layout."""
    inp = keras.Input(batch_shape=(1, None, features))
    h = keras.layers.LSTM(units if not return_sequences else outputs, stateful=True,
                          return_sequences=return_sequences)(inp)
    out = h if return_sequences else keras.layers.Dense(outputs)(h)
    model = keras.Model(inp, out)
    model.compile(optimizer="adam", loss="mse")
    return model


def stateful_model(batch_size, steps, units=2, return_sequences=True, features=1):
    """Stateful LSTM + Dense(1) with a fixed batch (uncompiled)."""
    inp = keras.Input(batch_shape=(batch_size, steps, features))
    h = keras.layers.LSTM(units, stateful=True, return_sequences=return_sequences)(inp)
    return keras.Model(inp, keras.layers.Dense(1)(h))


def softmax_model(length, n_symbols, units=4):
    """LSTM(return_sequences=True) + softmax per step, compiled with cross-entropy and accuracy."""
    inp = keras.Input((length, n_symbols))
    h = keras.layers.LSTM(units, return_sequences=True)(inp)
    model = keras.Model(inp, keras.layers.Dense(n_symbols, activation="softmax")(h))
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="categorical_crossentropy", metrics=["accuracy"])
    return model
