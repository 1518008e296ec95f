"""Valid style: the two architectures spelled out, with np.dot."""

import numpy as np


def manual_forward(weights, x):
    if len(weights) == 2:
        kernel, bias = weights
        return np.tanh(np.dot(x, kernel) + bias)
    w1, b1, w2, b2 = weights
    hidden = np.tanh(np.dot(x, w1) + b1)
    return np.tanh(np.dot(hidden, w2) + b2)
