"""Valid style: a Python loop over the samples, returning a NumPy scalar."""

import numpy as np


def hinge_loss(y_true, y_pred):
    labels, outputs = np.ravel(y_true), np.ravel(y_pred)
    total = 0.0
    for label, output in zip(labels, outputs):
        total += max(0.0, 1.0 - label * output)
    return np.float64(total / len(labels))
