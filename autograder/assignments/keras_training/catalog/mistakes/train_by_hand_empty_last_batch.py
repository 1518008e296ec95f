"""Misconception: range(n // batch_size + 1) batches, one of them empty when batch_size divides n."""

import numpy as np

EXPECTED_HINT = "one batch too many"


def train_by_hand(weights, X, y, epochs, batch_size, learning_rate, momentum=0.0):
    weights = [np.array(w, dtype=np.float64) for w in weights]
    velocity = [np.zeros_like(w) for w in weights]
    for _ in range(epochs):
        for i in range(len(X) // batch_size + 1):
            xb = np.asarray(X[i * batch_size : (i + 1) * batch_size], dtype=np.float64)
            yb = np.asarray(y[i * batch_size : (i + 1) * batch_size], dtype=np.float64).reshape(-1, 1)
            acts = [xb]
            for kernel, bias in zip(weights[0::2], weights[1::2]):
                acts.append(np.tanh(acts[-1] @ kernel + bias))
            delta = np.where(1.0 - yb * acts[-1] > 0, -yb, 0.0) / max(len(yb), 1) * (1.0 - acts[-1] ** 2)
            grads = []
            for layer in reversed(range(len(weights) // 2)):
                grads[:0] = [acts[layer].T @ delta, delta.sum(axis=0)]
                if layer:
                    delta = (delta @ weights[2 * layer].T) * (1.0 - acts[layer] ** 2)
            velocity = [momentum * v - learning_rate * g for v, g in zip(velocity, grads)]
            weights = [w + v for w, v in zip(weights, velocity)]
    return weights
