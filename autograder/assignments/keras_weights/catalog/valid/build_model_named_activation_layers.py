"""Valid style: named layers, with tanh as separate Activation layers."""

import keras


def build_model(n_features=2, hidden_units=5):
    inputs = keras.Input(shape=(n_features,), name="features")
    x = inputs
    if hidden_units > 0:
        x = keras.layers.Dense(hidden_units, name="hidden")(x)
        x = keras.layers.Activation("tanh", name="hidden_tanh")(x)
    x = keras.layers.Dense(1, name="output")(x)
    outputs = keras.layers.Activation("tanh", name="output_tanh")(x)
    model = keras.Model(inputs=inputs, outputs=outputs, name="blog_model")
    model.compile("adam", "hinge", metrics=["acc"])
    return model
