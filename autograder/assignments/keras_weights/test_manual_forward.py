"""Hidden checks for manual_forward: NumPy alone must reproduce model.predict.

PYTEST_DONT_REWRITE: the messages are the hints; pytest must not add hidden values to them.
"""

import numpy as np
import pytest

from autograder.engine.student import framework_calls

from .support import (
    ATOL,
    blog,
    blog_weights,
    outputs,
    predict,
    random_weights,
    reference_model,
)

BATCHES = [1, 7, 257]


def sizes(draws) -> list[tuple[int, int]]:
    """(n_features, hidden_units) of the models checked, drawn for this student.

    0 hidden units is the [W, b] model; (1, 1) is the smallest network there is.
    """
    gen = draws.rng("manual_forward", "sizes")
    hidden = [(int(gen.integers(2, 7)), int(gen.integers(2, 21))) for _ in range(2)]
    flat = [(int(n), 0) for n in gen.choice([1, 3, 4, 5, 6], size=2, replace=False)]
    return [(2, 5), *hidden, (1, 1), (2, 0), *flat]


_tanh = np.tanh


def _variants(w: list, x: np.ndarray) -> dict[str, np.ndarray]:
    """Forward passes that each embody one misconception, keyed by the hint they earn."""
    x = x.astype(np.float64)
    if len(w) == 2:
        return {
            "the bias is missing: add b before tanh": _tanh(x @ w[0]),
            "the output tanh is missing: the layer applies tanh after x W + b": x @ w[0] + w[1],
            "the bias is added after tanh; it belongs inside: tanh(x W + b)": _tanh(x @ w[0]) + w[1],
        }
    w1, b1, w2, b2 = w
    return {
        "both biases are missing: each layer adds its bias before the activation": _tanh(_tanh(x @ w1) @ w2),
        "the hidden layer's bias is missing": _tanh(_tanh(x @ w1) @ w2 + b2),
        "the output layer's bias is missing": _tanh(_tanh(x @ w1 + b1) @ w2),
        "the biases are added after tanh; they belong inside: tanh(x W + b)": _tanh((_tanh(x @ w1) + b1) @ w2)
        + b2,
        "the output tanh is missing: the output layer applies tanh too": _tanh(x @ w1 + b1) @ w2 + b2,
        "the hidden layer uses no activation; it applies tanh": _tanh((x @ w1 + b1) @ w2 + b2),
        "the hidden layer uses ReLU; it applies tanh": _tanh(np.maximum(x @ w1 + b1, 0) @ w2 + b2),
        "the hidden layer uses the sigmoid; it applies tanh": _tanh(
            (1 / (1 + np.exp(-(x @ w1 + b1)))) @ w2 + b2
        ),
        "only the hidden layer is computed: the output layer comes after it": _tanh(x @ w1 + b1),
    }


def forward_hint(weights: list, x: np.ndarray, got: np.ndarray) -> str:
    """Say which part of the computation is off, judged from the outputs alone."""
    for hint, values in _variants(weights, x).items():
        if values.size == got.size and np.allclose(values.reshape(-1), got.reshape(-1), atol=1e-4):
            return hint
    return "compare your computation step by step with the blog's: weights, bias, then tanh"


def _forward(manual_forward, weights: list, x: np.ndarray) -> np.ndarray:
    out = manual_forward([w.copy() for w in weights], x.copy())
    try:
        return np.asarray(out, dtype=np.float64)
    except Exception:
        pytest.fail(f"manual_forward returned {type(out).__name__}, which is not an array of numbers")


def _assert_matches(
    manual_forward, weights: list, x: np.ndarray, label: str, via_predict: bool = False
) -> None:
    """Compare with the model's outputs: ``model.predict`` itself, or the same layers called
    directly (identical values, without predict's per-model tracing)."""
    model = reference_model(x.shape[1], 0 if len(weights) == 2 else weights[0].shape[1])
    model.set_weights(weights)
    want = (predict if via_predict else outputs)(model, x).reshape(-1)
    got = _forward(manual_forward, weights, x)
    assert got.size == want.size, (
        f"manual_forward on {label} returned {got.size} numbers for {x.shape[0]} samples; "
        "expected one output per sample"
    )
    diff = float(np.max(np.abs(got.reshape(-1) - want)))
    assert diff <= ATOL, (
        f"manual_forward differs from model.predict on {label} by up to {diff:.3g}; "
        f"what it computes looks like this: {forward_hint(weights, x, got)}"
    )


