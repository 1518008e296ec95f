"""Valid style: optimizer, loss and metric objects instead of their names."""

import keras


def build_model(n_features=2, hidden_units=5):
    inputs = keras.Input(shape=(n_features,))
    x = inputs
    if hidden_units > 0:
        x = keras.layers.Dense(hidden_units, activation=keras.activations.tanh)(x)
    outputs = keras.layers.Dense(1, activation=keras.activations.tanh)(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss=keras.losses.Hinge(),
        metrics=[keras.metrics.BinaryAccuracy()],
    )
    return model
