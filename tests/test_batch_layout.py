"""helpers.batch_layout: row i of batch k+1 continues row i of batch k."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import stateful_batches


@settings(max_examples=200, deadline=None)
@given(
    batch_size=st.integers(1, 9),
    steps=st.integers(1, 9),
    extra=st.integers(0, 60),
    features=st.integers(1, 3),
)
def test_row_i_of_batch_k_plus_1_continues_row_i_of_batch_k(batch_size, steps, extra, features):
    n = batch_size * steps + extra
    t = np.arange(n)
    series = np.stack([t * 10 + f for f in range(features)], axis=-1)  # recover t from any feature
    x = stateful_batches(series, batch_size, steps)
    n_batches = n // (batch_size * steps)
    assert x.shape == (n_batches * batch_size, steps, features)
    assert x.dtype == series.dtype
    idx = x[..., 0] // 10
    # within a sample, consecutive time steps
    np.testing.assert_array_equal(np.diff(idx, axis=1), 1)
    # sample (k+1)*B + i starts right after sample k*B + i ends
    for k in range(n_batches - 1):
        for i in range(batch_size):
            assert idx[(k + 1) * batch_size + i, 0] == idx[k * batch_size + i, -1] + 1
    # every point used once, only the tail that does not fill a batch is dropped
    np.testing.assert_array_equal(np.sort(idx.ravel()), np.arange(n_batches * batch_size * steps))


def test_the_docstring_example():
    np.testing.assert_array_equal(
        stateful_batches(np.arange(12), 2, 3)[..., 0], [[0, 1, 2], [6, 7, 8], [3, 4, 5], [9, 10, 11]]
    )


@settings(max_examples=50, deadline=None)
@given(batch_size=st.integers(1, 6), steps=st.integers(1, 6), extra=st.integers(0, 30), outputs=st.integers(1, 3))
def test_targets_are_laid_out_like_the_series(batch_size, steps, extra, outputs):
    n = batch_size * steps + extra
    series = np.arange(n, dtype="float32")
    targets = np.stack([np.arange(n) * 100 + o for o in range(outputs)], axis=-1)
    x, y = stateful_batches(series, batch_size, steps, targets)
    assert y.shape == x.shape[:2] + (outputs,)
    np.testing.assert_array_equal(y[..., 0] // 100, x[..., 0].astype(int))


def test_a_1d_series_gets_a_feature_axis():
    assert stateful_batches(np.zeros(20), 2, 5).shape == (4, 5, 1)


def test_too_short_for_one_batch_names_the_sizes_and_the_fix():
    with pytest.raises(ValueError, match=r"length 90 holds no full batch of 4 streams x 30 steps.*fewer streams"):
        stateful_batches(np.zeros(90), 4, 30)


@pytest.mark.parametrize("shape", [(), (2, 3, 4)])
def test_bad_series_rank_names_the_expected_shape(shape):
    with pytest.raises(ValueError, match=r"series must have shape \(time,\) or \(time, features\)"):
        stateful_batches(np.zeros(shape), 1, 1)


def test_bad_targets_rank_and_length_are_rejected():
    with pytest.raises(ValueError, match=r"targets must have shape"):
        stateful_batches(np.zeros(10), 1, 2, targets=np.zeros((10, 1, 1)))
    with pytest.raises(ValueError, match=r"targets has length 9 but series has length 10"):
        stateful_batches(np.zeros(10), 1, 2, targets=np.zeros(9))


@pytest.mark.parametrize("kw", [dict(batch_size=0), dict(steps=-1), dict(batch_size=2.0), dict(steps=True)])
def test_non_positive_or_non_int_sizes_are_rejected(kw):
    args = dict(batch_size=2, steps=2) | kw
    name = next(iter(kw))
    with pytest.raises(ValueError, match=f"{name} must be an int >= 1"):
        stateful_batches(np.zeros(10), **args)
