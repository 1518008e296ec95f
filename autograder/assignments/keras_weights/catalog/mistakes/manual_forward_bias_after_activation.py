"""Misconception: the bias added after tanh instead of inside it."""

import numpy as np

EXPECTED_HINT = "after tanh"


def manual_forward(weights, x):
    out = np.asarray(x, dtype=np.float32)
    for kernel, bias in zip(weights[0::2], weights[1::2]):
        out = np.tanh(out @ kernel) + bias
    return out
