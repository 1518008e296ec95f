"""A sample submission with one typical mistake in each exercise (used by the demo)."""

import keras
import numpy as np


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, n_features))
    y = (X.sum(axis=1) > threshold).astype(int)  # mistake: labels 0/1 instead of -1/+1
    return X, y


def build_model(n_features=2, hidden_units=5):
    inputs = keras.Input(shape=(n_features,))
    x = inputs
    if hidden_units > 0:
        x = keras.layers.Dense(hidden_units, activation="relu")(x)  # mistake: relu, not tanh
    outputs = keras.layers.Dense(1, activation="tanh")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer="adam", loss="hinge", metrics=["accuracy"])
    return model


def manual_forward(weights, x):
    out = np.asarray(x, dtype=np.float32)
    for kernel in weights[0::2]:  # mistake: the biases are left out
        out = np.tanh(out @ kernel)
    return out


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    # mistake: the bias has the wrong sign, and a hidden layer is not supported
    return [np.ones((n_features, 1)), np.array([threshold])]
