"""helpers.state: reading and resetting carried states (also inside fit), and stateful <-> stateless copies."""

import keras
import numpy as np
import pytest

from tiny_models import batch1_model, sequence_model, stateful_model

from helpers import (
    ResetStatesCallback, reset_states, set_seed, state_values, stateful_copy, stateless_copy, weights_hash,
)

B, STEPS = 2, 3


def _data(n_batches=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n_batches * B, STEPS, 1)).astype("float32")
    return x, x.sum(axis=1)


def _model(seed=0):
    set_seed(seed)
    m = stateful_model(B, STEPS, units=2, return_sequences=False)
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return m


def test_state_values_shape_and_zero_after_reset():
    m = _model()
    x, _ = _data()
    assert state_values(m).shape == (B, 4)  # h and c of LSTM(2)
    m.predict(x, batch_size=B, verbose=0)
    assert np.abs(state_values(m)).sum() > 0, "predict advances the carried state"
    reset_states(m)
    np.testing.assert_array_equal(state_values(m), 0)


def test_fit_without_callback_never_resets_but_with_it_every_epoch_starts_from_zero():
    x, y = _data()
    for callbacks, expect_zero in (([], False), ([ResetStatesCallback()], True)):
        m = _model()
        seen = []
        rec = keras.callbacks.LambdaCallback(on_epoch_begin=lambda e, logs: seen.append(state_values(m)))
        m.fit(x, y, batch_size=B, epochs=3, shuffle=False, verbose=0, callbacks=callbacks + [rec])
        assert all((np.abs(s).sum() == 0) == (expect_zero or e == 0) for e, s in enumerate(seen))


def test_callback_equals_the_manual_loop_with_reset_bitwise():
    x, y = _data()
    a = _model()
    losses_a = []
    for _ in range(3):
        losses_a += a.fit(x, y, batch_size=B, epochs=1, shuffle=False, verbose=0).history["loss"]
        reset_states(a)
    b = _model()
    cb = ResetStatesCallback()
    losses_b = b.fit(x, y, batch_size=B, epochs=3, shuffle=False, verbose=0, callbacks=[cb]).history["loss"]
    assert losses_a == losses_b
    assert weights_hash(a) == weights_hash(b)
    assert cb.resets == 3


def test_before_validation_makes_val_loss_start_from_zero_states():
    x, y = _data()
    xv, yv = _data(seed=1)
    m = _model()
    hist = m.fit(x, y, batch_size=B, epochs=2, shuffle=False, verbose=0, validation_data=(xv, yv),
                 callbacks=[ResetStatesCallback(before_validation=True)]).history
    reset_states(m)
    fresh = m.evaluate(xv, yv, batch_size=B, verbose=0)
    np.testing.assert_allclose(hist["val_loss"][-1], fresh, rtol=1e-6)


def test_callback_rejects_a_model_without_state_and_a_useless_configuration():
    with pytest.raises(ValueError, match="never reset"):
        ResetStatesCallback(at_epoch_begin=False, before_validation=False)
    inp = keras.Input((STEPS, 1))
    m = keras.Model(inp, keras.layers.Dense(1)(keras.layers.LSTM(2)(inp)))
    m.compile(optimizer="sgd", loss="mse")
    x, y = _data()
    with pytest.raises(ValueError, match="no stateful recurrent layer"):
        m.fit(x, y, batch_size=B, epochs=1, verbose=0, callbacks=[ResetStatesCallback()])
    with pytest.raises(ValueError, match="no stateful recurrent layer"):
        state_values(m)


def test_stateful_copy_fed_step_by_step_equals_the_full_sequence():
    set_seed(0)
    model = sequence_model(6, 5, 2)
    online = stateful_copy(model)
    assert online.input_shape == (1, None, 5) and weights_hash(online) == weights_hash(model)
    x = np.random.default_rng(0).standard_normal((1, 7, 5)).astype("float32")
    steps = np.concatenate([online(x[:, t : t + 1]).numpy() for t in range(7)], axis=1)
    np.testing.assert_allclose(steps, model(x).numpy(), atol=1e-5, rtol=0)
    reset_states(online)
    np.testing.assert_allclose(online(x[:, :1]).numpy(), model(x[:, :1]).numpy(), atol=1e-6)


def test_stateless_copy_reads_model_b_at_every_step():
    set_seed(0)
    b = batch1_model(6, 5, 2, return_sequences=False)
    every = stateless_copy(b, return_sequences=True)
    x = np.random.default_rng(0).standard_normal((1, 4, 5)).astype("float32")
    reset_states(b)
    steps = np.stack([b(x[:, t : t + 1]).numpy()[0] for t in range(4)])
    np.testing.assert_allclose(every(x).numpy()[0], steps, atol=1e-5, rtol=0)


def test_copies_reject_what_they_cannot_copy():
    with pytest.raises(ValueError, match="functional keras.Model"):
        stateful_copy(keras.Sequential([keras.Input((None, 2)), keras.layers.LSTM(2)]))
    inp = keras.Input((None, 2))
    with pytest.raises(ValueError, match="no LSTM, GRU or SimpleRNN"):
        stateful_copy(keras.Model(inp, keras.layers.Dense(2)(inp)))
    with pytest.raises(ValueError, match="Bidirectional"):
        stateful_copy(keras.Model(inp, keras.layers.Bidirectional(keras.layers.LSTM(2))(inp)))
    with pytest.raises(ValueError, match="batch_size must be an int >= 1"):
        stateful_copy(sequence_model(2, 2, 1), batch_size=0)
