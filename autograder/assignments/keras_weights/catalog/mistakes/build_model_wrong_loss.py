"""Misconception: mean squared error instead of the hinge loss."""

import keras

EXPECTED_HINT = "hinge loss"


def build_model(n_features=2, hidden_units=5):
    inputs = keras.Input(shape=(n_features,))
    x = inputs
    if hidden_units > 0:
        x = keras.layers.Dense(hidden_units, activation="tanh")(x)
    outputs = keras.layers.Dense(1, activation="tanh")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
    return model
