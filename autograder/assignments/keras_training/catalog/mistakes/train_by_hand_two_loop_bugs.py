"""Misconception: two loop bugs at once: the smaller last batch dropped, the velocity reset."""

import numpy as np

EXPECTED_HINT = (
    "two mistakes at once. First, the last, smaller batch is dropped: model.fit trains on it too. "
    "Second, the velocity starts again at zero each epoch"
)
CAUSES = ("train_by_hand_drops_last_batch", "train_by_hand_resets_velocity")


def train_by_hand(weights, X, y, epochs, batch_size, learning_rate, momentum=0.0):
    weights = [np.array(w, dtype=np.float64) for w in weights]
    n = len(X)
    for _ in range(epochs):
        velocity = [np.zeros_like(w) for w in weights]
        for start in range(0, n - batch_size + 1, batch_size):
            rows = slice(start, start + batch_size)
            xb = np.asarray(X[rows], dtype=np.float64)
            yb = np.asarray(y[rows], dtype=np.float64).reshape(-1, 1)
            acts = [xb]
            for kernel, bias in zip(weights[0::2], weights[1::2]):
                acts.append(np.tanh(acts[-1] @ kernel + bias))
            delta = np.where(1.0 - yb * acts[-1] > 0, -yb, 0.0) / len(yb) * (1.0 - acts[-1] ** 2)
            grads = []
            for layer in reversed(range(len(weights) // 2)):
                grads[:0] = [acts[layer].T @ delta, delta.sum(axis=0)]
                if layer:
                    delta = (delta @ weights[2 * layer].T) * (1.0 - acts[layer] ** 2)
            velocity = [momentum * v - learning_rate * g for v, g in zip(velocity, grads)]
            weights = [w + v for w, v in zip(weights, velocity)]
    return weights
