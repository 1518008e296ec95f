"""The exercise fixtures of keras_training, and the causes its exceptions usually have."""

import numpy as np

from autograder.engine.fixtures import exercise_fixtures


def explain(name: str, exc: BaseException, args: tuple) -> str:
    """Name the cause of an exception where the evidence shows it: the error's own text and the
    inputs the function was given (never a guess from the exception's type alone)."""
    text = str(exc)
    shapes = any(word in text for word in ("mismatch", "not aligned", "shapes", "broadcast"))
    if name in ("manual_gradients", "train_by_hand") and args:
        unpacked = "values to unpack" in text or isinstance(exc, IndexError)
        if unpacked and len(args[0]) == 2:
            return "without a hidden layer the weights are [W, b]: two arrays, one layer"
        y = args[2] if len(args) > 2 else None
        if shapes and np.ndim(y) == 1 and f" {len(y)}" in text:
            return (
                "y has shape (n,): against outputs of shape (n, 1) it broadcasts into an (n, n) "
                "table; reshape y to (n, 1) first"
            )
        if shapes:
            return (
                "each kernel has shape (inputs, units) and each batch holds one sample per row; "
                "the gradient of a kernel is a.T @ delta, shaped like the kernel"
            )
    if name == "sgd_step" and "NoneType" in text:
        return "velocity=None means the first step: start from zeros shaped like the weights"
    return ""


globals().update(exercise_fixtures(__file__, explain))
