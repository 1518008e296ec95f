"""Misconception: the hinge without its max(0, ...): a sample beyond the margin earns a negative loss."""

import numpy as np

EXPECTED_HINT = "max(0, ...) is missing"


def hinge_loss(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=np.float64).reshape(-1)
    y_pred = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    return float(np.mean(1.0 - y_true * y_pred))
