"""What the keras_training checks share: Keras' own answers, a float64 reference whose switches
are the typical misconceptions (for hints), draws that keep away from the hinge's kink, and the
tolerances.

Verdicts compare with Keras itself (``keras.losses.Hinge``, ``tf.GradientTape``,
``keras.optimizers.SGD``, ``model.fit``); the NumPy reference only names what a wrong answer
computes instead. ``tests/test_keras_training.py`` shows the reference equals Keras.
"""

import copy
import functools
import hashlib

import numpy as np

from autograder.quiet import import_keras_quietly

#: Keras computes in float32 (about 7 significant digits); the reference and most students in
#: float64. Over a batch of up to a few hundred samples a loss or gradient differs between the
#: two by a few 1e-7 at most (measured: 4.4e-8 on gradients); the typical mistakes change them
#: by 1e-2 or more (a forgotten 1/n by a factor n). A value passes within ATOL + RTOL * |Keras'|.
LOSS_ATOL, GRAD_ATOL, RTOL = 1e-5, 1e-5, 1e-4
#: One SGD step is a multiply-add per weight, so its float32 round-off grows with the weights:
#: over 1,000 drawn momentum runs (up to 5 steps, weights up to 15), float32 and float64
#: implementations differ from keras.optimizers.SGD by at most 2.0e-7 * (1 + the largest
#: |weight|). A step passes within STEP_ATOL times that scale; a wrong rule misses by 1e-2 or more.
STEP_ATOL = 1e-6
#: Training carries the round-off through every step, and momentum and large steps amplify it:
#: over 120 drawn check runs (up to 4 epochs, 20 steps) the float64 reference and model.fit
#: differ by at most 4.2e-7, and by 2.5e-6 in tests/test_keras_training.py's harshest run
#: (momentum 0.9, 24 steps). 1e-4 leaves 40 times that; the typical mistakes move the weights
#: by 2e-2 or more (see kill_matrix.md), because the drawn learning rates are at least 0.1.
TRAIN_ATOL = 1e-4
#: At 1 - y*out = 0 the hinge has a kink where any slope in [-y, 0] is a right gradient, and
#: float32 and float64 may fall on either side of it. tanh keeps |out| < 1, so 1 - y*out > 0
#: unless tanh saturates; every drawn case keeps |out| <= 1 - KINK_GAP at every step.
KINK_GAP = 1e-3


def keras_module():
    """Return keras, imported without TensorFlow's log lines."""
    return import_keras_quietly()


def tensorflow():
    """Return tensorflow (for ``tf.GradientTape`` and ``tf.Variable``), imported quietly."""
    keras_module()
    import tensorflow as tf

    return tf


def n_hidden(weights: list) -> int:
    """The hidden units of the network whose ``get_weights()`` is ``weights`` (0: no hidden layer)."""
    return 0 if len(weights) == 2 else int(np.shape(weights[0])[1])


@functools.cache
def _architecture(n_features: int, hidden_units: int):
    keras = keras_module()
    hidden = [keras.layers.Dense(hidden_units, activation="tanh")] if hidden_units else []
    return keras.Sequential(
        [keras.Input(shape=(n_features,)), *hidden, keras.layers.Dense(1, activation="tanh")]
    )


def keras_model(weights: list):
    """The blog's network, Input -> [Dense(h, tanh)] -> Dense(1, tanh), holding ``weights``."""
    model = _architecture(int(np.shape(weights[0])[0]), n_hidden(weights))
    model.set_weights([np.asarray(w, dtype=np.float32) for w in weights])
    return model


#: Keras' answers already computed, by a digest of the question: each is deterministic, and the
#: same student's checks (a regrade, a mutation run) ask the same questions again.
_ANSWERS: dict[str, object] = {}


