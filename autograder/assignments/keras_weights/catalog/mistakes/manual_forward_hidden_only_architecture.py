"""Misconception: written for the blog's [W1, b1, W2, b2] only; [W, b] breaks."""

import numpy as np

EXPECTED_HINT = "[W, b]"


def manual_forward(weights, x):
    w1, b1, w2, b2 = weights
    hidden = np.tanh(np.asarray(x, dtype=np.float32) @ w1 + b1)
    return np.tanh(hidden @ w2 + b2)
