"""Valid style: the blog's column vectors, tanh(W^T x + b), one sample at a time."""

import numpy as np


def manual_forward(weights, x):
    results = []
    for sample in np.asarray(x, dtype=np.float64):
        h = sample.reshape(-1, 1)
        for kernel, bias in zip(weights[0::2], weights[1::2]):
            h = np.tanh(kernel.T @ h + bias.reshape(-1, 1))
        results.append(h[0, 0])
    return np.array(results).reshape(-1, 1)
