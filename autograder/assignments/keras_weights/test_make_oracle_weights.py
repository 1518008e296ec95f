"""Hidden checks for make_oracle_weights: weights that classify every held-out point correctly.

PYTEST_DONT_REWRITE: the messages are the hints; pytest must not add hidden values to them.
"""

import numpy as np
import pytest

from .support import (
    BOUNDARY_MARGIN,
    away_from,
    labels_for,
    outputs,
    reference_model,
)

HELD_OUT = 10_000


def configs(draws, kind: str) -> list[tuple[int, float, int]]:
    """(n_features, threshold, hidden_units) for one check, drawn for this student."""
    gen = draws.rng("make_oracle_weights", kind)

    def threshold(nf: int) -> float:
        return away_from(gen, 0.1 * nf, 0.9 * nf, 0.5, 0.2)

    if kind == "thresholds":
        return [(2, threshold(2)), (2, threshold(2)), (3, threshold(3))]
    if kind == "features":
        return [(int(nf), threshold(int(nf))) for nf in gen.choice([1, 3, 4, 5, 6, 8], 3, False)]
    hidden = gen.choice([1, 2, 3, 4, 6, 8, 12, 20], size=3, replace=False)
    return [(2, 0.5, int(hidden[0])), *((nf, threshold(nf), int(h)) for nf, h in zip((5, 3), hidden[1:]))]


def _weights(make_oracle_weights, n_features: int, threshold: float, hidden: int) -> list:
    out = make_oracle_weights(n_features=n_features, threshold=threshold, hidden_units=hidden)
    assert isinstance(out, list | tuple), (
        f"make_oracle_weights returned {type(out).__name__}; expected a list of arrays in get_weights() order"
    )
    try:
        return [np.asarray(w, dtype=np.float32) for w in out]
    except Exception:
        pytest.fail("make_oracle_weights returned a list whose items are not numeric arrays")


def _want_shapes(n_features: int, hidden: int) -> list[tuple]:
    return [w.shape for w in reference_model(n_features, hidden).get_weights()]


def sign_accuracy(weights: list, n_features: int, threshold: float, hidden: int, draws) -> tuple:
    """Return (accuracy, points judged) of the weights on fresh held-out points."""
    model = reference_model(n_features, hidden)
    model.set_weights(weights)
    x = draws.rng("held-out", n_features, threshold, hidden).random((HELD_OUT, n_features))
    x = x.astype(np.float32)
    keep = np.abs(x.astype(np.float64).sum(axis=1) - threshold) > BOUNDARY_MARGIN
    pred = np.sign(outputs(model, x[keep]).reshape(-1))
    return float(np.mean(pred == labels_for(x[keep], threshold))), int(keep.sum())


def oracle_hint(weights: list, n_features: int, threshold: float) -> str:
    """Name the misconception a single-layer oracle shows, from its weights alone."""
    if len(weights) != 2:
        return "the output's sign must follow sum(x) - threshold through every layer"
    w, b = weights[0].reshape(-1).astype(np.float64), float(weights[1].reshape(-1)[0])
    if np.allclose(w, w[0]) and w[0] != 0:
        boundary = -b / w[0]
        if np.isclose(boundary, 0.5) and not np.isclose(threshold, 0.5):
            return "the boundary stays at the blog's sum(x) = 0.5 whatever the threshold"
        if np.isclose(boundary, -threshold):
            return "the bias has the wrong sign: the output should be negative below the threshold"
        averaged = np.isclose(boundary, threshold * n_features) or np.isclose(
            boundary, threshold / n_features
        )
        if averaged and n_features > 1 and w[0] > 0:  # with one input the mean is the sum
            return "the boundary uses the mean of the inputs; the rule compares their sum"
        if w[0] < 0:
            return "the signs are flipped: a larger sum should push the output up"
        return "the boundary w.x + b = 0 should be where the sum of the inputs equals the threshold"
    return "the rule weighs every input the same: sum(x) > threshold"


def _assert_perfect(make_oracle_weights, n_features: int, threshold: float, hidden: int, draws) -> None:
    weights = _weights(make_oracle_weights, n_features, threshold, hidden)
    shapes, want = [w.shape for w in weights], _want_shapes(n_features, hidden)
    assert shapes == want, (
        f"make_oracle_weights(n_features={n_features}, hidden_units={hidden}) gave shapes "
        f"{shapes}; build_model's get_weights() has {want}"
    )
    acc, n = sign_accuracy(weights, n_features, threshold, hidden, draws)
    assert acc == 1.0, (
        f"with n_features={n_features}, threshold={threshold}, hidden_units={hidden} the signs "
        f"are right on {acc:.2%} of {n} held-out points, not 100 %: "
        f"{oracle_hint(weights, n_features, threshold)}"
    )


@pytest.mark.weight(1)
def test_returns_weight_list(make_oracle_weights):
    """make_oracle_weights() returns NumPy arrays [W, b] shaped for build_model(2, 0)."""
    out = make_oracle_weights()
    assert isinstance(out, list | tuple) and all(isinstance(w, np.ndarray) for w in out), (
        f"make_oracle_weights() returned {type(out).__name__} of "
        f"{', '.join(sorted({type(w).__name__ for w in out})) if isinstance(out, list | tuple) else '?'}; "
        "return a list of NumPy arrays (np.array(...)), as get_weights() does"
    )
    weights = _weights(make_oracle_weights, 2, 0.5, 0)
    assert [w.shape for w in weights] == _want_shapes(2, 0), (
        f"make_oracle_weights() gave shapes {[w.shape for w in weights]}; the blog's model "
        f"build_model(2, 0).get_weights() has {_want_shapes(2, 0)}"
    )


@pytest.mark.weight(1)
def test_defaults_are_the_blog(make_oracle_weights, draws):
    """With its defaults it gives the blog's hand-set weights' 100 % for 2 inputs and threshold 0.5."""
    weights = make_oracle_weights()
    assert len(weights) == 2, "make_oracle_weights() should default to hidden_units=0: [W, b]"
    _assert_perfect(lambda **kw: weights, 2, 0.5, 0, draws)


@pytest.mark.weight(2)
def test_other_thresholds(make_oracle_weights, draws):
    """100 % on 10,000 held-out points for thresholds other than 0.5."""
    for n_features, threshold in configs(draws, "thresholds"):
        _assert_perfect(make_oracle_weights, n_features, threshold, 0, draws)


@pytest.mark.weight(2)
def test_other_feature_counts(make_oracle_weights, draws):
    """100 % on 10,000 held-out points for other numbers of inputs."""
    for n_features, threshold in configs(draws, "features"):
        _assert_perfect(make_oracle_weights, n_features, threshold, 0, draws)


@pytest.mark.weight(3)
def test_hidden_layer_models(make_oracle_weights, draws):
    """100 % on 10,000 held-out points for models with a hidden layer."""
    for n_features, threshold, hidden in configs(draws, "hidden"):
        _assert_perfect(make_oracle_weights, n_features, threshold, hidden, draws)
