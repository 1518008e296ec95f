"""Valid style: einsum for every product, keepdims sums, and a tuple returned."""

import numpy as np


def manual_gradients(weights, x, y):
    acts = [np.asarray(x, dtype=np.float64)]
    for kernel, bias in zip(weights[0::2], weights[1::2]):
        acts.append(np.tanh(np.einsum("ni,io->no", acts[-1], kernel) + bias))
    y = np.asarray(y, dtype=np.float64).reshape(acts[-1].shape)
    active = (1.0 - y * acts[-1]) > 0
    delta = -y * active / y.shape[0] * (1.0 - np.square(acts[-1]))
    grads = []
    for layer in range(len(weights) // 2 - 1, -1, -1):
        grads = [np.einsum("ni,no->io", acts[layer], delta), delta.sum(axis=0, keepdims=True)[0], *grads]
        delta = np.einsum("no,io->ni", delta, weights[2 * layer]) * (1.0 - np.square(acts[layer]))
    return tuple(grads)
