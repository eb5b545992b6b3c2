"""helpers.data, chapter 2: one-hot encoding, sliding windows, reversal pairs, the rule's profile."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import one_hot, causal_accuracy_ceiling, reversal_data, reversal_pairs, sliding_windows


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
    with pytest.raises(ValueError, match="must be 1-D"):
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
