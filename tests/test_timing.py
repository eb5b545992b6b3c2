"""helpers.timing: the one timer (fastest or median of timed calls, warm-up calls untimed)."""

import time

import pytest

from helpers import seconds


def test_fastest_of_repeats_after_untimed_warmup():
    calls = []

    def fn():
        time.sleep(0.02 if not calls else 0.0)  # only the first call is slow
        calls.append(1)

    assert seconds(fn, repeats=3, warmup=True) < 0.01, "the slow first call is the untimed warm-up"
    assert len(calls) == 4


def test_median_over_inputs_calls_fn_once_per_input_after_warmup_on_the_first_inputs():
    seen = []
    delays = {"a": 0.0, "b": 0.0, "c": 0.03, "d": 0.0, "e": 0.03}
    t = seconds(lambda x: (seen.append(x), time.sleep(delays[x])), inputs="abcde", warmup=2, statistic="median")
    assert seen == ["a", "b", "a", "b", "c", "d", "e"]
    assert t < 0.01, "the median of 0, 0, 30, 0, 30 ms is about 0"
    assert seconds(lambda x: time.sleep(x), inputs=[0.0, 0.02, 0.02], statistic="median") >= 0.02


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(fn=1), "fn must be callable"),
        (dict(fn=lambda: None, repeats=0), "repeats must be an int >= 1"),
        (dict(fn=lambda: None, warmup=-1), "warmup must be an int >= 0"),
        (dict(fn=lambda x: None, inputs=[]), "inputs is empty"),
        (dict(fn=lambda: None, statistic="mean"), r"statistic must be one of \['median', 'min'\]"),
    ],
)
def test_bad_arguments_name_what_is_expected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        seconds(**kwargs)
