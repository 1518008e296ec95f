"""Misconception: the biases switched off (use_bias=False)."""

import keras

EXPECTED_HINT = "has a kernel and a bias"


def build_model(n_features=2, hidden_units=5):
    inputs = keras.Input(shape=(n_features,))
    x = inputs
    if hidden_units > 0:
        x = keras.layers.Dense(hidden_units, activation="tanh", use_bias=False)(x)
    outputs = keras.layers.Dense(1, activation="tanh", use_bias=False)(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer="adam", loss="hinge", metrics=["accuracy"])
    return model
