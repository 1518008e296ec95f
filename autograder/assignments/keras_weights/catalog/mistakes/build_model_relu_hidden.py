"""Misconception: ReLU in the hidden layer, as in most tutorials, instead of the blog's tanh."""

import keras

EXPECTED_HINT = "hidden layer computes relu"


def build_model(n_features=2, hidden_units=5):
    inputs = keras.Input(shape=(n_features,))
    x = inputs
    if hidden_units > 0:
        x = keras.layers.Dense(hidden_units, activation="relu")(x)
    outputs = keras.layers.Dense(1, activation="tanh")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer="adam", loss="hinge", metrics=["accuracy"])
    return model
