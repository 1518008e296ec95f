"""Misconception: the model rebuilt and asked: Keras inside the function."""

import keras

EXPECTED_HINT = "not available to manual_forward"


def manual_forward(weights, x):
    n_inputs = weights[0].shape[0]
    inputs = keras.Input(shape=(n_inputs,))
    out = inputs
    for kernel in weights[0::2]:
        out = keras.layers.Dense(kernel.shape[1], activation="tanh")(out)
    model = keras.Model(inputs, out)
    model.set_weights(weights)
    return model.predict(x, verbose=0)
