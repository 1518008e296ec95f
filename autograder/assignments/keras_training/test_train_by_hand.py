"""Hidden checks for train_by_hand: NumPy alone must land on model.fit's weights.

Each check trains a drawn network with ``model.fit(..., shuffle=False)`` and SGD, and with the
student's loop, from the same weights; the drawn runs keep away from the hinge's kink.

PYTEST_DONT_REWRITE: the messages are the hints; pytest must not add hidden values to them.
"""

import numpy as np
import pytest

from .support import TRAIN_ATOL, as_arrays, close, describe, keras_fit, max_gap, train, training_case

#: Each misconception's training, keyed by the hint it earns (``train``'s switches).
_VARIANTS = {
    "the last, smaller batch is dropped: model.fit trains on it too": dict(how="drop"),
    "the last batch is padded with rows from the start: model.fit's last batch holds only the "
    "rows that are left": dict(how="pad"),
    "an epoch takes one batch too many, an empty one, where batch_size divides the number of "
    "samples: with momentum even an empty batch's step moves the weights; take "
    "ceil(n / batch_size) batches, as range(0, n, batch_size) gives": dict(how="extra"),
    "the last batch's gradient is divided by batch_size: the loss is the mean over the rows the "
    "batch holds": dict(per_batch_size=True),
    "the velocity starts again at zero each epoch: model.fit's optimizer keeps it": dict(reset_velocity=True),
    "it trains one epoch only: repeat the pass over the data `epochs` times": dict(one_epoch=True),
    "it takes one step per epoch on all the data: cut each epoch into batches of batch_size": dict(
        full_batch=True
    ),
    "the steps go uphill: subtract learning_rate * gradient": dict(sign=1.0),
    "a layer is updated before the gradient of the layer below is computed: compute every "
    "gradient of a batch from the same weights, then update": dict(in_place=True),
}


_MOMENTUM_IGNORED = "the momentum is ignored: pass it to every step, with the velocity so far"


def _variant(case: dict, switches: dict) -> list:
    """``train`` with ``switches``; ``momentum_ignored`` trains as if the momentum were 0."""
    switches = dict(switches)
    if switches.pop("momentum_ignored", False):
        case = {**case, "momentum": 0.0}
    return train(case, **switches)


def _suspects(case: dict) -> dict[str, dict]:
    """The single mistakes worth trying on ``case``: each hint with its switches."""
    ignored = {_MOMENTUM_IGNORED: dict(momentum_ignored=True)} if case["momentum"] else {}
    return ignored | _VARIANTS


def training_hint(case: dict, got: list) -> str:
    """Say what the loop does instead of model.fit's, judged from the weights alone: one
    mistake, or two at once (a loop often holds two)."""
    suspects = _suspects(case)
    for hint, switches in suspects.items():
        if close(got, _variant(case, switches), atol=1e-4):
            return hint
    pairs = [
        (a, b)
        for i, a in enumerate(suspects)
        for b in list(suspects)[i + 1 :]
        if not set(suspects[a]) & set(suspects[b])
    ]
    for a, b in pairs:
        if close(got, _variant(case, suspects[a] | suspects[b]), atol=1e-4):
            return f"two mistakes at once. First, {a}. Second, {b}"
    return (
        "model.fit takes the batches in order (shuffle=False), each a gradient of the mean "
        "loss over its rows and one SGD step; compare your loop with that"
    )


def _assert_like_fit(train_by_hand, case: dict) -> None:
    start = [w.copy() for w in case["weights"]]
    got = as_arrays(
        train_by_hand(
            start,
            case["X"].copy(),
            case["y"].copy(),
            case["epochs"],
            case["batch_size"],
            case["learning_rate"],
            case["momentum"],
        ),
        "train_by_hand",
    )
    want = keras_fit(case)
    shapes = [w.shape for w in want]
    assert [w.shape for w in got] == shapes, (
        f"train_by_hand on {describe(case)} returned arrays of shapes {[w.shape for w in got]}; "
        f"expected {shapes}, the shapes of the weights it was given"
    )
    assert close(got, want, TRAIN_ATOL), (
        f"after training {describe(case)}, the weights differ from model.fit's by up to "
        f"{max_gap(got, want):.3g}: {training_hint(case, got)}"
    )


