"""Misconception: the blog's 2 inputs hard-coded."""

import keras

EXPECTED_HINT = "accepts inputs of shape"


def build_model(n_features=2, hidden_units=5):
    inputs = keras.Input(shape=(2,))
    x = inputs
    if hidden_units > 0:
        x = keras.layers.Dense(hidden_units, activation="tanh")(x)
    outputs = keras.layers.Dense(1, activation="tanh")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer="adam", loss="hinge", metrics=["accuracy"])
    return model
