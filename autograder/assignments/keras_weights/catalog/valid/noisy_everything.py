"""Valid style: every function prints and warns while it works (nothing may cost a point)."""

import sys
import warnings

import keras
import numpy as np


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    print(f"making {n_samples} samples")
    warnings.warn("just so you know", stacklevel=1)
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, n_features))
    return X, np.where(X.sum(axis=1) > threshold, 1, -1)


def build_model(n_features=2, hidden_units=5):
    print("building", file=sys.stderr)
    inputs = keras.Input(shape=(n_features,))
    x = inputs
    if hidden_units > 0:
        x = keras.layers.Dense(hidden_units, activation="tanh")(x)
    model = keras.Model(inputs, keras.layers.Dense(1, activation="tanh")(x))
    model.compile(optimizer="adam", loss="hinge", metrics=["accuracy"])
    model.summary()
    return model


def manual_forward(weights, x):
    warnings.warn("computing by hand", UserWarning, stacklevel=1)
    out = np.asarray(x, dtype=np.float32)
    for kernel, bias in zip(weights[0::2], weights[1::2]):
        out = np.tanh(out @ kernel + bias)
        print("layer output shape", out.shape)
    return out


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    print("oracle for", n_features, threshold, hidden_units, file=sys.stderr)
    if hidden_units == 0:
        return [np.ones((n_features, 1)), np.array([-threshold])]
    kernel = np.zeros((n_features, hidden_units))
    kernel[:, 0] = 1.0
    bias = np.zeros(hidden_units)
    bias[0] = -threshold
    out_kernel = np.zeros((hidden_units, 1))
    out_kernel[0, 0] = 1.0
    return [kernel, bias, out_kernel, np.zeros(1)]
