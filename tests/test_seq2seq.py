"""helpers.seq2seq: shared-layer seq2seq models, the wiring check, decoding, training modes, masked losses."""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import (
    ar1_windows,
    build_decoder_step,
    build_direct_model,
    build_encoder,
    build_free_running_model,
    build_mixed_model,
    build_training_model,
    decode_with_predict_loop,
    fit_timed,
    inference_wiring_error,
    make_seq2seq_layers,
    masked_mse,
    masked_mse_all_entries,
    mse_by_horizon,
    set_seed,
    teacher_forced_stepwise,
)

TX, TY = 6, 4


@pytest.fixture(scope="module")
def random_seq2seq():
    set_seed(0)
    layers = make_seq2seq_layers(5)
    w = ar1_windows(8, TX, TY, seed=3)
    return layers, w, build_training_model(layers, TX, TY), build_encoder(layers, TX), build_decoder_step(layers)


# --- models and the wiring check ---------------------------------------------------------------


def test_inference_pair_reproduces_the_training_model_on_random_weights(random_seq2seq):
    layers, w, train, enc, step = random_seq2seq
    assert inference_wiring_error(train, enc, step, w.encoder_input, w.decoder_input) <= 1e-5


def test_wiring_check_catches_swapped_states(random_seq2seq):
    layers, w, train, enc, _ = random_seq2seq
    x_in, h_in, c_in = keras.Input((1, 1)), keras.Input((layers.units,)), keras.Input((layers.units,))
    out, h, c = layers.decoder_lstm(x_in, initial_state=[h_in, c_in])
    swapped = keras.Model([x_in, h_in, c_in], [layers.decoder_dense(out), c, h])  # the bug
    assert inference_wiring_error(train, enc, swapped, w.encoder_input, w.decoder_input) > 1e-3


def test_wiring_check_catches_a_state_that_is_not_carried(random_seq2seq):
    layers, w, train, enc, step = random_seq2seq

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
    _, w, train, enc, _ = random_seq2seq
    fresh = build_decoder_step(make_seq2seq_layers(5))
    assert inference_wiring_error(train, enc, fresh, w.encoder_input, w.decoder_input) > 1e-3


def test_free_running_model_equals_the_predict_loop(random_seq2seq):
    layers, w, _, enc, step = random_seq2seq
    fr = build_free_running_model(layers, TX, TY, start=-1.0)
    fast = np.asarray(fr(w.encoder_input, training=False))
    slow = decode_with_predict_loop(enc, step, w.encoder_input, TY, start=-1.0)
    np.testing.assert_allclose(fast, slow, atol=1e-5)


def test_free_running_differs_from_teacher_forcing_after_the_first_step(random_seq2seq):
    layers, w, train, _, _ = random_seq2seq
    fr = np.asarray(build_free_running_model(layers, TX, TY)(w.encoder_input))
    tf = np.asarray(train([w.encoder_input, w.decoder_input]))
    np.testing.assert_allclose(fr[:, 0], tf[:, 0], atol=1e-5)  # same first input (the start value)
    assert np.max(np.abs(fr[:, 1:] - tf[:, 1:])) > 1e-4


@pytest.mark.parametrize("p, same_as", [(1.0, "teacher"), (0.0, "free")])
def test_mixed_model_in_training_mode_is_teacher_forcing_at_p1_and_free_running_at_p0(random_seq2seq, p, same_as):
    layers, w, train, _, _ = random_seq2seq
    mixed, _ = build_mixed_model(layers, TX, TY, p=p, seed=0)
    got = np.asarray(mixed([w.encoder_input, w.decoder_input], training=True))
    ref = (
        train([w.encoder_input, w.decoder_input])
        if same_as == "teacher"
        else build_free_running_model(layers, TX, TY)(w.encoder_input)
    )
    np.testing.assert_allclose(got, np.asarray(ref), atol=1e-5)


def test_mixed_model_mixes_at_intermediate_p_and_runs_free_outside_training(random_seq2seq):
    layers, w, train, _, _ = random_seq2seq
    mixed, p = build_mixed_model(layers, TX, TY, p=0.5, seed=0)
    x = [np.repeat(w.encoder_input, 8, 0), np.repeat(w.decoder_input, 8, 0)]
    got = np.asarray(mixed(x, training=True))
    tf = np.asarray(train(x))
    fr = np.asarray(build_free_running_model(layers, TX, TY)(x[0]))
    is_tf = np.all(np.abs(got - tf) < 1e-5, axis=(1, 2))
    is_fr = np.all(np.abs(got - fr) < 1e-5, axis=(1, 2))
    assert 0 < is_tf.sum() < len(got) and 0 < is_fr.sum() < len(got), "some rows mixed, some pure"
    np.testing.assert_allclose(np.asarray(mixed(x, training=False)), fr, atol=1e-5)