def _assert_like_fit_with_momentum(train_by_hand, gen, n: int, batch_size: int, epochs: int) -> None:
    """As ``_assert_like_fit``, on a drawn net of two inputs trained with a drawn momentum."""
    momentum = round(float(gen.uniform(0.5, 0.9)), 2)
    hidden = int(gen.integers(2, 9))
    _assert_like_fit(train_by_hand, training_case(gen, 2, hidden, n, batch_size, epochs, momentum))


@pytest.mark.weight(1)
def test_returns_weights(train_by_hand, draws):
    """It returns a list of arrays shaped like the weights it starts from."""
    case = training_case(draws.rng("train_by_hand", "shapes"), 2, 5, 20, 8, 1, 0.0)
    got = as_arrays(
        train_by_hand(case["weights"], case["X"], case["y"], 1, 8, case["learning_rate"], 0.0),
        "train_by_hand",
    )
    shapes = [w.shape for w in case["weights"]]
    assert [w.shape for w in got] == shapes, (
        f"train_by_hand returned arrays of shapes {[w.shape for w in got]}; expected {shapes}"
    )


@pytest.mark.weight(2)
def test_equals_fit_plain(train_by_hand, draws):
    """Plain SGD, several epochs, a smaller last batch: the weights equal model.fit's."""
    gen = draws.rng("train_by_hand", "plain")
    n_features, hidden, size = int(gen.integers(1, 5)), int(gen.integers(2, 9)), int(gen.integers(4, 13))
    n = size * int(gen.integers(2, 5)) + int(gen.integers(1, size))
    _assert_like_fit(
        train_by_hand, training_case(gen, n_features, hidden, n, size, int(gen.integers(2, 5)), 0.0)
    )


@pytest.mark.weight(1)
def test_equals_fit_momentum(train_by_hand, draws):
    """With momentum over several epochs (the velocity carries on) the weights equal model.fit's."""
    gen = draws.rng("train_by_hand", "momentum")
    size = int(gen.integers(4, 13))
    _assert_like_fit_with_momentum(
        train_by_hand, gen, size * int(gen.integers(2, 5)) + int(gen.integers(1, size)), size, 3
    )


@pytest.mark.weight(1)
def test_equals_fit_whole_batches(train_by_hand, draws):
    """With momentum, batch_size dividing the number of samples: the weights equal model.fit's."""
    gen = draws.rng("train_by_hand", "whole-batches")
    size = int(gen.integers(2, 9))
    _assert_like_fit_with_momentum(train_by_hand, gen, size * int(gen.integers(2, 5)), size, 2)


@pytest.mark.weight(1)
def test_equals_fit_no_hidden(train_by_hand, draws):
    """Without a hidden layer (weights [W, b]) the weights equal model.fit's."""
    gen = draws.rng("train_by_hand", "no-hidden")
    size = int(gen.integers(4, 13))
    n = size * 3 + int(gen.integers(1, size))
    _assert_like_fit(train_by_hand, training_case(gen, int(gen.integers(1, 5)), 0, n, size, 2, 0.5))


@pytest.mark.weight(1)
def test_inputs_unchanged(train_by_hand, draws):
    """It leaves the starting weights, X and y it is given unchanged."""
    case = training_case(draws.rng("train_by_hand", "unchanged"), 2, 5, 20, 8, 2, 0.5)
    given = [*case["weights"], case["X"], case["y"]]
    kept = [a.copy() for a in given]
    train_by_hand(case["weights"], case["X"], case["y"], 2, 8, case["learning_rate"], 0.5)
    same = all(np.array_equal(a, b) for a, b in zip(given, kept))
    assert same, (
        "train_by_hand changed the arrays it was given (updating the weights in place changes "
        "the caller's too); start from copies: [np.array(w) for w in weights]"
    )
