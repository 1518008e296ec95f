"""Misconception: the blog's column form W^T x applied to a batch of rows."""

import numpy as np

EXPECTED_HINT = "kernel"


def manual_forward(weights, x):
    out = np.asarray(x, dtype=np.float32)
    for kernel, bias in zip(weights[0::2], weights[1::2]):
        out = np.tanh(kernel.T @ out + bias)
    return out
