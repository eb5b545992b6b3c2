"""helpers.training: the askers' per-sequence and per-step training loops."""

import numpy as np
import pytest

from tiny_models import batch1_model

from helpers import fit_one_sequence_at_a_time, fit_one_step_at_a_time, memory_sequences, set_seed, weights_hash


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
