"""Attack: a model whose config describes a 6000 x 40000 Dense layer, so that the grader
rebuilding it runs out of memory."""

import json

EXERCISE = "build_model"
HONEST = None  # every check of build_model fails: the model is refused unbuilt
SCORE = 0.0
HINT = "ModelRefused: the model's input shape [None, 6000] is not this exercise's (at most 64 inputs)"


class Huge(keras.Model):  # noqa: F821 (the notebook imports keras)
    def to_json(self, **kwargs):
        config = json.loads(super().to_json(**kwargs))
        config.update(class_name="Functional", module="keras.src.models.functional", registered_name=None)
        for layer in config["config"]["layers"]:
            if layer["class_name"] == "InputLayer":
                layer["config"]["batch_shape"] = [None, 6000]
            if layer["class_name"] == "Dense":
                layer["config"]["units"] = 40000
        return json.dumps(config)


def build_model(n_features=2, hidden_units=5):
    inputs = keras.Input(shape=(n_features,))  # noqa: F821
    x = inputs
    if hidden_units > 0:
        x = keras.layers.Dense(hidden_units, activation="tanh")(x)  # noqa: F821
    outputs = keras.layers.Dense(1, activation="tanh")(x)  # noqa: F821
    model = Huge(inputs=inputs, outputs=outputs)
    model.compile(optimizer="adam", loss="hinge", metrics=["accuracy"])
    return model
