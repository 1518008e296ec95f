"""Misconception: the margin is forgotten: max(0, -y*out), the perceptron's loss."""

import numpy as np

EXPECTED_HINT = "margin is missing"


def hinge_loss(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=np.float64).reshape(-1)
    y_pred = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    return float(np.mean(np.maximum(0.0, -y_true * y_pred)))
