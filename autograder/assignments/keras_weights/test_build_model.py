"""Hidden checks for build_model: input, Dense layers, activations, biases, compile settings.

PYTEST_DONT_REWRITE: the messages are the hints; pytest must not add hidden values to them.
"""

import numpy as np
import pytest

from .support import ATOL, keras_module, outputs


def sizes(draws) -> list[tuple[int, int]]:
    """(n_features, hidden_units): the notebook's (2, 5), a hidden layer of one unit (the edge
    next to none, which mutation testing found no draw sure to reach), then two drawn for this
    student."""
    gen = draws.rng("build_model", "sizes")
    features = gen.choice([1, 3, 4, 5, 6, 7, 8], size=3, replace=False)
    hidden = [1, *gen.choice([2, 3, 4, 6, 7, 8, 9, 10, 12, 16], size=2, replace=False)]
    return [(2, 5), *((int(f), int(h)) for f, h in zip(features, hidden))]


ACTIVATIONS = {
    "tanh": np.tanh,
    "linear (no activation)": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
}


def _dense_layers(model) -> list:
    keras = keras_module()
    return [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def _shapes(model) -> list[tuple]:
    return [tuple(w.shape) for w in model.get_weights()]


def _expected_shapes(n_features: int, hidden_units: int) -> list[tuple]:
    if hidden_units == 0:
        return [(n_features, 1), (1,)]
    return [(n_features, hidden_units), (hidden_units,), (hidden_units, 1), (1,)]


def _model(build_model, n_features: int, hidden_units: int):
    """Build once per size and grading run: the checks only read the model or reset weights."""
    built = build_model.__dict__.setdefault("built", {})
    if (n_features, hidden_units) not in built:
        model = build_model(n_features=n_features, hidden_units=hidden_units)
        assert isinstance(model, keras_module().Model), (
            f"build_model should return a keras.Model; it returned {type(model).__name__}"
        )
        built[n_features, hidden_units] = model
    return built[n_features, hidden_units]


def _centre_biases(weights: list[np.ndarray], x: np.ndarray) -> None:
    """Scale each unit's kernel and set its bias so that its pre-activations spread at least 1
    around 0 with half the inputs on either side (taking the reference's tanh before the output
    layer). The drawn weights alone let a hidden layer of one unit see only positive values on
    about 1 draw in 100, where ReLU computes what no activation does; a spread near 0 would let
    no activation pass for tanh."""
    inputs = x.astype(np.float64)
    for kernel, bias in zip(weights[::2], weights[1::2]):
        kernel *= np.maximum(1.0, 1.0 / (inputs @ kernel).std(axis=0))
        bias[:] = -np.median(inputs @ kernel, axis=0)
        inputs = np.tanh(inputs @ kernel + bias)


def activations_of(model, n_features: int, hidden_units: int, draws) -> tuple[str, str] | None:
    """Find which (hidden, output) activations explain the model's outputs, or None."""
    if _shapes(model) != _expected_shapes(n_features, hidden_units):
        return None
    gen = draws.rng("activations", n_features, hidden_units)
    weights = [gen.normal(0, 1.5, size=s).astype(np.float32) for s in _shapes(model)]
    x = gen.uniform(-1, 1, size=(16, n_features)).astype(np.float32)
    _centre_biases(weights, x)
    model.set_weights(weights)
    out = outputs(model, x).reshape(-1)
    hidden_names = ["tanh"] if hidden_units == 0 else list(ACTIVATIONS)
    for h_name in hidden_names:
        for o_name, o_act in ACTIVATIONS.items():
            z = x.astype(np.float64)
            if hidden_units:
                z = ACTIVATIONS[h_name](z @ weights[0] + weights[1]) @ weights[2] + weights[3]
            else:
                z = z @ weights[0] + weights[1]
            if np.allclose(o_act(z).reshape(-1), out, atol=1e-4):
                return h_name, o_name
    return None


@pytest.mark.weight(1)
def test_returns_model(build_model):
    """build_model() returns a keras.Model of the blog's sizes: 2 inputs and 5 hidden units."""
    model = build_model()
    assert isinstance(model, keras_module().Model), (
        f"build_model() should return a keras.Model; it returned {type(model).__name__}"
    )
    shapes = [tuple(w.shape) for w in model.get_weights()]
    assert shapes == [(2, 5), (5,), (5, 1), (1,)], (
        f"build_model() has weights shaped {shapes}; expected [(2, 5), (5,), (5, 1), (1,)]: the "
        "defaults are the blog's n_features=2 and hidden_units=5"
    )


@pytest.mark.weight(1)
def test_input_size(build_model, draws):
    """The model takes inputs of n_features values, for other sizes than the notebook's."""
    for n_features, hidden in sizes(draws):
        model = _model(build_model, n_features, hidden)
        try:
            shape = tuple(model.inputs[0].shape)[1:]
        except Exception:
            shape = None
        assert shape == (n_features,), (
            f"build_model(n_features={n_features}) accepts inputs of shape {shape}; "
            f"expected ({n_features},): start from keras.Input with the n_features argument"
        )


@pytest.mark.weight(2)
def test_dense_units(build_model, draws):
    """The model has two Dense layers, hidden_units units then 1 unit."""
    for n_features, hidden in sizes(draws):
        units = [layer.units for layer in _dense_layers(_model(build_model, n_features, hidden))]
        assert units == [hidden, 1], (
            f"build_model(hidden_units={hidden}) has Dense layers with units {units}; "
            f"expected [{hidden}, 1]: a hidden layer of hidden_units, then one output unit"
        )


@pytest.mark.weight(1)
def test_no_hidden_layer_for_zero(build_model):
    """hidden_units=0 builds Exercise 4's model: a single Dense layer with 1 unit."""
    for n_features in (2, 4):
        units = [layer.units for layer in _dense_layers(_model(build_model, n_features, 0))]
        assert units == [1], (
            f"build_model(hidden_units=0) has Dense layers with units {units}; expected [1]: "
            "with no hidden units the input goes straight to the output layer"
        )


@pytest.mark.weight(1)
def test_biases(build_model, draws):
    """Every Dense layer has a bias, so get_weights() is [W1, b1, W2, b2] (or [W, b])."""
    for n_features, hidden in [*sizes(draws), (3, 0)]:
        shapes = _shapes(_model(build_model, n_features, hidden))
        want = _expected_shapes(n_features, hidden)
        assert shapes == want, (
            f"build_model(n_features={n_features}, hidden_units={hidden}).get_weights() has "
            f"shapes {shapes}; expected {want}: each Dense layer has a kernel and a bias"
        )


@pytest.mark.weight(2)
def test_hidden_activation(build_model, draws):
    """The hidden layer applies tanh."""
    for n_features, hidden in sizes(draws)[:2]:
        found = activations_of(_model(build_model, n_features, hidden), n_features, hidden, draws)
        assert found is not None, _unexplained(n_features, hidden)
        assert found[0] == "tanh", f"the hidden layer computes {found[0]}; it should apply tanh"


@pytest.mark.weight(2)
def test_output_activation(build_model, draws):
    """The output layer applies tanh, with and without a hidden layer."""
    # Without a hidden layer first: there the output's inputs are centred whatever the hidden
    # layer computes, so a wrong output activation is named as itself.
    for n_features, hidden in [(2, 0), (2, 5)]:
        found = activations_of(_model(build_model, n_features, hidden), n_features, hidden, draws)
        assert found is not None, _unexplained(n_features, hidden)
        assert found[1] == "tanh", f"the output layer computes {found[1]}; it should apply tanh"


def _unexplained(n_features: int, hidden: int) -> str:
    return (
        f"the outputs of build_model(n_features={n_features}, hidden_units={hidden}) are not "
        "those of Input -> Dense(hidden_units, tanh) -> Dense(1, tanh); check the layers"
    )


@pytest.mark.weight(1)
def test_compiled(build_model):
    """The model is compiled."""
    model = _model(build_model, 2, 5)
    assert getattr(model, "compiled", False) and getattr(model, "optimizer", None), (
        "the model is not compiled; call model.compile(...) before returning it"
    )


@pytest.mark.weight(1)
def test_optimizer_adam(build_model):
    """The model is compiled with the Adam optimizer."""
    model = _model(build_model, 2, 5)
    optimizer = getattr(model, "optimizer", None)
    assert optimizer is not None, "the model has no optimizer: compile it, with Adam"
    name = type(optimizer).__name__
    assert name == "Adam", f"the optimizer is {name}; the blog compiles with Adam"


@pytest.mark.weight(1)
def test_loss_hinge(build_model):
    """The model is compiled with the hinge loss."""
    keras = keras_module()
    loss = getattr(_model(build_model, 2, 5), "loss", None)
    y_true = np.array([[1.0], [-1.0], [1.0]], dtype=np.float32)
    y_pred = np.array([[0.3], [0.2], [1.5]], dtype=np.float32)
    want = float(np.mean(np.maximum(1.0 - y_true * y_pred, 0.0)))
    try:
        fn = keras.losses.get(loss) if isinstance(loss, str) else loss
        got = float(np.mean(keras.ops.convert_to_numpy(fn(y_true, y_pred))))
    except Exception:
        got = None
    assert got is not None and abs(got - want) < ATOL, (
        f"the loss is {loss!r}, which does not compute the hinge loss; the blog uses 'hinge'"
    )


@pytest.mark.weight(1)
def test_accuracy_metric(build_model):
    """The model is compiled with an accuracy metric."""
    config = _model(build_model, 2, 5).get_compile_config() or {}
    metrics = config.get("metrics")
    names = [_metric_name(m) for m in _flatten(metrics)]
    assert any(n in {"accuracy", "acc", "binary_accuracy"} for n in names), (
        f"the compiled metrics are {names or 'none'}; add an accuracy metric as the blog does"
    )


def _flatten(value) -> list:
    if value is None:
        return []
    if isinstance(value, dict) and "class_name" not in value:
        return [m for v in value.values() for m in _flatten(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _flatten(v)]
    return [value]


def _metric_name(metric) -> str:
    if isinstance(metric, str):
        return metric.lower()
    if isinstance(metric, dict):
        cls = str(metric.get("class_name", "")).lower()
        return {"binaryaccuracy": "binary_accuracy"}.get(cls, cls)
    return str(getattr(metric, "name", type(metric).__name__)).lower()