def test_fit_timed_trains_and_applies_the_schedule():
    set_seed(0)
    w = ar1_windows(64, TX, TY, seed=0)
    mixed, p = build_mixed_model(make_seq2seq_layers(3), TX, TY, p=1.0, seed=0)
    seconds = fit_timed(mixed, [w.encoder_input, w.decoder_input], w.target, epochs=3, batch_size=32, schedule=(p, 1.0, 0.0))
    assert seconds > 0 and float(p.numpy()) == 0.0
    with pytest.raises(ValueError, match="schedule must be"):
        fit_timed(mixed, [w.encoder_input, w.decoder_input], w.target, epochs=1, schedule=(p, 1.0))


def test_predict_loop_and_fit_timed_reject_bad_arguments(random_seq2seq):
    _, w, _, enc, step = random_seq2seq
    with pytest.raises(ValueError, match="ty must be a positive int"):
        decode_with_predict_loop(enc, step, w.encoder_input, 0)
    with pytest.raises(ValueError, match="must have shape"):
        decode_with_predict_loop(enc, step, w.encoder_input[..., 0], TY)
    with pytest.raises(ValueError, match="epochs must be a positive int"):
        fit_timed(enc, w.encoder_input, w.target, epochs=0)
    with pytest.raises(ValueError, match="expected a keras.Model"):
        fit_timed("model", w.encoder_input, w.target, epochs=1)


def test_direct_model_shape():
    assert build_direct_model(3, TX, TY).output.shape == (None, TY, 1)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: make_seq2seq_layers(0), "units must be a positive int"),
        (lambda: build_training_model("layers", 3, 2), "expected the Seq2SeqLayers"),
        (lambda: build_free_running_model(make_seq2seq_layers(2), 3, 0), "ty must be a positive int"),
        (lambda: build_mixed_model(make_seq2seq_layers(2), 3, 2, p=1.5), "p is a probability"),
        (lambda: mse_by_horizon(np.zeros((2, 3, 1)), np.zeros((2, 3))), r"\(batch, ty, channels\)"),
    ],
)
def test_builders_reject_bad_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_stepwise_decoding_rejects_bad_shapes(random_seq2seq):
    _, w, train, enc, step = random_seq2seq
    with pytest.raises(ValueError, match=r"must have shape \(batch, steps, 1\)"):
        teacher_forced_stepwise(enc, step, w.encoder_input[..., 0], w.decoder_input)
    with pytest.raises(ValueError, match="matching batches"):
        teacher_forced_stepwise(enc, step, w.encoder_input, w.decoder_input[:3])
    with pytest.raises(ValueError, match="must have shape"):
        inference_wiring_error(train, enc, step, w.encoder_input, w.decoder_input[..., 0])


# --- masked losses -----------------------------------------------------------------------------


def test_masked_losses_on_a_small_example():
    # errors 1, 2, 3, 4 (squared 1, 4, 9, 16); the last two are masked
    y_true = np.array([[[1.0, 0.0], [2.0, 0.0]], [[3.0, 1.0], [4.0, 1.0]]])
    y_pred = np.zeros((2, 2, 1))
    assert float(masked_mse_all_entries(y_true, y_pred)) == pytest.approx((1 + 4) / 4)
    assert float(masked_mse(y_true, y_pred)) == pytest.approx((1 + 4) / 2)


@given(frac=st.floats(0.0, 0.9), seed=st.integers(0, 10_000))
@settings(max_examples=20, deadline=None)
def test_all_entries_mean_is_the_kept_fraction_times_the_masked_mean(frac, seed):
    rng = np.random.default_rng(seed)
    mask = (rng.random((6, 5)) < frac).astype(float)
    mask[0, 0] = 0.0  # keep at least one entry
    y_true = np.stack([rng.normal(size=(6, 5)), mask], axis=-1)
    y_pred = rng.normal(size=(6, 5, 1))
    kept = 1 - mask.mean()
    assert float(masked_mse_all_entries(y_true, y_pred)) == pytest.approx(kept * float(masked_mse(y_true, y_pred)), rel=1e-5)


def test_masked_mse_works_as_a_keras_loss():
    set_seed(0)
    inp = keras.Input((3, 1))
    model = keras.Model(inp, keras.layers.Dense(1)(inp))
    model.compile("sgd", loss=masked_mse)
    y = np.concatenate([np.ones((4, 3, 1)), np.zeros((4, 3, 1))], axis=-1)
    assert np.isfinite(model.evaluate(np.ones((4, 3, 1)), y, verbose=0))


def test_masked_losses_reject_a_target_without_mask_channel():
    for fn in (masked_mse, masked_mse_all_entries):
        with pytest.raises(ValueError, match=r"\(batch, ty, 2\)"):
            fn(np.zeros((2, 3, 1)), np.zeros((2, 3, 1)))
