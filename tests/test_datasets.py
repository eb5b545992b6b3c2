"""helpers.data, chapter 3: stationary AR(1) windows and their analytic optimal forecast error."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import ar1_forecast_mse, ar1_windows, mse_by_horizon

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


