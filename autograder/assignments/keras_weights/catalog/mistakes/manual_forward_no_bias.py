"""Misconception: a layer is only a matrix product; the biases are forgotten."""

import numpy as np

EXPECTED_HINT = "biases are missing"


def manual_forward(weights, x):
    out = np.asarray(x, dtype=np.float32)
    for kernel in weights[0::2]:
        out = np.tanh(out @ kernel)
    return out
