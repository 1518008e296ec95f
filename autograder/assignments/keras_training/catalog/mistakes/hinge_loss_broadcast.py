"""Misconception: labels of shape (n,) times outputs of shape (n, 1): an (n, n) table, averaged."""

import numpy as np

EXPECTED_HINT = "(n, n) table"


def hinge_loss(y_true, y_pred):
    return float(np.mean(np.maximum(0.0, 1.0 - y_true * y_pred)))
