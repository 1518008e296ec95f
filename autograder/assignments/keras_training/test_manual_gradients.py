"""Hidden checks for manual_gradients: NumPy alone must equal tf.GradientTape's gradients of the
mean hinge loss, one array per weight array.

PYTEST_DONT_REWRITE: the messages are the hints; pytest must not add hidden values to them.
"""

import numpy as np
import pytest

from .support import (
    GRAD_ATOL,
    RTOL,
    as_arrays,
    away_from_kink,
    close,
    gradients,
    keras_gradients,
    labelled_points,
    max_gap,
    random_weights,
)

#: Each misconception's gradients, keyed by the hint it earns (``gradients``' switches).
_VARIANTS = {
    "the gradients are summed over the batch; the loss is a mean, so divide by n": dict(mean=False),
    "the signs are flipped: where the hinge is active its slope is -y, not y": dict(sign=1.0),
    "tanh's derivative is 1 - tanh², not 1 - tanh": dict(derivative=lambda a: 1.0 - a),
    "tanh's derivative is 1 - a² of the layer's output a = tanh(z), not of its input z": dict(
        derivative=None
    ),
    "the hinge is active wherever y * out < 1, not only where y * out < 0: samples right "
    "but inside the margin still pull": dict(margin=0.0),
    "the output layer's tanh derivative (1 - out²) is missing": dict(output_derivative=False),
}


def _variant(weights, x, y, switches):
    if switches.get("derivative", 0) is None:  # 1 - z² of the pre-activation z = arctanh(a)
        switches = {
            **switches,
            "derivative": lambda a: 1.0 - np.arctanh(np.clip(a, -0.999999, 0.999999)) ** 2,
        }
    return gradients(weights, x, y, **switches)


def gradient_hint(weights: list, x: np.ndarray, y: np.ndarray, got: list) -> str:
    """Say what is off, from the shapes first and then from the values alone."""
    shapes, want = [g.shape for g in got], [np.shape(w) for w in weights]
    if shapes != want and sorted(shapes) == sorted(want):
        return (
            "the gradients are out of order: return them in get_weights() order, the first "
            "layer's kernel and bias, then the next layer's"
        )
    for i, (g, w) in enumerate(zip(got, weights)):
        what = "kernel" if i % 2 == 0 else "bias"
        if g.shape != w.shape:
            if g.shape == w.shape[::-1]:
                return (
                    f"gradient {i} (a {what}) is transposed: the gradient of W is a.T @ delta, shaped like W"
                )
            if what == "bias" and g.shape[-1:] == w.shape and g.ndim == 2:
                return f"gradient {i} (a bias) has one row per sample: sum it over the batch (axis 0)"
            if len(x) > 1 and len(x) in g.shape:
                return (
                    f"gradient {i} has shape {g.shape}, holding the batch size: labels of shape "
                    "(n,) against outputs (n, 1) broadcast into an (n, n) table; reshape y to (n, 1)"
                )
            return f"gradient {i} (a {what}) has shape {g.shape}; it must have its weight's shape {w.shape}"
    return _closest_variant(weights, x, y, got) or (
        "compare each step with the chain-rule table of the notebook, from the loss back"
    )


def _closest_variant(weights: list, x: np.ndarray, y: np.ndarray, got: list) -> str | None:
    """The hint of the misconception whose gradients ``got`` is nearest, among those it is close
    to. A misconception these data cannot tell from the right gradients (the sum and the mean
    of a batch of one) explains nothing, and two close ones are told apart by the nearer."""
    right = gradients(weights, x, y)
    near = []
    for hint, switches in _VARIANTS.items():
        variant = _variant(weights, x, y, switches)
        if not close(variant, right, GRAD_ATOL, RTOL) and close(got, variant, atol=1e-5, rtol=1e-3):
            near.append((max_gap(got, variant), hint))
    return min(near)[1] if near else None


