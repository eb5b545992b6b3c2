"""helpers.streaming: a NumPy one-step-at-a-time copy equals Keras's full-sequence output."""

import keras
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import set_seed, streaming_latency_table, to_streaming

ATOL = 1e-5

architectures = st.fixed_dictionaries(
    {
        "cell": st.sampled_from(["lstm", "gru"]),
        "n_rnn": st.integers(1, 3),
        "units": st.lists(st.integers(1, 7), min_size=3, max_size=3),
        "heads": st.lists(st.tuples(st.integers(1, 5), st.sampled_from(["linear", "tanh", "relu", "sigmoid", "softmax"]),
                                    st.booleans()), max_size=2),
        "features": st.integers(1, 6),
        "masking": st.booleans(),
        "sequential": st.booleans(),
        "reset_after": st.booleans(),
        "activation": st.sampled_from(["tanh", "linear", "relu"]),
        "use_bias": st.booleans(),
        "seed": st.integers(0, 1000),
    }
)


def build(a):
    """A random many-to-many model: [Masking] + 1-3 LSTM/GRU (return_sequences) + 0-2 Dense heads."""
    set_seed(a["seed"])
    layers = [keras.layers.Masking()] if a["masking"] else []
    for k in range(a["n_rnn"]):
        kw = dict(return_sequences=True, activation=a["activation"], use_bias=a["use_bias"])
        if a["cell"] == "gru":
            layers.append(keras.layers.GRU(a["units"][k], reset_after=a["reset_after"], **kw))
        else:
            layers.append(keras.layers.LSTM(a["units"][k], **kw))
    for units, act, wrap in a["heads"]:
        dense = keras.layers.Dense(units, activation=act)
        layers.append(keras.layers.TimeDistributed(dense) if wrap else dense)
    if a["sequential"]:
        model = keras.Sequential([keras.Input((None, a["features"]))] + layers)
    else:
        inp = h = keras.Input((None, a["features"]))
        for layer in layers:
            h = layer(h)
        model = keras.Model(inp, h)
    # random (not zero) biases, so that every bias path is exercised
    rng = np.random.default_rng(a["seed"])
    model.set_weights([w + 0.3 * rng.standard_normal(w.shape).astype(w.dtype) for w in model.get_weights()])
    return model


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=architectures, steps=st.integers(1, 12))
def test_streaming_output_equals_the_full_sequence_output(a, steps):
    model = build(a)
    x = np.random.default_rng(a["seed"]).standard_normal((2, steps, a["features"])).astype("float32")
    full = keras.ops.convert_to_numpy(model(x))
    stream = to_streaming(model)
    one = np.stack([stream.step(x[0, t]) for t in range(steps)])  # one sequence, x_t of shape (features,)
    np.testing.assert_allclose(one, full[0], atol=ATOL, rtol=0)
    stream.reset()
    both = np.stack([stream.step(x[:, t]) for t in range(steps)], axis=1)  # two sequences in lock-step
    np.testing.assert_allclose(both, full, atol=ATOL, rtol=0)


def _gru_model(reset_after):
    inp = keras.Input((None, 3))
    return keras.Model(inp, keras.layers.GRU(4, return_sequences=True, reset_after=reset_after)(inp))


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_both_formulations_are_reproduced(reset_after):
    set_seed(0)
    model = _gru_model(reset_after)
    assert model.layers[1].reset_after is reset_after
    model.set_weights([w + 0.5 for w in model.get_weights()])
    x = np.random.default_rng(0).standard_normal((1, 9, 3)).astype("float32")
    np.testing.assert_allclose(to_streaming(model).run(x[0]), model(x).numpy()[0], atol=ATOL, rtol=0)


def test_gru_default_is_reset_after_and_the_formulations_differ():
    set_seed(0)
    after, before = _gru_model(True), _gru_model(False)
    assert keras.layers.GRU(2).reset_after, "Keras 3's GRU default is reset_after=True"
    w_after = after.get_weights()
    w_before = [w_after[0], w_after[1], w_after[2][0] + w_after[2][1]]  # same kernels, biases summed
    before.set_weights(w_before)
    x = np.random.default_rng(1).standard_normal((1, 6, 3)).astype("float32")
    assert not np.allclose(to_streaming(after).run(x[0]), to_streaming(before).run(x[0]), atol=1e-4)


def test_stateful_training_flag_and_sequential_models_are_accepted():
    set_seed(0)
    inp = keras.Input(batch_shape=(1, None, 4))
    h = keras.layers.LSTM(5, return_sequences=True, stateful=True)(inp)
    model = keras.Model(inp, keras.layers.Dense(2)(h))
    x = np.random.default_rng(0).standard_normal((1, 7, 4)).astype("float32")
    full = model(x).numpy()[0]
    np.testing.assert_allclose(to_streaming(model).run(x[0]), full, atol=ATOL, rtol=0)


