"""Misconception: each layer updated as soon as its gradient is known, while the layer below
still needs the old kernel."""

import numpy as np

EXPECTED_HINT = "a layer is updated before the gradient"


def train_by_hand(weights, X, y, epochs, batch_size, learning_rate, momentum=0.0):
    weights = [np.array(w, dtype=np.float64) for w in weights]
    velocity = [np.zeros_like(w) for w in weights]
    for _ in range(epochs):
        for start in range(0, len(X), batch_size):
            xb = np.asarray(X[start : start + batch_size], dtype=np.float64)
            yb = np.asarray(y[start : start + batch_size], dtype=np.float64).reshape(-1, 1)
            acts = [xb]
            for kernel, bias in zip(weights[0::2], weights[1::2]):
                acts.append(np.tanh(acts[-1] @ kernel + bias))
            delta = np.where(1.0 - yb * acts[-1] > 0, -yb, 0.0) / len(yb) * (1.0 - acts[-1] ** 2)
            for layer in reversed(range(len(weights) // 2)):
                for i, g in ((2 * layer, acts[layer].T @ delta), (2 * layer + 1, delta.sum(axis=0))):
                    velocity[i] = momentum * velocity[i] - learning_rate * g
                    weights[i] += velocity[i]
                if layer:
                    delta = (delta @ weights[2 * layer].T) * (1.0 - acts[layer] ** 2)
    return weights
