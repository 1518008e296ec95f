"""Misconception: the mean returned as an array of shape (1,), not as one number."""

import numpy as np

EXPECTED_HINT = "should return one number, not ndarray of shape (1,)"


def hinge_loss(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=np.float64).reshape(-1, 1)
    y_pred = np.asarray(y_pred, dtype=np.float64).reshape(-1, 1)
    return np.mean(np.maximum(0.0, 1.0 - y_true * y_pred), axis=0)