def _remembered(compute):
    """``compute`` answering each question once (arrays, lists of them, numbers, dicts)."""

    def digest(value, h) -> None:
        if isinstance(value, dict):
            for key in sorted(value):
                h.update(str(key).encode())
                digest(value[key], h)
        elif isinstance(value, list | tuple):
            h.update(b"[%d" % len(value))
            for item in value:
                digest(item, h)
        else:
            array = np.asarray(value)
            h.update(f"{array.dtype}{array.shape}".encode() + np.ascontiguousarray(array).tobytes())

    def remembered(*args):
        h = hashlib.sha256(compute.__name__.encode())
        digest(list(args), h)
        key = h.hexdigest()
        if key not in _ANSWERS:
            if len(_ANSWERS) >= 512:
                _ANSWERS.pop(next(iter(_ANSWERS)))
            _ANSWERS[key] = compute(*args)
        return copy.deepcopy(_ANSWERS[key])

    remembered.__name__, remembered.__doc__ = compute.__name__, compute.__doc__
    return remembered


def keras_hinge(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """``keras.losses.Hinge()(y_true, y_pred)``."""
    keras = keras_module()
    return float(keras.losses.Hinge()(np.asarray(y_true, "float32"), np.asarray(y_pred, "float32")))


@_remembered
def keras_gradients(weights: list, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """The gradients of the mean hinge loss, by ``tf.GradientTape`` on the Keras model."""
    tf, keras = tensorflow(), keras_module()
    model = keras_model(weights)
    with tf.GradientTape() as tape:
        loss = keras.losses.Hinge()(np.asarray(y, "float32"), model(np.asarray(x, "float32")))
    return [g.numpy() for g in tape.gradient(loss, model.trainable_variables)]


@_remembered
def keras_sgd(weights: list, steps: list[list], learning_rate: float, momentum: float) -> list:
    """The weights after each step of ``keras.optimizers.SGD`` given the gradients ``steps``."""
    tf, keras = tensorflow(), keras_module()
    variables = [tf.Variable(np.asarray(w, "float32")) for w in weights]
    optimizer = keras.optimizers.SGD(learning_rate=learning_rate, momentum=momentum)
    after = []
    for grads in steps:
        optimizer.apply_gradients(zip([tf.constant(np.asarray(g, "float32")) for g in grads], variables))
        after.append([v.numpy() for v in variables])
    return after


@_remembered
def keras_fit(case: dict) -> list[np.ndarray]:
    """The weights after ``model.fit(X, y, epochs, batch_size, shuffle=False)`` with SGD."""
    keras = keras_module()
    model = keras_model(case["weights"])
    optimizer = keras.optimizers.SGD(learning_rate=case["learning_rate"], momentum=case["momentum"])
    model.compile(optimizer=optimizer, loss="hinge", run_eagerly=True)
    model.fit(
        case["X"], case["y"], epochs=case["epochs"], batch_size=case["batch_size"], shuffle=False, verbose=0
    )
    return model.get_weights()


# The float64 reference. Its keyword switches each embody one misconception (for hints only).


def activations(weights: list, x: np.ndarray) -> list[np.ndarray]:
    """The input and every layer's output, tanh(a @ W + b), in float64."""
    acts = [np.asarray(x, dtype=np.float64)]
    for kernel, bias in zip(weights[0::2], weights[1::2]):
        acts.append(np.tanh(acts[-1] @ np.asarray(kernel, np.float64) + np.asarray(bias, np.float64)))
    return acts


def hinge(y_true, y_pred, *, margin=1.0, mean=True, clip=True, sign=1.0, square=False) -> float:
    """The mean hinge loss of labels ``y_true`` (any shape holding n values) and outputs."""
    y = np.asarray(y_true, np.float64).reshape(-1)
    out = np.asarray(y_pred, np.float64).reshape(-1)
    terms = margin - sign * y * out
    terms = np.maximum(terms, 0.0) if clip else terms
    terms = terms**2 if square else terms
    return float(terms.mean() if mean else terms.sum())


def gradients(
    weights: list,
    x: np.ndarray,
    y: np.ndarray,
    *,
    mean: bool = True,
    margin: float = 1.0,
    sign: float = -1.0,
    derivative=lambda a: 1.0 - a**2,
    output_derivative: bool = True,
) -> list[np.ndarray]:
    """The gradient of the mean hinge loss for each array of ``weights``, by the chain rule."""
    acts = activations(weights, x)
    y = np.asarray(y, np.float64).reshape(-1, 1)
    out = acts[-1]
    delta = np.where(margin - y * out > 0, sign * y, 0.0) / (len(y) if mean else 1.0)
    delta = delta * derivative(out) if output_derivative else delta
    grads: list[np.ndarray] = []
    for layer in reversed(range(len(weights) // 2)):
        grads[:0] = [acts[layer].T @ delta, delta.sum(axis=0)]
        if layer:
            delta = (delta @ np.asarray(weights[2 * layer], np.float64).T) * derivative(acts[layer])
    return grads


def sgd(weights: list, grads: list, lr: float, velocity: list | None, momentum: float, *, nesterov=False):
    """One step of Keras' SGD in float64: returns (weights, velocity)."""
    velocity = velocity or [np.zeros(np.shape(w)) for w in weights]
    velocity = [momentum * v - lr * np.asarray(g, np.float64) for v, g in zip(velocity, grads)]
    step = (
        [momentum * v - lr * np.asarray(g, np.float64) for v, g in zip(velocity, grads)]
        if nesterov
        else velocity
    )
    return [np.asarray(w, np.float64) + s for w, s in zip(weights, step)], velocity


def batches(n: int, size: int, how: str = "keras") -> list[slice | np.ndarray]:
    """The rows of each batch of an epoch: in order, the last holding what is left ("keras"),
    or the misconceptions: the last dropped, padded with rows from the start, or followed by
    an empty one where size divides n (``range(n // size + 1)``)."""
    starts = range(0, n, size)
    if how == "extra":
        return [slice(s * size, s * size + size) for s in range(n // size + 1)]
    if how == "drop":
        return [slice(s, s + size) for s in starts if s + size <= n] or [slice(0, n)]
    if how == "pad":
        return [np.arange(s, s + size) % n for s in starts]
    return [slice(s, s + size) for s in starts]


def train(
    case: dict,
    *,
    how: str = "keras",
    reset_velocity: bool = False,
    one_epoch: bool = False,
    full_batch: bool = False,
    per_batch_size: bool = False,
    sign: float = -1.0,
    in_place: bool = False,
    watch=None,
) -> list[np.ndarray]:
    """``model.fit``'s training in float64 (``case`` as drawn by ``training_case``); the
    keyword switches each make one typical mistake instead. ``watch(weights, rows)`` is
    called before every step."""
    weights = [np.asarray(w, np.float64) for w in case["weights"]]
    X, y = case["X"], np.asarray(case["y"], np.float64).reshape(-1)
    size = len(X) if full_batch else case["batch_size"]
    velocity = None
    for _ in range(1 if one_epoch else case["epochs"]):
        velocity = None if reset_velocity else velocity
        for rows in batches(len(X), size, how):
            if watch:
                watch(weights, X[rows])
            if in_place:
                weights, velocity = _layerwise_step(weights, X[rows], y[rows], case, velocity)
                continue
            if len(y[rows]) == 0:  # an empty batch: no gradient, but momentum still moves
                grads = [np.zeros(np.shape(w)) for w in weights]
            else:
                grads = gradients(weights, X[rows], y[rows], sign=sign)
            if per_batch_size:
                grads = [g * len(y[rows]) / size for g in grads]
            weights, velocity = sgd(weights, grads, case["learning_rate"], velocity, case["momentum"])
    return weights


def _layerwise_step(weights, xb, yb, case, velocity):
    """One step of the in-place mistake: each layer is updated as soon as its gradient is
    known, and the layer below then propagates through the updated kernel."""
    velocity = velocity or [np.zeros(np.shape(w)) for w in weights]
    weights = list(weights)
    acts = activations(weights, xb)
    y = np.asarray(yb, np.float64).reshape(-1, 1)
    delta = np.where(1.0 - y * acts[-1] > 0, -y, 0.0) / len(y) * (1.0 - acts[-1] ** 2)
    for layer in reversed(range(len(weights) // 2)):
        grads = [acts[layer].T @ delta, delta.sum(axis=0)]
        for i, g in zip((2 * layer, 2 * layer + 1), grads):
            velocity[i] = case["momentum"] * velocity[i] - case["learning_rate"] * g
            weights[i] = weights[i] + velocity[i]
        if layer:
            delta = (delta @ weights[2 * layer].T) * (1.0 - acts[layer] ** 2)
    return weights, velocity


# Draws.


def random_weights(gen: np.random.Generator, n_features: int, hidden_units: int) -> list[np.ndarray]:
    """Float32 weights in ``get_weights()`` order, drawn to keep tanh well inside (-1, 1)."""
    shapes = [(n_features, hidden_units), (hidden_units,), (hidden_units, 1), (1,)]
    shapes = shapes if hidden_units else [(n_features, 1), (1,)]
    return [gen.normal(0.0, 0.5, size=s).astype(np.float32) for s in shapes]


def labelled_points(gen: np.random.Generator, n: int, n_features: int) -> tuple[np.ndarray, np.ndarray]:
    """n points of the unit cube, float32, labelled ±1 (float32, shape (n,)) by a drawn plane
    through its middle, so both labels occur."""
    X = gen.random((n, n_features)).astype(np.float32)
    y = np.where(X.sum(axis=1) > n_features / 2, 1.0, -1.0).astype(np.float32)
    y[: min(n, 2)] = [1.0, -1.0][: min(n, 2)]
    return X, y


def away_from_kink(weights: list, x: np.ndarray) -> bool:
    """Whether every output of the network stays at least KINK_GAP inside (-1, 1)."""
    return bool(np.max(np.abs(activations(weights, x)[-1])) <= 1.0 - KINK_GAP)


def trajectory_away_from_kink(case: dict) -> bool:
    """Whether the outputs stay away from the kink at every step of the reference training."""
    near = []
    train(case, watch=lambda weights, x: near.append(not away_from_kink(weights, x)))
    return not any(near) and away_from_kink(train(case), case["X"])


def training_case(
    gen: np.random.Generator,
    n_features: int,
    hidden: int,
    n: int,
    batch_size: int,
    epochs: int,
    momentum: float,
) -> dict:
    """A drawn training run (weights, data, learning rate in [0.1, 0.5)) that keeps away from
    the kink; redrawn until it does (in practice the first draw almost always does)."""
    while True:
        X, y = labelled_points(gen, n, n_features)
        case = dict(
            weights=random_weights(gen, n_features, hidden),
            X=X,
            y=y,
            epochs=epochs,
            batch_size=batch_size,
            learning_rate=round(float(gen.uniform(0.1, 0.5)), 2),
            momentum=momentum,
        )
        if trajectory_away_from_kink(case):
            return case


def describe(case: dict) -> str:
    """The training run in words, for messages (sizes and settings, never the data)."""
    sizes = [int(np.shape(case["weights"][0])[0]), n_hidden(case["weights"]), 1]
    net = "-".join(str(s) for s in sizes if s)
    return (
        f"a {net} network, {len(case['X'])} samples, batch_size={case['batch_size']}, "
        f"epochs={case['epochs']}, learning_rate={case['learning_rate']}, momentum={case['momentum']}"
    )


def max_gap(got: list, want: list) -> float:
    """The largest absolute difference between two lists of same-shaped arrays."""
    return max(
        float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64))))
        for a, b in zip(got, want)
    )


def close(got: list, want: list, atol: float, rtol: float = 0.0) -> bool:
    """Whether two lists of arrays have the same shapes and agree within the tolerances."""
    if len(got) != len(want) or any(np.shape(a) != np.shape(b) for a, b in zip(got, want)):
        return False
    return all(np.allclose(np.asarray(a, np.float64), b, atol=atol, rtol=rtol) for a, b in zip(got, want))


def as_arrays(value, what: str) -> list[np.ndarray]:
    """The student's list of arrays as new float64 arrays (a later call cannot change them),
    or a failed check saying what is wrong."""
    import pytest

    if not isinstance(value, list | tuple):
        pytest.fail(f"{what} returned {type(value).__name__}; it should return a list of NumPy arrays")
    try:
        return [np.array(v, dtype=np.float64) for v in value]
    except Exception:
        pytest.fail(f"{what} returned a list holding something that is not an array of numbers")
