"""Valid style: a while loop over batch start rows, min() for the last batch, a generator of
layers, and tuples of arrays returned."""

import numpy as np


def train_by_hand(weights, X, y, epochs, batch_size, learning_rate, momentum=0.0):
    params = tuple(np.array(w, dtype=np.float64) for w in weights)
    velocity = tuple(np.zeros_like(p) for p in params)
    n = X.shape[0]
    for _ in range(epochs):
        first = 0
        while first < n:
            last = min(first + batch_size, n)
            xb, yb = X[first:last], np.reshape(y[first:last], (-1, 1))
            acts = [xb]
            for kernel, bias in ((params[i], params[i + 1]) for i in range(0, len(params), 2)):
                acts.append(np.tanh(acts[-1] @ kernel + bias))
            delta = -yb * (1 - yb * acts[-1] > 0) / (last - first) * (1 - acts[-1] ** 2)
            grads = []
            for layer in range(len(params) // 2 - 1, -1, -1):
                grads.insert(0, delta.sum(axis=0))
                grads.insert(0, acts[layer].T @ delta)
                delta = delta @ params[2 * layer].T * (1 - acts[layer] ** 2)
            velocity = tuple(momentum * v - learning_rate * g for v, g in zip(velocity, grads))
            params = tuple(p + v for p, v in zip(params, velocity))
            first = last
    return list(params)
