"""helpers.models, chapter 2: the causal LSTM and the three fixes (what each output can see)."""

import keras
import numpy as np
import pytest

from helpers import (bidirectional_lstm, causal_lstm, delayed_lstm, encoder_decoder_lstm, reset_states,
                     reversal_data, set_seed)

L, K = 4, 3


def _changed_positions(model, t_changed):
    """Which output positions change when only input step t_changed changes."""
    set_seed(0)
    x, _ = reversal_data(8, L, K, seed=0, sliding=False)
    x2 = x.copy()
    x2[:, t_changed] = np.roll(x2[:, t_changed], 1, axis=-1)
    diff = np.abs(model.predict(x, verbose=0) - model.predict(x2, verbose=0)).max(axis=(0, 2))
    return diff > 1e-6


@pytest.mark.parametrize("build", [causal_lstm, bidirectional_lstm, encoder_decoder_lstm, delayed_lstm])
def test_every_builder_maps_one_hot_windows_to_per_step_probabilities(build):
    set_seed(0)
    model = build(L, K, units=3)
    x, y = reversal_data(6, L, K)
    p = model.predict(x, verbose=0)
    assert p.shape == (6, L, K)
    np.testing.assert_allclose(p.sum(-1), 1, rtol=1e-5)
    model.fit(x, y, epochs=1, verbose=0)          # compiled and trainable


def test_causal_lstm_output_t_sees_only_inputs_up_to_t():
    for t in range(L):
        changed = _changed_positions(causal_lstm(L, K, units=3), t)
        np.testing.assert_array_equal(changed, np.arange(L) >= t), f"input {t} reaches outputs t..L-1 only"


@pytest.mark.parametrize("build", [bidirectional_lstm, encoder_decoder_lstm, delayed_lstm])
def test_each_fix_lets_every_output_see_every_input(build):
    for t in (0, L - 1):
        assert _changed_positions(build(L, K, units=3), t).all(), f"{build.__name__}: input {t} reaches every output"


def test_delayed_lstm_is_the_causal_lstm_with_the_same_parameters():
    a, b = causal_lstm(5, 10, units=64), delayed_lstm(5, 10, units=64)
    assert a.count_params() == b.count_params() == 19850
    assert [w.shape for w in a.get_weights()] == [w.shape for w in b.get_weights()]


def test_unroll_does_not_change_the_computation():
    set_seed(0)
    a = delayed_lstm(L, K, units=3, unroll=True)
    b = delayed_lstm(L, K, units=3, unroll=False)
    b.set_weights(a.get_weights())
    x, _ = reversal_data(5, L, K)
    np.testing.assert_allclose(a.predict(x, verbose=0), b.predict(x, verbose=0), atol=1e-6)


def test_stateful_causal_lstm_carries_state_between_batches():
    set_seed(0)
    model = causal_lstm(L, K, units=3, stateful=True, batch_size=2)
    x, _ = reversal_data(2, L, K)
    first = model.predict(x, batch_size=2, verbose=0)
    assert not np.allclose(model.predict(x, batch_size=2, verbose=0), first)
    assert reset_states(model) == 1
    np.testing.assert_allclose(model.predict(x, batch_size=2, verbose=0), first, atol=1e-6)


def test_bidirectional_output_concatenates_both_directions():
    assert bidirectional_lstm(L, K, units=7).get_layer("bilstm").output.shape[-1] == 14


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: causal_lstm(5, 10, stateful=True), "stateful=True needs a fixed batch_size"),
        (lambda: causal_lstm(0, 10), "length must be an int >= 1"),
        (lambda: bidirectional_lstm(5, 1), "n_symbols must be an int >= 2"),
        (lambda: encoder_decoder_lstm(5, 10, units=0), "units must be an int >= 1"),
        (lambda: delayed_lstm(5, 10, learning_rate=0), "learning_rate must be a positive number"),
    ],
)
def test_builders_reject_bad_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_keras_rejects_the_askers_batch_input_shape():
    with pytest.raises(ValueError, match="batch_input_shape"):
        keras.layers.LSTM(4, batch_input_shape=(2, L, K))
