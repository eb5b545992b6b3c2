"""helpers.datasets: memory sequences, one-hot and sliding windows, reversal pairs and the causal ceiling, AR(1) windows."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import (
    ar1_forecast_mse, ar1_windows, causal_accuracy_ceiling, latch_series, memory_mixing, memory_sequences, mse_by_horizon,
    noisy_sine, one_hot, reversal_data, reversal_pairs, sliding_windows,
)


# memory_sequences

def test_memory_mixing_is_the_matrix_memory_sequences_uses():
    xs, _ = memory_sequences(1, 5, 5, features=6, decays=(0.0, 0.5), noise=0.0, seed=4)
    z = np.random.default_rng(4)
    z.integers(5, 6, size=1)
    signals = z.standard_normal((5, 2))
    np.testing.assert_allclose(xs[0], (signals @ memory_mixing(2, 6)).astype("float32"), rtol=1e-6)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"n_outputs": 0}, "n_outputs"), ({"features": 2, "n_outputs": 3}, r"features \(2\) must be >= n_outputs"),
])
def test_memory_mixing_rejects_bad_sizes(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        memory_mixing(**kwargs)

def test_memory_sequences_shapes_lengths_and_dtype():
    xs, ys = memory_sequences(30, 10, 40, seed=3)
    assert len(xs) == len(ys) == 30
    assert all(x.shape[1] == 128 and y.shape[1] == 3 and len(x) == len(y) for x, y in zip(xs, ys))
    lengths = [len(x) for x in xs]
    assert min(lengths) >= 10 and max(lengths) <= 40 and len(set(lengths)) > 5, "lengths vary"
    assert all(x.dtype == np.float32 and y.dtype == np.float32 for x, y in zip(xs, ys))


def test_memory_sequences_same_seed_same_data_and_train_test_share_the_hidden_mapping():
    a, b = memory_sequences(5, seed=1), memory_sequences(5, seed=1)
    assert all(np.array_equal(x, y) for x, y in zip(a[0], b[0]))
    # the targets are a fixed linear filter of the inputs, whatever the seed: fit it on one seed, apply to another
    def lagged(xs, ys):
        return np.concatenate([x[:-1] for x in xs]), np.concatenate([y[1:] for y in ys])

    xs, ys = memory_sequences(40, 10, 40, decays=(0.0,), noise=0.0, seed=1)
    w, *_ = np.linalg.lstsq(*lagged(xs, ys), rcond=None)
    xt, yt = lagged(*memory_sequences(10, 10, 40, decays=(0.0,), noise=0.0, seed=2))
    np.testing.assert_allclose(xt @ w, yt, atol=1e-4)


def test_memory_sequences_targets_follow_the_recursion_on_past_inputs_only():
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
def test_memory_sequences_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        memory_sequences(**kwargs)


# one-hot, sliding windows, reversal pairs, the causal ceiling

def test_one_hot_puts_a_single_one_at_each_symbol():
    x = one_hot(np.array([[3, 0], [1, 1]]), 4)
    assert x.shape == (2, 2, 4) and x.dtype == np.float32
    np.testing.assert_array_equal(x.sum(-1), 1)
    np.testing.assert_array_equal(x.argmax(-1), [[3, 0], [1, 1]])


@pytest.mark.parametrize("symbols, k", [([10], 10), ([-1], 10)])
def test_one_hot_rejects_symbols_outside_the_alphabet(symbols, k):
    with pytest.raises(ValueError, match=r"one_hot: symbols must lie in \[0, 10\)"):
        one_hot(symbols, k)


def test_one_hot_rejects_floats_and_bad_widths():
    with pytest.raises(ValueError, match="must be integers"):
        one_hot([0.5], 3)
    with pytest.raises(ValueError, match="n_symbols must be an int"):
        one_hot([0], 0)


@given(st.lists(st.integers(0, 9), min_size=1, max_size=40), st.integers(1, 8))
@settings(max_examples=40, deadline=None)
def test_sliding_windows_are_every_contiguous_slice(series, length):
    if len(series) < length:
        with pytest.raises(ValueError, match="holds no window"):
            sliding_windows(series, length)
        return
    w = sliding_windows(series, length)
    assert w.shape == (len(series) - length + 1, length)
    for i, row in enumerate(w):
        assert list(row) == series[i : i + length]


def test_sliding_windows_of_the_asker_series():
    assert sliding_windows(np.zeros(500, int), 5).shape == (496, 5), "R = 500, L = 5 gives 496 windows"
    with pytest.raises(ValueError, match=r"series must be \(R,\), got shape \(2, 5\); flatten it"):
        sliding_windows(np.zeros((2, 5), int), 3)


@given(st.integers(1, 30), st.integers(1, 9), st.integers(2, 12), st.booleans(), st.integers(0, 2**16))
@settings(max_examples=30, deadline=None)
def test_reversal_targets_are_the_inputs_reversed(n, length, k, sliding, seed):
    x, y = reversal_data(n, length, k, seed=seed, sliding=sliding)
    assert x.shape == y.shape == (n, length, k)
    for t in range(length):
        np.testing.assert_array_equal(y[:, t], x[:, length - 1 - t])
    if sliding:
        np.testing.assert_array_equal(x[1:, :-1], x[:-1, 1:]), "neighbouring sliding windows overlap"


def test_reversal_data_is_reproducible_and_uses_every_symbol():
    a, _ = reversal_data(2000, 5, 10, seed=3, sliding=False)
    b, _ = reversal_data(2000, 5, 10, seed=3, sliding=False)
    np.testing.assert_array_equal(a, b)
    counts = a.sum(axis=(0, 1))
    assert counts.min() > 0.8 * counts.mean(), "symbols are drawn uniformly"


def test_reversal_pairs_and_data_reject_bad_shapes():
    with pytest.raises(ValueError, match=r"\(samples, L\)"):
        reversal_pairs([0, 1, 2], 3)
    with pytest.raises(ValueError, match="n_symbols must be an int >= 2"):
        reversal_data(10, 5, 1)
    with pytest.raises(ValueError, match="length must be an int"):
        reversal_data(10, 0, 10)


@given(st.integers(1, 40), st.integers(2, 100))
@settings(max_examples=50, deadline=None)
def test_causal_profile_has_floor_half_chance_positions_first(length, k):
    p = causal_accuracy_ceiling(length, k)
    n_chance = length // 2
    np.testing.assert_allclose(p[:n_chance], 1 / k)
    np.testing.assert_array_equal(p[n_chance:], 1.0)


def test_profile_matches_the_rule_for_the_asker_and_with_lookahead():
    np.testing.assert_allclose(causal_accuracy_ceiling(5, 10), [0.1, 0.1, 1, 1, 1])
    np.testing.assert_allclose(causal_accuracy_ceiling(7, 10, lookahead=1), [0.1, 0.1, 0.1, 1, 1, 1, 1])
    assert (causal_accuracy_ceiling(9, 10, lookahead=8) == 1).all(), "lookahead L-1 makes every position learnable"
    assert causal_accuracy_ceiling(9, 10, lookahead=7)[0] == 0.1, "lookahead L-2 leaves position 0 at chance"
    with pytest.raises(ValueError, match="lookahead must be an int >= 0"):
        causal_accuracy_ceiling(5, 10, lookahead=-1)


# AR(1) windows

TX, TY = 6, 4


def test_ar1_windows_are_teacher_forcing_ready():
    w = ar1_windows(5, TX, TY, seed=0, start=-1.0)
    assert w.encoder_input.shape == (5, TX, 1) and w.target.shape == (5, TY, 1)
    assert w.encoder_input.dtype == np.float32
    np.testing.assert_array_equal(w.decoder_input[:, 0], -1.0)
    np.testing.assert_array_equal(w.decoder_input[:, 1:], w.target[:, :-1])


def test_ar1_windows_repeat_with_the_seed_and_differ_without():
    a, b, c = ar1_windows(4, 3, 2, seed=1), ar1_windows(4, 3, 2, seed=1), ar1_windows(4, 3, 2, seed=2)
    np.testing.assert_array_equal(a.target, b.target)
    assert not np.array_equal(a.target, c.target)


def test_ar1_windows_are_stationary():
    w = ar1_windows(20000, 2, 3, phi=0.8, sigma=0.5, seed=0)
    var = 0.25 / (1 - 0.64)
    for x in (w.encoder_input[:, 0, 0], w.target[:, -1, 0]):
        assert abs(x.var() / var - 1) < 0.05


def test_analytic_optimum_matches_monte_carlo():
    """The error of phi**k * x[t] on simulated data is the closed form, to Monte-Carlo accuracy."""
    phi, sigma, ty = 0.9, 0.2, 10
    w = ar1_windows(40000, 1, ty, phi=phi, sigma=sigma, seed=7)
    last = w.encoder_input[:, -1:, :]
    k = np.arange(1, ty + 1)
    forecast = last * phi ** k[None, :, None]
    empirical = mse_by_horizon(w.target, forecast)
    analytic = ar1_forecast_mse(k, phi, sigma)
    # relative standard error of a mean of n squared Gaussians is sqrt(2/n) = 0.7 %; allow 3 %
    np.testing.assert_allclose(empirical, analytic, rtol=0.03)


@given(phi=st.floats(-0.95, 0.95), sigma=st.floats(0.01, 3.0))
@settings(max_examples=30, deadline=None)
def test_forecast_mse_rises_from_sigma2_to_the_series_variance(phi, sigma):
    err = ar1_forecast_mse(np.arange(1, 200), phi, sigma)
    assert np.isclose(err[0], sigma**2)
    assert np.all(np.diff(err) >= -1e-12)
    assert err[-1] <= sigma**2 / (1 - phi**2) * (1 + 1e-9)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n=0, tx=3, ty=2), "n must be an int >= 1"),
        (dict(n=3, tx=2.5, ty=2), "tx must be an int >= 1"),
        (dict(n=3, tx=3, ty=2, phi=1.0), "stationary"),
        (dict(n=3, tx=3, ty=2, sigma=0.0), "sigma"),
    ],
)
def test_ar1_windows_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ar1_windows(**kwargs)


def test_forecast_mse_rejects_bad_horizons():
    with pytest.raises(ValueError, match="integer horizons >= 1"):
        ar1_forecast_mse(0)
    with pytest.raises(ValueError, match="integer horizons"):
        ar1_forecast_mse(1.5)
    with pytest.raises(ValueError, match="phi"):
        ar1_forecast_mse(1, phi=-1.0)


# series that need carried state (chapters 4 and 5)

def test_latch_target_is_the_sign_of_the_last_pulse():
    x, y = latch_series(2000, pulse_rate=0.05, seed=3)
    assert set(np.unique(x)) <= {-1.0, 0.0, 1.0} and (x != 0).any()
    last = 0.0
    for xt, yt in zip(x, y):
        last = xt if xt != 0 else last
        assert yt == last


def test_latch_and_sine_reject_bad_sizes():
    with pytest.raises(ValueError, match="length must be an int >= 1"):
        latch_series(0)
    with pytest.raises(ValueError, match="pulse_rate"):
        latch_series(10, pulse_rate=0)
    with pytest.raises(ValueError, match="n must be an int >= 1"):
        noisy_sine(-3)


def test_noisy_sine_is_a_sine_plus_seeded_noise():
    x, y = noisy_sine(1000, seed=1)
    np.testing.assert_allclose(y, np.sin(np.arange(1000) * 0.01), atol=1e-6)
    assert 0.08 < np.std(x - y) < 0.12
    np.testing.assert_array_equal(noisy_sine(1000, seed=1)[0], x)
