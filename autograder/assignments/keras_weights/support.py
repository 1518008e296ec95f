"""What the keras_weights checks share: the network they compare with, the blog's data, tolerances."""

import functools
import json
from pathlib import Path

import numpy as np

from autograder.model.draws import away_from  # noqa: F401 (the checks draw from here)
from autograder.quiet import import_keras_quietly

#: float32 carries about 7 significant digits; a forward pass of two small Dense layers with
#: tanh outputs in [-1, 1] differs between NumPy and TensorFlow by at most a few 1e-7 (more
#: with TF32 matmuls on a GPU: grade on CPU). 1e-5 leaves a wide margin and still catches any
#: real mistake: a missing bias or activation moves outputs by 1e-2 or more.
ATOL = 1e-5

#: Held-out points closer than this to the decision plane sum(x) = threshold are skipped when
#: judging oracle weights: there float32 round-off, not the student, decides the sign.
BOUNDARY_MARGIN = 1e-5


def keras_module():
    """Return keras, imported without TensorFlow's log lines."""
    return import_keras_quietly()


@functools.cache
def reference_model(n_features: int, hidden_units: int):
    """The network the exercises describe, Input -> [Dense(hidden_units, tanh)] -> Dense(1, tanh),
    built once per size (each check sets its own weights)."""
    keras = keras_module()
    hidden = [keras.layers.Dense(hidden_units, activation="tanh")] if hidden_units else []
    return keras.Sequential(
        [keras.Input(shape=(n_features,)), *hidden, keras.layers.Dense(1, activation="tanh")]
    )


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
def blog(source_data: Path) -> dict:
    """Return the blog's printed weights, input and Keras output (``source_data/``)."""
    return json.loads((Path(source_data) / "blog_weights.json").read_text())


def blog_weights(source_data: Path) -> list[np.ndarray]:
    """Return the blog's trained weights in ``get_weights()`` order, as float32."""
    b = blog(source_data)
    keys = ("hidden_kernel", "hidden_bias", "output_kernel", "output_bias")
    return [np.asarray(b[k], dtype=np.float32) for k in keys]