def case(gen: np.random.Generator, n_features: int, hidden: int, n: int) -> tuple:
    """Weights and a batch of labelled points whose outputs keep away from the hinge's kink."""
    while True:
        weights = random_weights(gen, n_features, hidden)
        x, y = labelled_points(gen, n, n_features)
        if away_from_kink(weights, x):
            return weights, x, y


def _assert_equals_tape(manual_gradients, weights: list, x: np.ndarray, y: np.ndarray, label: str) -> None:
    got = as_arrays(manual_gradients([w.copy() for w in weights], x.copy(), y.copy()), "manual_gradients")
    want = keras_gradients(weights, x, y)
    assert len(got) == len(want), (
        f"manual_gradients on {label} returned {len(got)} arrays; expected {len(want)}: one "
        "gradient per array of get_weights(), in that order"
    )
    hint = gradient_hint(weights, x, y, got)
    assert all(g.shape == w.shape for g, w in zip(got, want)), f"manual_gradients on {label}: {hint}"
    assert close(got, want, GRAD_ATOL, RTOL), (
        f"manual_gradients on {label} differs from tf.GradientTape by up to {max_gap(got, want):.3g}: {hint}"
    )


def sizes(draws) -> list[tuple[int, int]]:
    """(n_features, hidden_units) of the networks checked with a hidden layer, drawn per student."""
    gen = draws.rng("manual_gradients", "sizes")
    return [(2, 5), (int(gen.integers(1, 6)), int(gen.integers(2, 12)))]


@pytest.mark.weight(1)
def test_one_array_per_weight(manual_gradients, draws):
    """It returns a list with one gradient per weight array, each shaped like its weight."""
    weights, x, y = case(draws.rng("manual_gradients", "shapes"), 2, 5, 16)
    got = as_arrays(manual_gradients(weights, x, y), "manual_gradients")
    shapes = [w.shape for w in weights]
    assert [g.shape for g in got] == shapes, (
        f"manual_gradients returned arrays of shapes {[g.shape for g in got]}; expected {shapes}, "
        f"the shapes of the weights: {gradient_hint(weights, x, y, got)}"
    )


@pytest.mark.weight(2)
def test_equals_tape_hidden(manual_gradients, draws):
    """With a hidden layer, for several sizes and weights, it equals tf.GradientTape."""
    for n_features, hidden in sizes(draws):
        gen = draws.rng("manual_gradients", "hidden", n_features, hidden)
        weights, x, y = case(gen, n_features, hidden, int(gen.integers(8, 64)))
        _assert_equals_tape(manual_gradients, weights, x, y, f"a {n_features}-{hidden}-1 network")


@pytest.mark.weight(1)
def test_equals_tape_no_hidden(manual_gradients, draws):
    """Without a hidden layer (weights [W, b]) it equals tf.GradientTape."""
    gen = draws.rng("manual_gradients", "no-hidden")
    n_features = int(gen.integers(1, 6))
    weights, x, y = case(gen, n_features, 0, int(gen.integers(8, 64)))
    _assert_equals_tape(manual_gradients, weights, x, y, f"a {n_features}-1 network without hidden layer")


@pytest.mark.weight(1)
def test_batch_sizes(manual_gradients, draws):
    """For a batch of one sample and a batch of a few hundred it equals tf.GradientTape."""
    gen = draws.rng("manual_gradients", "batches")
    for n in (1, int(gen.integers(200, 400))):
        weights, x, y = case(gen, 3, 4, n)
        _assert_equals_tape(manual_gradients, weights, x, y, f"a batch of {n}")


@pytest.mark.weight(1)
def test_inputs_unchanged(manual_gradients, draws):
    """It leaves the weights, inputs and labels it is given unchanged."""
    weights, x, y = case(draws.rng("manual_gradients", "unchanged"), 2, 5, 8)
    kept = [w.copy() for w in weights], x.copy(), y.copy()
    manual_gradients(weights, x, y)
    same = all(np.array_equal(a, b) for a, b in zip(weights, kept[0]))
    same = same and np.array_equal(x, kept[1]) and np.array_equal(y, kept[2])
    assert same, "manual_gradients changed the arrays it was given; work on new arrays instead"
