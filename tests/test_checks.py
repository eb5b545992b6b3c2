"""helpers.checks: the one input check; its messages name the function, the argument, what was expected and the fix."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import array_of_shape, positive_int


@given(st.integers(-5, 50), st.integers(0, 3))
def test_positive_int_accepts_exactly_the_integers_at_or_above_the_minimum(value, minimum):
    if value >= minimum:
        assert positive_int("f", "n", np.int32(value), minimum=minimum) == value
    else:
        with pytest.raises(ValueError, match=rf"f: n must be an int >= {minimum}, got {value}; pass e.g. n=5"):
            positive_int("f", "n", value, minimum=minimum)


@pytest.mark.parametrize("value", [True, 2.0, "3", None])
def test_positive_int_rejects_what_is_not_an_int(value):
    with pytest.raises(ValueError, match="steps must be an int >= 1"):
        positive_int("f", "steps", value)


def test_array_of_shape_checks_rank_and_fixed_sizes_and_names_the_fix():
    a = array_of_shape("f", "x", [[1, 2]], ("samples", "steps"), "pass x", dtype="float32")
    assert a.shape == (1, 2) and a.dtype == np.float32
    with pytest.raises(ValueError, match=r"^f: x must be \(steps,\), got shape \(1, 2\); flatten it$"):
        array_of_shape("f", "x", [[1, 2]], ("steps",), "flatten it")
    with pytest.raises(ValueError, match=r"x must be \(batch, steps, 1\), got shape \(2, 3, 4\); add an axis"):
        array_of_shape("f", "x", np.zeros((2, 3, 4)), ("batch", "steps", 1), "add an axis")
