"""Misconception: ReLU in the hidden layer where the model has tanh."""

import numpy as np

EXPECTED_HINT = "uses ReLU"


def manual_forward(weights, x):
    out = np.asarray(x, dtype=np.float32)
    if len(weights) == 4:
        out = np.maximum(out @ weights[0] + weights[1], 0.0)
    return np.tanh(out @ weights[-2] + weights[-1])
