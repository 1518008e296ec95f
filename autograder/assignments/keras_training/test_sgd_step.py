"""Hidden checks for sgd_step: NumPy alone must take the steps of keras.optimizers.SGD.

The velocity is judged by what it does: it is handed back to the next step, and the weights
after every step must be Keras'. So any consistent way of keeping it (Keras' -lr·g sum, or its
negative subtracted) is right.

PYTEST_DONT_REWRITE: the messages are the hints; pytest must not add hidden values to them.
"""

import numpy as np
import pytest

from .support import STEP_ATOL, as_arrays, close, keras_sgd, max_gap, random_weights

# Each misconception as one step: (w, v, g, lr, m) -> (new w, new v), for one weight array.


def _uphill(w, v, g, lr, m):
    v = m * v + lr * g
    return w + v, v


def _no_rate(w, v, g, lr, m):
    v = m * v - g
    return w + v, v


def _no_carry(w, v, g, lr, m):
    return w - lr * g, v


def _subtracted(w, v, g, lr, m):
    v = -m * v - lr * g
    return w + v, v


def _nesterov(w, v, g, lr, m):
    v = m * v - lr * g
    return w + m * v - lr * g, v


def _damped(w, v, g, lr, m):
    v = m * v - (1 - m) * lr * g
    return w + v, v


#: The misconceptions, keyed by the hint each earns.
_RULES = {
    "the step goes uphill: subtract the gradient, w - learning_rate * g": _uphill,
    "the learning rate is missing: the step is learning_rate * g": _no_rate,
    "the velocity does not carry over: start from the velocity you are given (zeros only when "
    "it is None) and return the new one": _no_carry,
    "the previous velocity is subtracted; Keras keeps it: velocity = momentum * velocity - "
    "learning_rate * g": _subtracted,
    "that is Nesterov's momentum (w + momentum * velocity - learning_rate * g); Keras' SGD, "
    "nesterov=False, adds the velocity itself": _nesterov,
    "the gradient is damped by (1 - momentum): Keras' SGD adds learning_rate * g in full": _damped,
}


def _run(rule, weights: list, steps: list, lr: float, m: float) -> list:
    """The weights after each step of ``rule`` (float64)."""
    w = [np.asarray(a, np.float64) for a in weights]
    v = [np.zeros_like(a) for a in w]
    after = []
    for grads in steps:
        pairs = [rule(a, b, np.asarray(g, np.float64), lr, m) for a, b, g in zip(w, v, grads)]
        w, v = [p[0] for p in pairs], [p[1] for p in pairs]
        after.append(w)
    return after


def step_hint(weights: list, steps: list, lr: float, m: float, got: list) -> str:
    """Say which rule the steps follow, judged from the weights after each step."""
    for hint, rule in _RULES.items():
        want = _run(rule, weights, steps, lr, m)
        if all(close(a, b, atol=10 * STEP_ATOL * scale(b)) for a, b in zip(got, want)):
            return hint
    return "each step: velocity = momentum * velocity - learning_rate * g, then w = w + velocity"


def problem(gen: np.random.Generator, n_steps: int) -> tuple[list, list]:
    """A network's weights (drawn size) and ``n_steps`` gradients for them, float32."""
    weights = random_weights(gen, int(gen.integers(1, 5)), int(gen.integers(0, 8)))
    steps = [[gen.normal(0.0, 1.0, size=w.shape).astype(np.float32) for w in weights] for _ in range(n_steps)]
    return weights, steps


def _pair(result) -> tuple[list, list]:
    if not (isinstance(result, tuple | list) and len(result) == 2):
        pytest.fail(
            f"sgd_step returned {type(result).__name__}; it should return a pair "
            "(new_weights, new_velocity), two lists of arrays"
        )
    return as_arrays(result[0], "sgd_step's new_weights"), as_arrays(result[1], "sgd_step's new_velocity")


def _steps(sgd_step, weights: list, steps: list, lr: float, m: float) -> list:
    """The weights after each step of ``sgd_step``, handing back the velocity it returns
    (copies each time: a function that updates its arguments in place is judged elsewhere)."""
    w, velocity, after = weights, None, []
    for grads in steps:
        given = None if velocity is None else [v.copy() for v in velocity]
        w, velocity = _pair(sgd_step([a.copy() for a in w], [g.copy() for g in grads], lr, given, m))
        after.append(w)
    return after


def scale(weights: list) -> float:
    """1 + the largest |weight|: float32 round-off of a step grows with the weights."""
    return 1.0 + max(float(np.max(np.abs(w))) for w in weights)


def _assert_like_keras(sgd_step, weights, steps, lr, m, label):
    got, want = _steps(sgd_step, weights, steps, lr, m), keras_sgd(weights, steps, lr, m)
    for i, (a, b) in enumerate(zip(got, want)):
        assert close(a, b, STEP_ATOL * scale(b)), (
            f"after step {i + 1} of {label} the weights differ from keras.optimizers.SGD's by up "
            f"to {max_gap(a, b) if len(a) == len(b) else float('nan'):.3g}: "
            f"{step_hint(weights, steps, lr, m, got)}"
        )


@pytest.mark.weight(1)
def test_returns_pair(sgd_step, draws):
    """It returns (new_weights, new_velocity): a list of arrays shaped like the weights, twice."""
    weights, steps = problem(draws.rng("sgd_step", "pair"), 1)
    new_weights, velocity = _pair(sgd_step(weights, steps[0], 0.1, None, 0.9))
    shapes = [w.shape for w in weights]
    for what, got in (("new_weights", new_weights), ("new_velocity", velocity)):
        assert [a.shape for a in got] == shapes, (
            f"sgd_step's {what} holds arrays of shapes {[a.shape for a in got]}; expected {shapes}, "
            "the shapes of the weights"
        )


@pytest.mark.weight(1)
def test_plain_step(sgd_step, draws):
    """Without momentum, one step from velocity=None equals Keras' SGD: w - learning_rate * g."""
    gen = draws.rng("sgd_step", "plain")
    weights, steps = problem(gen, 1)
    lr = round(float(gen.uniform(0.01, 1.0)), 3)
    _assert_like_keras(sgd_step, weights, steps, lr, 0.0, f"SGD(learning_rate={lr})")


@pytest.mark.weight(1)
def test_momentum(sgd_step, draws):
    """With momentum, several steps handing back the velocity equal Keras' SGD step by step."""
    gen = draws.rng("sgd_step", "momentum")
    weights, steps = problem(gen, int(gen.integers(3, 6)))
    lr, m = round(float(gen.uniform(0.01, 1.0)), 3), round(float(gen.uniform(0.5, 0.95)), 2)
    _assert_like_keras(sgd_step, weights, steps, lr, m, f"SGD(learning_rate={lr}, momentum={m})")


@pytest.mark.weight(1)
def test_inputs_unchanged(sgd_step, draws):
    """It leaves the weights, gradients and velocity it is given unchanged."""
    weights, steps = problem(draws.rng("sgd_step", "unchanged"), 2)
    _, velocity = _pair(sgd_step([w.copy() for w in weights], steps[0], 0.1, None, 0.9))
    given = [weights, steps[1], velocity]
    kept = [[a.copy() for a in arrays] for arrays in given]
    sgd_step(weights, steps[1], 0.1, velocity, 0.9)
    same = all(np.array_equal(a, b) for arrays, copies in zip(given, kept) for a, b in zip(arrays, copies))
    assert same, "sgd_step changed the arrays it was given; return new arrays instead"
