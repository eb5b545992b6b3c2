"""helpers.decoding: step-by-step seq2seq decoding and the check that the inference pair is wired like training."""

import keras
import numpy as np
import pytest

from helpers import ar1_windows, decode_with_predict_loop, inference_wiring_error, set_seed, teacher_forced_stepwise
from helpers.decoding import _example_pair

TX, TY = 6, 4


@pytest.fixture(scope="module")
def random_seq2seq():
    set_seed(0)
    return ar1_windows(8, TX, TY, seed=3), *_example_pair(5, TX, TY)


def test_inference_pair_reproduces_the_training_model_on_random_weights(random_seq2seq):
    w, train, enc, step = random_seq2seq
    assert inference_wiring_error(train, enc, step, w.encoder_input, w.decoder_input) <= 1e-5


def test_wiring_check_catches_swapped_states(random_seq2seq):
    w, train, enc, step = random_seq2seq
    y, h, c = step.outputs
    swapped = keras.Model(step.inputs, [y, c, h])  # the bug
    assert inference_wiring_error(train, enc, swapped, w.encoder_input, w.decoder_input) > 1e-3


def test_wiring_check_catches_a_state_that_is_not_carried(random_seq2seq):
    w, train, enc, step = random_seq2seq

    class Forgetful:  # always restarts from the encoder state: the state is not carried
        def __init__(self):
            self.first = None

        def __call__(self, inputs, training=False):
            x, h, c = inputs
            if self.first is None:
                self.first = (h, c)
            y, _, _ = step([x, *self.first], training=training)
            return y, *self.first

    assert inference_wiring_error(train, enc, Forgetful(), w.encoder_input, w.decoder_input) > 1e-3


def test_wiring_check_catches_a_step_model_built_from_fresh_layers(random_seq2seq):
    w, train, enc, _ = random_seq2seq
    _, _, fresh = _example_pair(5, TX, TY)
    assert inference_wiring_error(train, enc, fresh, w.encoder_input, w.decoder_input) > 1e-3


def test_predict_loop_feeds_back_its_own_prediction(random_seq2seq):
    w, _, enc, step = random_seq2seq
    slow = decode_with_predict_loop(enc, step, w.encoder_input, TY, start=-1.0)
    fed_back = np.concatenate([np.full((len(slow), 1, 1), -1.0, "float32"), slow[:, :-1]], axis=1)
    np.testing.assert_allclose(teacher_forced_stepwise(enc, step, w.encoder_input, fed_back), slow, atol=1e-5)


def test_predict_loop_rejects_bad_arguments(random_seq2seq):
    w, _, enc, step = random_seq2seq
    with pytest.raises(ValueError, match="ty must be an int >= 1"):
        decode_with_predict_loop(enc, step, w.encoder_input, 0)
    with pytest.raises(ValueError, match=r"encoder_input must be \(batch, steps, 1\)"):
        decode_with_predict_loop(enc, step, w.encoder_input[..., 0], TY)


def test_stepwise_decoding_rejects_bad_shapes(random_seq2seq):
    w, train, enc, step = random_seq2seq
    with pytest.raises(ValueError, match=r"encoder_input must be \(batch, steps, 1\), got shape .*; add a trailing axis"):
        teacher_forced_stepwise(enc, step, w.encoder_input[..., 0], w.decoder_input)
    with pytest.raises(ValueError, match="matching batches"):
        teacher_forced_stepwise(enc, step, w.encoder_input, w.decoder_input[:3])
    with pytest.raises(ValueError, match=r"decoder_input must be \(batch, steps, 1\)"):
        inference_wiring_error(train, enc, step, w.encoder_input, w.decoder_input[..., 0])
