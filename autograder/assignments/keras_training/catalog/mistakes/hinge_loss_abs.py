"""Misconception: abs() as the hinge: samples beyond the margin are penalised too."""

import numpy as np

EXPECTED_HINT = "abs() is not the hinge"


def hinge_loss(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=np.float64).reshape(-1)
    y_pred = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    return float(np.mean(np.abs(1.0 - y_true * y_pred)))
