"""Chapter 1's model builders, copies and training loops."""

import keras
import numpy as np
import pytest

from tiny_models import batch1_model, sequence_model

from helpers import (
    fit_one_sequence_at_a_time, fit_one_step_at_a_time, memory_sequences,
    reset_states, sequence_mse, set_seed, stateful_copy, stateless_copy, weights_hash,
)


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


def test_training_loops_report_one_loss_per_update():
    set_seed(0)
    xs, ys = memory_sequences(3, 4, 6, features=5, seed=0)
    steps = sum(len(x) for x in xs)
    a = fit_one_sequence_at_a_time(batch1_model(features=5, outputs=3), xs, ys, epochs=2)
    assert a["loss"].shape == (6,) and a["epoch_seconds"].shape == (2,)
    b = fit_one_step_at_a_time(batch1_model(4, 5, 3, return_sequences=False), xs, ys, epochs=1)
    assert b["loss"].shape == (steps,)
    with pytest.raises(ValueError, match="output is \\(1, outputs\\)"):
        fit_one_step_at_a_time(batch1_model(features=5, outputs=3), xs, ys)
    with pytest.raises(ValueError, match="equally many"):
        fit_one_sequence_at_a_time(batch1_model(features=5, outputs=3), xs, ys[:2])


def test_fit_and_train_on_batch_make_the_same_update():
    xs, ys = memory_sequences(2, 4, 6, features=5, seed=0)
    hashes = []
    for use_fit in (True, False):
        set_seed(0)
        m = batch1_model(features=5, outputs=3)
        fit_one_sequence_at_a_time(m, xs, ys, epochs=1, use_fit=use_fit)
        hashes.append(weights_hash(m))
    assert hashes[0] == hashes[1]


def test_sequence_mse_is_over_real_steps_only():
    set_seed(0)
    xs, ys = memory_sequences(3, 4, 9, features=5, seed=0)
    m = sequence_model(4, 5, 3)
    by_hand = np.mean(np.concatenate([(m(x[None]).numpy()[0] - y) ** 2 for x, y in zip(xs, ys)]))
    assert abs(sequence_mse(m, xs, ys) - by_hand) < 1e-6
    with pytest.raises(ValueError, match="return_sequences=True"):
        sequence_mse(batch1_model(4, 5, 3, return_sequences=False), xs, ys)
