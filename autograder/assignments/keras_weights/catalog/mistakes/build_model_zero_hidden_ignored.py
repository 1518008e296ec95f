"""Misconception: hidden_units=0 still gets a hidden layer (of one unit)."""

import keras

EXPECTED_HINT = "with no hidden units"


def build_model(n_features=2, hidden_units=5):
    inputs = keras.Input(shape=(n_features,))
    x = keras.layers.Dense(max(hidden_units, 1), activation="tanh")(inputs)
    outputs = keras.layers.Dense(1, activation="tanh")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer="adam", loss="hinge", metrics=["accuracy"])
    return model
