"""Misconception: tanh' taken as 1 - z squared of the pre-activation z, not of tanh(z)."""

import numpy as np

EXPECTED_HINT = "of the layer's output"


def manual_gradients(weights, x, y):
    inputs, zs = [np.asarray(x, dtype=np.float64)], []
    for kernel, bias in zip(weights[0::2], weights[1::2]):
        zs.append(inputs[-1] @ kernel + bias)
        inputs.append(np.tanh(zs[-1]))
    y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
    out = inputs[-1]
    delta = np.where(1.0 - y * out > 0, -y, 0.0) / len(y) * (1.0 - zs[-1] ** 2)
    grads = []
    for layer in reversed(range(len(weights) // 2)):
        grads[:0] = [inputs[layer].T @ delta, delta.sum(axis=0)]
        if layer:
            delta = (delta @ weights[2 * layer].T) * (1.0 - zs[layer - 1] ** 2)
    return grads
