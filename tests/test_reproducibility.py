"""helpers.repro: seeds, determinism, resetting stateful layers, weight hashes."""

import random

import keras
import numpy as np
import pytest

from helpers import reset_states, set_seed, stateful_layers, weights_hash


def _stateful_lstm(units=3, batch=2, features=4):
    inp = keras.Input(batch_shape=(batch, None, features))
    return keras.Model(inp, keras.layers.LSTM(units, stateful=True)(inp))


def test_set_seed_makes_python_numpy_and_keras_repeat():
    def draw():
        return random.random(), np.random.rand(), float(keras.random.uniform((1,))[0])

    set_seed(123)
    first = draw()
    set_seed(123)
    assert draw() == first


def test_set_seed_gives_identical_initial_weights():
    set_seed(5)
    a = weights_hash(_stateful_lstm())
    set_seed(5)
    assert weights_hash(_stateful_lstm()) == a
    set_seed(6)
    assert weights_hash(_stateful_lstm()) != a


def test_set_seed_switches_op_determinism():
    from tensorflow.python.framework import config as tf_config

    set_seed(0, deterministic=True)
    assert tf_config.is_op_determinism_enabled()
    set_seed(0, deterministic=False)
    assert not tf_config.is_op_determinism_enabled()
    set_seed(0)


@pytest.mark.parametrize("bad", [1.5, "1", None, True, -1, 2**32])
def test_set_seed_rejects_bad_seeds(bad):
    with pytest.raises(ValueError, match="set_seed: seed"):
        set_seed(bad)


def test_reset_states_zeroes_the_carried_state():
    set_seed(0)
    model = _stateful_lstm()
    x = np.ones((2, 5, 4), "float32")
    first = model(x).numpy()
    assert not np.allclose(model(x).numpy(), first), "a stateful layer continues from its carried state"
    assert reset_states(model) == 1
    np.testing.assert_array_equal(model(x).numpy(), first)


def test_reset_states_reaches_nested_bidirectional_and_timedistributed_layers():
    inp = keras.Input(batch_shape=(1, 3, 5, 2))
    td = keras.layers.TimeDistributed(keras.layers.GRU(2, stateful=True))(inp)
    inner_in = keras.Input(batch_shape=(1, 3, 2))
    inner = keras.Model(inner_in, keras.layers.Bidirectional(keras.layers.LSTM(2, stateful=True))(inner_in))
    model = keras.Model(inp, inner(td))
    assert len(stateful_layers(model)) == 3
    assert reset_states(model) == 3


def test_reset_states_ignores_stateless_layers_but_counts_stateful_ones():
    inp = keras.Input(batch_shape=(1, 3, 2))
    h = keras.layers.LSTM(2, return_sequences=True)(inp)
    out = keras.layers.SimpleRNN(2, stateful=True)(h)
    assert reset_states(keras.Model(inp, out)) == 1


def test_reset_states_on_a_model_without_state_is_an_error():
    inp = keras.Input((3, 2))
    model = keras.Model(inp, keras.layers.LSTM(2)(inp))
    with pytest.raises(ValueError, match="no stateful recurrent layer"):
        reset_states(model)


def test_reset_states_rejects_non_models():
    with pytest.raises(ValueError, match="expected a Keras model"):
        reset_states("model")


def test_weights_hash_sees_a_one_ulp_change():
    set_seed(0)
    model = _stateful_lstm()
    before = weights_hash(model)
    w = model.get_weights()
    w[0] = np.nextafter(w[0], np.inf, dtype=w[0].dtype)
    model.set_weights(w)
    assert weights_hash(model) != before


def test_release_memory_returns_freed_pages_without_touching_live_models():
    import helpers

    set_seed(0)
    model = _stateful_lstm()
    before = weights_hash(model)
    assert helpers.release_memory() >= 0
    assert weights_hash(model) == before
