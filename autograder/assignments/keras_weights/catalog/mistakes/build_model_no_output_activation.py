"""Misconception: the output layer left linear (no tanh), so outputs are not squashed into (-1, 1)."""

EXPECTED_HINT = "the output layer computes linear (no activation); it should apply tanh"


def build_model(n_features=2, hidden_units=5):
    inputs = keras.Input(shape=(n_features,))  # noqa: F821 (the notebook imports keras)
    x = inputs
    if hidden_units > 0:
        x = keras.layers.Dense(hidden_units, activation="tanh")(x)  # noqa: F821
    outputs = keras.layers.Dense(1)(x)  # noqa: F821
    model = keras.Model(inputs=inputs, outputs=outputs)  # noqa: F821
    model.compile(optimizer="adam", loss="hinge", metrics=["accuracy"])
    return model
