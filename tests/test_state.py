"""helpers.repro, chapter 5: resetting states inside fit, and reading the carried states."""

import keras
import numpy as np
import pytest

from tiny_models import stateful_model

from helpers import ResetStatesCallback, reset_states, set_seed, state_values, weights_hash

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


def test_fresh_interpreter_returns_stdout_lines_and_passes_env():
    from helpers import fresh_interpreter

    assert fresh_interpreter("print(6 * 7)") == ["42"]
    assert fresh_interpreter("import os; print(os.environ['CH5_PROBE'])", env={"CH5_PROBE": "x"}) == ["x"]


def test_fresh_interpreter_reports_failures_and_bad_arguments():
    from helpers import fresh_interpreter

    with pytest.raises(RuntimeError, match="exited with code 3"):
        fresh_interpreter("import sys; sys.exit(3)")
    with pytest.raises(ValueError, match="non-empty string"):
        fresh_interpreter("  ")
    with pytest.raises(ValueError, match="env must map str to str"):
        fresh_interpreter("print(1)", env={"A": 1})
