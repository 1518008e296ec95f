"""Misconception: the blog's column vectors kept, so the output is (1, n), not model.predict's (n, 1)."""

import numpy as np

EXPECTED_HINT = "the blog's column vectors give the transpose"


def manual_forward(weights, x):
    out = np.asarray(x, dtype=np.float32).T  # one column per sample, as the blog writes x
    for kernel, bias in zip(weights[0::2], weights[1::2]):
        out = np.tanh(kernel.T @ out + bias.reshape(-1, 1))
    return out
