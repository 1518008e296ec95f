"""Misconception: the input's shape given as a number, keras.Input(shape=n_features), not a tuple."""

EXPECTED_HINT = "`shape` takes a tuple"


def build_model(n_features=2, hidden_units=5):
    inputs = keras.Input(shape=n_features)  # noqa: F821 (the notebook imports keras)
    x = inputs
    if hidden_units > 0:
        x = keras.layers.Dense(hidden_units, activation="tanh")(x)  # noqa: F821
    outputs = keras.layers.Dense(1, activation="tanh")(x)  # noqa: F821
    model = keras.Model(inputs=inputs, outputs=outputs)  # noqa: F821
    model.compile(optimizer="adam", loss="hinge", metrics=["accuracy"])
    return model
