"""Misconception: Keras asked for the loss inside the function."""

import keras

EXPECTED_HINT = "not available to hinge_loss"


def hinge_loss(y_true, y_pred):
    return float(keras.losses.Hinge()(y_true, y_pred))
