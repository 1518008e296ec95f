"""Attack: replace the grader's own functions from the student's cell."""

import sys

EXERCISE = "build_model"
HONEST = "build_model_relu_hidden"

try:
    import autograder.cell
    import autograder.engine.checks

    autograder.cell.grade = lambda *args, **kwargs: 4.0
    autograder.engine.checks.run_checks = lambda *args, **kwargs: None
except Exception:
    pass
for name in list(sys.modules):
    if name.startswith("autograder"):
        sys.modules[name].__dict__["POINTS"] = {"build_model": 0}


def build_model(n_features=2, hidden_units=5):
    inputs = keras.Input(shape=(n_features,))  # noqa: F821 (the notebook imports keras)
    x = inputs
    if hidden_units > 0:
        x = keras.layers.Dense(hidden_units, activation="relu")(x)  # noqa: F821
    outputs = keras.layers.Dense(1, activation="tanh")(x)  # noqa: F821
    model = keras.Model(inputs=inputs, outputs=outputs)  # noqa: F821
    model.compile(optimizer="adam", loss="hinge", metrics=["accuracy"])
    return model
