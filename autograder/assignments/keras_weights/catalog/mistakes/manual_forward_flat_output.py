"""Misconception: the output is flattened to shape (n,), unlike model.predict's (n, 1)."""

import numpy as np

EXPECTED_HINT = "one row per sample, one column for the single output unit"


def manual_forward(weights, x):
    out = np.asarray(x, dtype=np.float32)
    for kernel, bias in zip(weights[0::2], weights[1::2]):
        out = np.tanh(out @ kernel + bias)
    return out.ravel()
