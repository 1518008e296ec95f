"""Misconception: the model is built but never compiled, so fit() would fail later."""

import keras

EXPECTED_HINT = "not compiled"


def build_model(n_features=2, hidden_units=5):
    inputs = keras.Input(shape=(n_features,))
    x = inputs
    if hidden_units > 0:
        x = keras.layers.Dense(hidden_units, activation="tanh")(x)
    outputs = keras.layers.Dense(1, activation="tanh")(x)
    return keras.Model(inputs=inputs, outputs=outputs)
