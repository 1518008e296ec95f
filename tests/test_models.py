"""A returned model is checked against what its exercise can produce before anything is built."""

import json

import numpy as np
import pytest

from autograder.engine.models import ModelRefused, check, rebuild
from autograder.model.assignment import ModelLimits
from autograder.quiet import import_keras_quietly
from autograder.sandbox.inside import protocol

LIMITS = ModelLimits(layers=("InputLayer", "Dense", "Activation"), max_layers=8, max_units=64, max_inputs=64)


def _sent(model) -> dict:
    """A model as the sandbox sends it."""
    compiled = model.get_compile_config() if model.compiled else None
    return {
        "json": model.to_json(),
        "compile": json.dumps(compiled),
        "weights": protocol.encode(model.get_weights()),
    }


@pytest.fixture(scope="module")
def blog_model():
    keras = import_keras_quietly()
    inputs = keras.Input(shape=(2,))
    outputs = keras.layers.Dense(1, activation="tanh")(keras.layers.Dense(5, activation="tanh")(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="hinge", metrics=["accuracy"])
    return model


def test_a_model_of_the_exercise_is_rebuilt_whole(blog_model):
    """Does a model the exercise can produce come back with its layers, weights and compile settings?"""
    model = rebuild(_sent(blog_model), LIMITS)
    assert [w.shape for w in model.get_weights()] == [(2, 5), (5,), (5, 1), (1,)]
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), blog_model.get_weights()))
    assert type(model.optimizer).__name__ == "Adam" and model.loss == "hinge"


def _edited(model, edit) -> dict:
    sent = _sent(model)
    config = json.loads(sent["json"])
    edit(config)
    return {**sent, "json": json.dumps(config)}


def _layers(config):
    return config["config"]["layers"]


EDITS = {
    "a 40000-unit layer": (lambda c: _layers(c)[1]["config"].update(units=40000), "40000 units"),
    "a 6000-input layer": (lambda c: _layers(c)[0]["config"].update(batch_shape=[None, 6000]), "input shape"),
    "a class of its own": (lambda c: _layers(c)[1].update(module="evil.layers"), "class of its own"),
    "a registered class": (
        lambda c: _layers(c)[1].update(registered_name="Custom>Dense"),
        "registered class",
    ),
    "a Lambda layer": (lambda c: _layers(c)[1].update(class_name="Lambda"), "'Lambda'"),
    "twenty layers": (lambda c: _layers(c).extend([_layers(c)[1]] * 20), "more than 8 layers"),
    "not a model": (lambda c: c.update(class_name="Dense"), "not a keras.Model"),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_what_the_exercise_cannot_produce_is_refused_unbuilt(blog_model, name):
    """Is a config beyond the exercise's limits refused, saying why, before anything is built?"""
    edit, reason = EDITS[name]
    with pytest.raises(ModelRefused, match=reason):
        rebuild(_edited(blog_model, edit), LIMITS)


def test_oversized_weights_are_refused():
    """Are weight arrays larger than any layer of the exercise holds refused?"""
    config = {"class_name": "Sequential", "config": {"layers": []}}
    with pytest.raises(ModelRefused, match="weight array"):
        check(config, None, [np.zeros((1000, 1000))], LIMITS)


def test_a_model_that_is_not_data_is_a_protocol_error():
    """Is a model message without its configs the sandbox's broken promise (a protocol error)?"""
    with pytest.raises(protocol.ProtocolError):
        rebuild({"json": 3}, LIMITS)
