"""Valid style: keras.Sequential instead of the functional API."""

import keras


def build_model(n_features=2, hidden_units=5):
    layers = [keras.Input(shape=(n_features,))]
    if hidden_units:
        layers.append(keras.layers.Dense(hidden_units, activation="tanh"))
    layers.append(keras.layers.Dense(1, activation="tanh"))
    model = keras.Sequential(layers)
    model.compile(optimizer="adam", loss="hinge", metrics=["accuracy"])
    return model
