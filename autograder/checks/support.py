"""What the hidden checks share: the student's functions, the reference model, tolerances."""

import builtins
import contextlib
import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from autograder.quiet import import_keras_quietly
from autograder.sandbox.protocol import FRAMEWORKS, NO_FRAMEWORK, Blocked
from autograder.variants import away_from, rng  # noqa: F401 (the checks draw from here)

#: Where the grader puts the functions under test (a dict name -> callable) in pytest's stash.
SUBMISSION_KEY = pytest.StashKey[dict]()

#: float32 carries about 7 significant digits; a forward pass of two small Dense layers with
#: tanh outputs in [-1, 1] differs between NumPy and TensorFlow by at most a few 1e-7 (more
#: with TF32 matmuls on a GPU: grade on CPU). 1e-5 leaves a wide margin and still catches any
#: real mistake: a missing bias or activation moves outputs by 1e-2 or more.
ATOL = 1e-5

#: Held-out points closer than this to the decision plane sum(x) = threshold are skipped when
#: judging oracle weights: there float32 round-off, not the student, decides the sign.
BOUNDARY_MARGIN = 1e-5


class StudentCodeError(AssertionError):
    """The student's function raised: reported as a failed check with the error it raised."""


def student(name: str, func: Callable) -> Callable:
    """Wrap ``func`` so an exception it raises fails the check with a readable message."""

    hide = frameworks_hidden if name == "manual_forward" else _nothing_hidden

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            with hide(func):
                return func(*args, **kwargs)
        except Exception as exc:
            shown = ", ".join([_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in kwargs.items()])
            hint = _exception_hint(name, exc, args)
            raise StudentCodeError(
                f"{name}({shown}) raised {type(exc).__name__}: {exc}" + (f"; {hint}" if hint else "")
            ) from None

    return call


@contextlib.contextmanager
def frameworks_hidden(func: Callable):
    """While ``func`` runs, its ``keras`` and any framework import say: NumPy only.

    This is how the grading sandbox runs manual_forward (with no framework installed at
    all), done in-process so that every way of grading gives the same verdict.
    """
    names = getattr(func, "__globals__", {})
    saved = {k: names[k] for k in ("keras", "tf", "tensorflow") if k in names}
    real_import = builtins.__import__

    def guarded_import(name, *args, **kwargs):
        if name.split(".")[0] in FRAMEWORKS:
            raise ImportError(NO_FRAMEWORK)
        return real_import(name, *args, **kwargs)

    names.update(dict.fromkeys(saved, Blocked()))
    builtins.__import__ = guarded_import
    try:
        yield
    finally:
        builtins.__import__ = real_import
        names.update(saved)


@contextlib.contextmanager
def _nothing_hidden(func: Callable):
    yield


def _exception_hint(name: str, exc: Exception, args: tuple) -> str:
    """Say what usually causes an error like ``exc`` in ``name``, from the inputs it was given."""
    if name != "manual_forward" or not args:
        return ""
    if len(args[0]) == 2 and isinstance(exc, ValueError | IndexError | TypeError):
        return "without a hidden layer the weights are [W, b]: two arrays, one layer"
    if isinstance(exc, ValueError) and any(w in str(exc) for w in ("mismatch", "align", "shape")):
        return (
            "each kernel has shape (inputs, units) and x holds one sample per row; "
            "multiply them in the order their shapes allow"
        )
    return ""


def _short(value: Any) -> str:
    """Show an argument briefly: arrays by shape, never by content (hidden inputs stay hidden)."""
    if isinstance(value, np.ndarray):
        return f"<array of shape {value.shape}>"
    if isinstance(value, list) and value and isinstance(value[0], np.ndarray):
        return f"<{len(value)} weight arrays>"
    return repr(value)


def keras_module():
    """Return keras, imported without TensorFlow's log lines."""
    return import_keras_quietly()


@functools.cache
def reference_model(n_features: int, hidden_units: int):
    """Return the kit's own model for these sizes (built once, weights set by each check)."""
    from autograder.reference import reference_functions

    return reference_functions()["build_model"](n_features=n_features, hidden_units=hidden_units)


def predict(model, x: np.ndarray) -> np.ndarray:
    """Return ``model.predict(x)`` without a progress bar (what manual_forward must match)."""
    return np.asarray(model.predict(np.asarray(x, dtype=np.float32), verbose=0))


def outputs(model, x: np.ndarray) -> np.ndarray:
    """Return the model's outputs in one eager call: predict's values, without its tracing."""
    keras = keras_module()
    return keras.ops.convert_to_numpy(model(np.asarray(x, dtype=np.float32), training=False))


def random_weights(gen: np.random.Generator, n_features: int, hidden_units: int) -> list:
    """Draw float32 weights in ``get_weights()`` order, large enough to reach tanh's curve."""
    shapes = [w.shape for w in reference_model(n_features, hidden_units).get_weights()]
    return [gen.normal(0.0, 1.0, size=s).astype(np.float32) for s in shapes]


def labels_for(x: np.ndarray, threshold: float) -> np.ndarray:
    """Return the task's labels: +1 where the row sum exceeds ``threshold``, else -1."""
    return np.where(np.asarray(x, dtype=np.float64).sum(axis=1) > threshold, 1, -1)


@functools.cache
def blog() -> dict:
    """Return the blog's printed weights, input and Keras output (``source_data/``)."""
    import json

    from autograder.paths import SOURCE_DATA_DIR

    return json.loads((SOURCE_DATA_DIR / "blog_weights.json").read_text())


def blog_weights() -> list[np.ndarray]:
    """Return the blog's trained weights in ``get_weights()`` order, as float32."""
    b = blog()
    keys = ("hidden_kernel", "hidden_bias", "output_kernel", "output_bias")
    return [np.asarray(b[k], dtype=np.float32) for k in keys]
