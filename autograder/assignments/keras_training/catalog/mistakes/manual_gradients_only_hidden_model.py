"""Misconception: the 2-layer network hard-coded: no support for weights [W, b]."""

import numpy as np

EXPECTED_HINT = "the weights are [W, b]"


def manual_gradients(weights, x, y):
    w1, b1, w2, b2 = weights
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
    hidden = np.tanh(x @ w1 + b1)
    out = np.tanh(hidden @ w2 + b2)
    delta = np.where(1.0 - y * out > 0, -y, 0.0) / len(y) * (1.0 - out**2)
    delta_hidden = (delta @ w2.T) * (1.0 - hidden**2)
    return [x.T @ delta_hidden, delta_hidden.sum(axis=0), hidden.T @ delta, delta.sum(axis=0)]
