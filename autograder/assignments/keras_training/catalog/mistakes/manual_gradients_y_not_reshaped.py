"""Misconception: labels of shape (n,) against outputs of shape (n, 1): an (n, n) table."""

import numpy as np

EXPECTED_HINT = "broadcast into an (n, n) table"


def manual_gradients(weights, x, y):
    acts = [np.asarray(x, dtype=np.float64)]
    for kernel, bias in zip(weights[0::2], weights[1::2]):
        acts.append(np.tanh(acts[-1] @ kernel + bias))
    out = acts[-1]
    delta = np.where(1.0 - y * out > 0, -y, 0.0) / len(y) * (1.0 - out**2)
    grads = []
    for layer in reversed(range(len(weights) // 2)):
        grads[:0] = [acts[layer].T @ delta, delta.sum(axis=0)]
        if layer:
            delta = (delta @ weights[2 * layer].T) * (1.0 - acts[layer] ** 2)
    return grads