def test_reset_starts_a_new_sequence_and_state_carries_otherwise():
    set_seed(0)
    model = build(dict(cell="lstm", n_rnn=1, units=[4, 1, 1], heads=[], features=3, masking=False, sequential=True,
                       reset_after=True, activation="tanh", use_bias=True, seed=0))
    stream = to_streaming(model)
    x = np.ones(3, "float32")
    first = stream.step(x)
    assert not np.allclose(stream.step(x), first), "the state carries from one step to the next"
    stream.reset()
    np.testing.assert_array_equal(stream.step(x), first)


def test_run_streams_a_whole_sequence():
    set_seed(0)
    inp = keras.Input((None, 2))
    model = keras.Model(inp, keras.layers.GRU(3, return_sequences=True)(inp))
    x = np.random.default_rng(0).standard_normal((5, 2)).astype("float32")
    out = to_streaming(model).run(x)
    assert out.shape == (5, 3)
    np.testing.assert_allclose(out, model(x[None]).numpy()[0], atol=ATOL, rtol=0)


# --- rejected models: the message names the layer --------------------------------------------

def _chain(*layers, features=3):
    return keras.Sequential([keras.Input((None, features)), *layers])


@pytest.mark.parametrize(
    "layer, name, reason",
    [
        (keras.layers.Bidirectional(keras.layers.LSTM(2, return_sequences=True), name="bi"), "bi", "future"),
        (keras.layers.LSTM(2, return_sequences=True, go_backwards=True, name="backwards"), "backwards", "go_backwards"),
        (keras.layers.LSTM(2, name="last_only"), "last_only", "return_sequences"),
        (keras.layers.Conv1D(2, 3, padding="causal", name="conv"), "conv", "no NumPy step"),
        (keras.layers.SimpleRNN(2, return_sequences=True, name="simple"), "simple", "no NumPy step"),
        (keras.layers.Dropout(0.5, name="drop"), "drop", "no NumPy step"),
    ],
)
def test_unsupported_layers_are_rejected_by_name(layer, name, reason):
    model = _chain(keras.layers.LSTM(2, return_sequences=True), layer)
    with pytest.raises(ValueError, match=rf"layer '{name}' \(\w+\).*{reason}"):
        to_streaming(model)


def test_unsupported_activation_is_rejected_by_name():
    model = _chain(keras.layers.LSTM(2, return_sequences=True), keras.layers.Dense(2, activation="gelu", name="head"))
    with pytest.raises(ValueError, match="layer 'head' uses activation 'gelu'"):
        to_streaming(model)


def test_a_model_without_recurrent_layer_is_rejected():
    with pytest.raises(ValueError, match="no LSTM or GRU layer"):
        to_streaming(_chain(keras.layers.Dense(2)))


def test_branched_models_are_rejected():
    inp = keras.Input((None, 3))
    a = keras.layers.LSTM(2, return_sequences=True, name="a")(inp)
    b = keras.layers.LSTM(2, return_sequences=True, name="b")(inp)
    with pytest.raises(ValueError, match="not fed by the layer before it"):
        to_streaming(keras.Model(inp, keras.layers.Concatenate()([a, b])))


def test_non_models_are_rejected():
    with pytest.raises(ValueError, match="expected a keras.Model"):
        to_streaming(keras.layers.LSTM(2))


def test_bad_step_shapes_and_batch_changes_are_rejected():
    stream = to_streaming(_chain(keras.layers.LSTM(2, return_sequences=True)))
    with pytest.raises(ValueError, match=r"shape \(3,\) or \(batch, 3\)"):
        stream.step(np.zeros(4))
    with pytest.raises(ValueError, match=r"shape \(3,\) or \(batch, 3\)"):
        stream.step(np.zeros((1, 1, 3)))
    stream.step(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="call reset()"):
        stream.step(np.zeros((3, 3)))
    stream.reset()
    assert stream.step(np.zeros((3, 3))).shape == (3, 2)
    with pytest.raises(ValueError, match=r"StreamingModel.run: x must be \(steps, 3\), got shape \(2, 5, 3\)"):
        stream.run(np.zeros((2, 5, 3)))


def test_latency_table_times_every_method():
    set_seed(0)
    inp = keras.Input((None, 4))
    model = keras.Model(inp, keras.layers.Dense(2)(keras.layers.LSTM(3, return_sequences=True)(inp)))
    table = streaming_latency_table(model, n_steps=5, n_steps_predict=3)
    assert list(table) == [
        "stateful copy: predict", "stateful copy: predict_on_batch", "stateful copy: direct call",
        "stateful copy: tf.function", "stateless: whole prefix", "to_streaming",
    ]
    assert all(v > 0 for v in table.values())
    with pytest.raises(ValueError, match="at least 3 timed steps"):
        streaming_latency_table(model, n_steps=2)
