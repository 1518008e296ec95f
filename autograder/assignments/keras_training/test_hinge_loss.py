"""Hidden checks for hinge_loss: NumPy alone must equal keras.losses.Hinge() on ±1 labels.

PYTEST_DONT_REWRITE: the messages are the hints; pytest must not add hidden values to them.
"""

import numpy as np
import pytest

from .support import LOSS_ATOL, RTOL, hinge, keras_hinge

#: Each misconception's loss, keyed by the hint it earns (``hinge``'s switches).
_VARIANTS = {
    "it sums the losses; the loss is their mean over the batch (divide by n)": dict(mean=False),
    "the max(0, ...) is missing: samples beyond the margin add nothing, not a negative loss": dict(
        clip=False
    ),
    "the sign is flipped: the loss is max(0, 1 - y * out)": dict(sign=-1.0),
    "the margin is missing: the loss is max(0, 1 - y * out), not max(0, -y * out)": dict(margin=0.0),
    "it squares the terms (that is keras.losses.SquaredHinge)": dict(square=True),
}


def loss_hint(y_true: np.ndarray, y_pred: np.ndarray, got: float) -> str:
    """Say what the function computes instead, judged from the value alone."""
    for hint, switches in _VARIANTS.items():
        if np.isclose(hinge(y_true, y_pred, **switches), got, atol=1e-6):
            return hint
    n = len(np.reshape(y_pred, -1))
    table = np.mean(np.maximum(0.0, 1.0 - np.reshape(y_true, -1) * np.reshape(y_pred, (-1, 1))))
    if n > 1 and np.isclose(table, got, atol=1e-6):
        return (
            "labels of shape (n,) against outputs of shape (n, 1) broadcast into an (n, n) "
            "table: reshape both to the same shape first"
        )
    if np.isclose(np.mean(np.abs(1.0 - np.reshape(y_true, -1) * np.reshape(y_pred, -1))), got, atol=1e-6):
        return "abs() is not the hinge: samples beyond the margin add nothing, use max(0, ...)"
    return "compute max(0, 1 - y * out) for each sample, then their mean"


def outputs(gen: np.random.Generator, n: int, spread: float) -> np.ndarray:
    """n outputs of shape (n, 1) in (-spread, spread), float32, none on the kink |out| = 1."""
    out = gen.uniform(-spread, spread, size=(n, 1))
    out[np.abs(np.abs(out) - 1.0) < 1e-3] = 0.5
    return out.astype(np.float32)


def labels(gen: np.random.Generator, n: int) -> np.ndarray:
    """n labels of ±1, float32, shape (n,), both present when n > 1."""
    y = gen.choice([-1.0, 1.0], size=n).astype(np.float32)
    y[:2] = [1.0, -1.0][: min(n, 2)]
    return y


def _loss(hinge_loss, y_true: np.ndarray, y_pred: np.ndarray) -> float:
    got = hinge_loss(y_true.copy(), y_pred.copy())
    assert np.size(got) == 1, (
        f"hinge_loss returned {np.size(got)} numbers for a batch of {len(y_pred)}; it should "
        "return one number: the mean of the per-sample losses"
    )
    try:
        return float(np.reshape(got, -1)[0])
    except Exception:
        pytest.fail(f"hinge_loss returned {type(got).__name__}, which is not a number")


def _assert_equals_keras(hinge_loss, y_true: np.ndarray, y_pred: np.ndarray, label: str) -> None:
    want = keras_hinge(y_true, y_pred)
    got = _loss(hinge_loss, y_true, y_pred)
    assert abs(got - want) <= LOSS_ATOL + RTOL * abs(want), (
        f"hinge_loss on {label} gives {got:.6g}; keras.losses.Hinge() gives {want:.6g}: "
        f"{loss_hint(y_true, y_pred, got)}"
    )


@pytest.mark.weight(1)
def test_returns_number(hinge_loss, draws):
    """hinge_loss returns one number for a batch of several samples."""
    gen = draws.rng("hinge_loss", "number")
    y_true, y_pred = labels(gen, 6).reshape(-1, 1), outputs(gen, 6, 0.9)
    raw = hinge_loss(y_true.copy(), y_pred.copy())
    assert np.ndim(raw) == 0, (
        f"hinge_loss should return one number, not {type(raw).__name__} of shape {np.shape(raw)}: "
        "a float, as float(np.mean(...)) gives"
    )
    got = _loss(hinge_loss, y_true, y_pred)
    assert np.isfinite(got), f"hinge_loss returned {got}; it should be a finite number"


@pytest.mark.weight(1)
def test_column_labels(hinge_loss, draws):
    """With labels and outputs both of shape (n, 1), it equals Keras' Hinge for several n."""
    gen = draws.rng("hinge_loss", "column")
    for n in (1, int(gen.integers(2, 10)), int(gen.integers(30, 300))):
        y_true = labels(gen, n).reshape(-1, 1)
        _assert_equals_keras(hinge_loss, y_true, outputs(gen, n, 0.99), f"{n} samples of shape (n, 1)")


@pytest.mark.weight(1)
def test_flat_labels(hinge_loss, draws):
    """With labels of shape (n,) and outputs of shape (n, 1), it pairs them sample by sample."""
    gen = draws.rng("hinge_loss", "flat")
    for n in (int(gen.integers(2, 10)), int(gen.integers(30, 300))):
        label = f"{n} labels of shape (n,) and outputs of shape (n, 1)"
        _assert_equals_keras(hinge_loss, labels(gen, n), outputs(gen, n, 0.99), label)


@pytest.mark.weight(1)
def test_beyond_the_margin(hinge_loss, draws):
    """Outputs beyond ±1 count as Keras counts them: a sample beyond the margin adds nothing."""
    gen = draws.rng("hinge_loss", "margin")
    n = int(gen.integers(8, 40))
    _assert_equals_keras(hinge_loss, labels(gen, n), outputs(gen, n, 3.0), f"{n} outputs in (-3, 3)")
