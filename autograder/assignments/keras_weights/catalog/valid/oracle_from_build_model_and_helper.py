"""Valid: make_oracle_weights takes its shapes from the student's own build_model and uses a
helper function defined in a cell the student added (notebook semantics, across cells)."""

import numpy as np


def first_unit(shape, value=1.0):
    out = np.zeros(shape)
    out[..., 0] = value
    return out


def build_model(n_features=2, hidden_units=5):
    inputs = keras.Input(shape=(n_features,))  # noqa: F821 (the notebook imports keras)
    x = inputs
    if hidden_units > 0:
        x = keras.layers.Dense(hidden_units, activation="tanh")(x)  # noqa: F821
    outputs = keras.layers.Dense(1, activation="tanh")(x)  # noqa: F821
    model = keras.Model(inputs=inputs, outputs=outputs)  # noqa: F821
    model.compile(optimizer="adam", loss="hinge", metrics=["accuracy"])
    return model


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    shapes = [w.shape for w in build_model(n_features, hidden_units).get_weights()]
    if hidden_units == 0:
        return [np.ones(shapes[0]), np.full(shapes[1], -threshold)]
    kernel = first_unit(shapes[0])
    bias = first_unit(shapes[1], -threshold)
    out_kernel = np.zeros(shapes[2])
    out_kernel[0, 0] = 1.0
    return [kernel, bias, out_kernel, np.zeros(shapes[3])]
