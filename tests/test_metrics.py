"""helpers.metrics: per-position accuracy, binomial std, the per-epoch callback, sequence MSE."""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiny_models import batch1_model, sequence_model, softmax_model

from helpers import (
    PerPositionAccuracy, binomial_std, fit_until_accurate, memory_sequences, mse_by_horizon, per_position_accuracy,
    reversal_data, sequence_mse, set_seed,
)


def test_per_position_accuracy_docstring_example():
    np.testing.assert_array_equal(per_position_accuracy(np.eye(3)[[[0, 1]]], np.eye(3)[[[0, 2]]]), [1.0, 0.0])


@given(st.integers(1, 20), st.integers(1, 6), st.integers(2, 5), st.integers(0, 2**16))
@settings(max_examples=30, deadline=None)
def test_per_position_accuracy_matches_a_loop(n, steps, k, seed):
    rng = np.random.default_rng(seed)
    y = np.eye(k)[rng.integers(0, k, (n, steps))]
    p = rng.random((n, steps, k))
    acc = per_position_accuracy(y, p)
    assert acc.shape == (steps,)
    for t in range(steps):
        assert acc[t] == np.mean([y[i, t].argmax() == p[i, t].argmax() for i in range(n)])
    assert acc.mean() == pytest.approx((y.argmax(-1) == p.argmax(-1)).mean()), "the mean over positions is Keras's accuracy"


def test_per_position_accuracy_rejects_bad_input():
    with pytest.raises(ValueError, match=r"\(samples, steps, classes\)"):
        per_position_accuracy(np.zeros((3, 4)), np.zeros((3, 4)))
    with pytest.raises(ValueError, match="differ in shape"):
        per_position_accuracy(np.zeros((3, 4, 2)), np.zeros((3, 5, 2)))
    with pytest.raises(ValueError, match="no samples"):
        per_position_accuracy(np.zeros((0, 4, 2)), np.zeros((0, 4, 2)))


def test_binomial_std():
    assert binomial_std(0.1, 4000) == pytest.approx(np.sqrt(0.09 / 4000))
    assert binomial_std(1.0, 10) == 0.0
    with pytest.raises(ValueError, match="probability"):
        binomial_std(1.5, 10)
    with pytest.raises(ValueError, match="n must be an int >= 1"):
        binomial_std(0.5, 0)


class _Identity(keras.Model):
    """A 'model' that outputs its input: per-position accuracy 1 when evaluated on (x, x)."""

    def call(self, x, training=False):
        return x


def test_callback_records_each_epoch_and_stops_at_target():
    set_seed(0)
    x, y = reversal_data(64, 3, 4, seed=0)
    model = softmax_model(3, 4, units=4)
    cb = PerPositionAccuracy(x, x, target=1.0)
    cb.set_model(_Identity())
    cb.on_train_begin()
    cb.on_epoch_end(0)
    assert cb.epochs_to_target == 1 and cb.model.stop_training
    np.testing.assert_array_equal(cb.history[0], [1, 1, 1])
    run = fit_until_accurate(model, x, y, x, y, target=1.0, max_epochs=2, batch_size=64)
    assert run["epochs"] == 2 and run["epochs_to_target"] is None, "an untrained tiny LSTM does not reach 100 % in 2 epochs"
    assert len(run["history"]) == 2 and run["accuracy"].shape == (3,) and run["seconds"] > 0


def test_callback_target_can_ignore_unlearnable_positions():
    x, _ = reversal_data(32, 3, 4, seed=1)
    y = x.copy()
    y[:, 0] = np.roll(y[:, 0], 1, axis=-1)          # position 0 always wrong for the identity model
    cb = PerPositionAccuracy(x, y, target=0.99, positions=[1, 2])
    cb.set_model(_Identity())
    cb.on_train_begin()
    cb.on_epoch_end(0)
    assert cb.epochs_to_target == 1 and cb.history[0][0] == 0.0


def test_callback_and_fit_reject_bad_arguments():
    x, y = reversal_data(8, 3, 4)
    with pytest.raises(ValueError, match="8 samples but y has 7"):
        PerPositionAccuracy(x, y[:7])
    with pytest.raises(ValueError, match="target is an accuracy"):
        PerPositionAccuracy(x, y, target=1.5)
    with pytest.raises(ValueError, match="positions must be non-empty indices into 3 steps"):
        PerPositionAccuracy(x, y, positions=[3])
    with pytest.raises(ValueError, match="max_epochs"):
        fit_until_accurate(softmax_model(3, 4, units=2), x, y, x, y, max_epochs=0)


def test_sequence_mse_is_over_real_steps_only():
    set_seed(0)
    xs, ys = memory_sequences(3, 4, 9, features=5, seed=0)
    m = sequence_model(4, 5, 3)
    by_hand = np.mean(np.concatenate([(m(x[None]).numpy()[0] - y) ** 2 for x, y in zip(xs, ys)]))
    assert abs(sequence_mse(m, xs, ys) - by_hand) < 1e-6
    with pytest.raises(ValueError, match="return_sequences=True"):
        sequence_mse(batch1_model(4, 5, 3, return_sequences=False), xs, ys)


def test_mse_by_horizon_and_the_callback_reject_bad_shapes_and_sizes():
    with pytest.raises(ValueError, match=r"y_true must be \(batch, ty, channels\), got shape \(2, 3\)"):
        mse_by_horizon(np.zeros((2, 3)), np.zeros((2, 3, 1)))
    with pytest.raises(ValueError, match="differ in shape"):
        mse_by_horizon(np.zeros((2, 3, 1)), np.zeros((2, 4, 1)))
    x, y = reversal_data(8, 3, 4)
    with pytest.raises(ValueError, match="batch_size must be an int >= 1"):
        PerPositionAccuracy(x, y, batch_size=0)
