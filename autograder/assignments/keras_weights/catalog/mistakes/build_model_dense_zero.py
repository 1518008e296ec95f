"""Misconception: a hidden layer of hidden_units units even when hidden_units is 0 (Dense(0))."""

EXPECTED_HINT = "leave the hidden layer out when hidden_units is 0"


def build_model(n_features=2, hidden_units=5):
    inputs = keras.Input(shape=(n_features,))  # noqa: F821 (the notebook imports keras)
    hidden = keras.layers.Dense(hidden_units, activation="tanh")(inputs)  # noqa: F821
    outputs = keras.layers.Dense(1, activation="tanh")(hidden)  # noqa: F821
    model = keras.Model(inputs=inputs, outputs=outputs)  # noqa: F821
    model.compile(optimizer="adam", loss="hinge", metrics=["accuracy"])
    return model
