"""Misconception: the blog's 5 hidden units hard-coded."""

import keras

EXPECTED_HINT = "expected ["


def build_model(n_features=2, hidden_units=5):
    inputs = keras.Input(shape=(n_features,))
    x = keras.layers.Dense(5, activation="tanh")(inputs)
    outputs = keras.layers.Dense(1, activation="tanh")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer="adam", loss="hinge", metrics=["accuracy"])
    return model