@pytest.mark.weight(1)
def test_returns_ndarray(manual_forward, source_data):
    """manual_forward returns a NumPy array."""
    out = manual_forward(blog_weights(source_data), np.array([[0.3, 0.1]], dtype=np.float32))
    assert isinstance(out, np.ndarray), (
        f"manual_forward returned {type(out).__name__}; it should return a NumPy array"
    )


@pytest.mark.weight(1)
def test_output_shape(manual_forward, draws):
    """The output has shape (n, 1), like model.predict, for models with and without hidden layer."""
    gen = draws.rng("shape")
    for n_features, hidden in [(2, 5), (3, 0)]:
        weights = random_weights(gen, n_features, hidden)
        for n in BATCHES:
            x = gen.random((n, n_features)).astype(np.float32)
            shape = np.shape(manual_forward(weights, x))
            column = shape == (1, n) and n > 1
            transposed = " (the blog's column vectors give the transpose)" if column else ""
            assert shape == (n, 1), (
                f"for a batch of {n} manual_forward returned shape {shape}; model.predict returns "
                f"({n}, 1): one row per sample, one column for the single output unit{transposed}"
            )


@pytest.mark.weight(2)
def test_blog_example(manual_forward, source_data):
    """With the blog's weights, the input [0.3, 0.1] gives Keras' printed 0.93015909."""
    b, weights = blog(source_data), blog_weights(source_data)
    got = _forward(manual_forward, weights, np.array([b["x"]], dtype=np.float32))
    value = float(got.reshape(-1)[0]) if got.size else float("nan")
    assert abs(value - b["keras_output"]) <= 1e-6, (
        f"with the blog's weights and x = {b['x']} manual_forward gives {value:.8f}; Keras "
        f"printed {b['keras_output']}: {forward_hint(weights, np.array([b['x']]), got)}"
    )


@pytest.mark.weight(3)
def test_matches_predict_hidden(manual_forward, draws):
    """For models with a hidden layer, several sizes and weight sets, it equals model.predict."""
    for n_features, hidden in [s for s in sizes(draws) if s[1]]:
        for trial in range(2):
            gen = draws.rng("hidden", n_features, hidden, trial)
            weights = random_weights(gen, n_features, hidden)
            x = gen.random((32, n_features)).astype(np.float32)
            _assert_matches(manual_forward, weights, x, f"a {n_features}-{hidden}-1 model")


@pytest.mark.weight(2)
def test_matches_predict_no_hidden(manual_forward, draws):
    """For the oracle-shaped model [W, b] (hidden_units=0), it equals model.predict."""
    for n_features, hidden in [s for s in sizes(draws) if not s[1]]:
        gen = draws.rng("no-hidden", n_features)
        weights = random_weights(gen, n_features, hidden)
        x = gen.random((32, n_features)).astype(np.float32)
        _assert_matches(manual_forward, weights, x, f"a {n_features}-1 model with no hidden layer")


@pytest.mark.weight(1)
def test_batch_sizes(manual_forward, draws):
    """One sample and batches larger than predict's batch of 32 give model.predict's values
    (this check calls model.predict itself)."""
    for n in BATCHES:
        gen = draws.rng("batch", n)
        weights = random_weights(gen, 3, 6)
        x = gen.random((n, 3)).astype(np.float32)
        _assert_matches(manual_forward, weights, x, f"a batch of {n}", via_predict=True)


@pytest.mark.weight(2)
def test_numpy_only(manual_forward, draws):
    """manual_forward uses NumPy only: it calls nothing in Keras or TensorFlow."""
    gen = draws.rng("numpy-only")
    weights = random_weights(gen, 2, 5)
    x = gen.random((4, 2)).astype(np.float32)
    used = framework_calls(manual_forward, weights, x)
    assert not used, (
        f"manual_forward called into {used[0]}; compute the layers with NumPy alone "
        "(the point is to see what the model computes, not to ask the model)"
    )


@pytest.mark.weight(1)
def test_inputs_unchanged(manual_forward, draws):
    """manual_forward leaves the weights and the input it is given unchanged."""
    gen = draws.rng("unchanged")
    weights = random_weights(gen, 2, 5)
    x = gen.random((5, 2)).astype(np.float32)
    kept = [w.copy() for w in weights], x.copy()
    manual_forward(weights, x)
    same = all(np.array_equal(a, b) for a, b in zip(weights, kept[0])) and np.array_equal(x, kept[1])
    assert same, "manual_forward changed the arrays it was given; work on new arrays instead"
