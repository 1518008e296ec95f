"""Misconception: the squared hinge instead of the hinge."""

import numpy as np

EXPECTED_HINT = "squares the terms"


def hinge_loss(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=np.float64).reshape(-1)
    y_pred = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    return float(np.mean(np.maximum(0.0, 1.0 - y_true * y_pred) ** 2))
