"""helpers.memory_sequences."""

import numpy as np
import pytest

from helpers import memory_sequences


def test_shapes_lengths_and_dtype():
    xs, ys = memory_sequences(30, 10, 40, seed=3)
    assert len(xs) == len(ys) == 30
    assert all(x.shape[1] == 128 and y.shape[1] == 3 and len(x) == len(y) for x, y in zip(xs, ys))
    lengths = [len(x) for x in xs]
    assert min(lengths) >= 10 and max(lengths) <= 40 and len(set(lengths)) > 5, "lengths vary"
    assert all(x.dtype == np.float32 and y.dtype == np.float32 for x, y in zip(xs, ys))


def test_same_seed_same_data_and_train_test_share_the_hidden_mapping():
    a, b = memory_sequences(5, seed=1), memory_sequences(5, seed=1)
    assert all(np.array_equal(x, y) for x, y in zip(a[0], b[0]))
    # the targets are a fixed linear filter of the inputs, whatever the seed: fit it on one seed, apply to another
    def lagged(xs, ys):
        return np.concatenate([x[:-1] for x in xs]), np.concatenate([y[1:] for y in ys])

    xs, ys = memory_sequences(40, 10, 40, decays=(0.0,), noise=0.0, seed=1)
    w, *_ = np.linalg.lstsq(*lagged(xs, ys), rcond=None)
    xt, yt = lagged(*memory_sequences(10, 10, 40, decays=(0.0,), noise=0.0, seed=2))
    np.testing.assert_allclose(xt @ w, yt, atol=1e-4)


def test_targets_follow_the_recursion_on_past_inputs_only():
    xs, ys = memory_sequences(3, 20, 20, features=8, decays=(0.0, 0.5, 0.9), noise=0.0, seed=0)
    y = ys[0].astype(float)
    assert np.all(y[0] == 0), "no past at the first step"
    # target 0 (decay 0) is a one-step delay: y_t depends on x_{t-1}, not on x_t
    x = xs[0].astype(float)
    w, *_ = np.linalg.lstsq(x[:-1], y[1:, 0], rcond=None)
    np.testing.assert_allclose(x[:-1] @ w, y[1:, 0], atol=1e-4)
    now, *_ = np.linalg.lstsq(x, y[:, 0], rcond=None)
    assert np.mean((x @ now - y[:, 0]) ** 2) > 0.3, "the current input does not explain the target"


def test_a_model_without_memory_cannot_beat_predicting_zero():
    # the best per-step linear map, fitted on the test data itself, still leaves about the target's variance
    xs, ys = memory_sequences(200, 10, 40, seed=0)
    x, y = np.concatenate(xs), np.concatenate(ys)
    w, *_ = np.linalg.lstsq(np.c_[x, np.ones(len(x))], y, rcond=None)
    mse = np.mean((np.c_[x, np.ones(len(x))] @ w - y) ** 2)
    assert mse > 0.85 * np.mean(y**2)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n=0), "n must be an int >= 1"),
        (dict(n=2.5), "n must be an int >= 1"),
        (dict(n=2, min_steps=1), "2 <= min_steps <= max_steps"),
        (dict(n=2, min_steps=10, max_steps=5), "2 <= min_steps <= max_steps"),
        (dict(n=2, decays=(1.0,)), r"decays must be .* in \[0, 1\)"),
        (dict(n=2, decays=()), "decays must be a non-empty"),
        (dict(n=2, features=2), "features .* must be >= the number of outputs"),
        (dict(n=2, noise=-1), "noise must be a number >= 0"),
    ],
)
def test_bad_arguments_are_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        memory_sequences(**kwargs)

