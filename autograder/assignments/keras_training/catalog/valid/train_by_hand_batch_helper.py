"""Valid style: a helper of the student's own (in a cell of its own) cuts the batches with
np.split; the loop works in float32, as Keras does."""

import numpy as np


def batches(n, batch_size):
    return np.split(np.arange(n), range(batch_size, n, batch_size))


def train_by_hand(weights, X, y, epochs, batch_size, learning_rate, momentum=0.0):
    weights = [np.array(w, dtype=np.float32) for w in weights]
    velocity = [np.zeros_like(w) for w in weights]
    X, y = np.asarray(X, dtype=np.float32), np.asarray(y, dtype=np.float32)
    for _epoch in range(epochs):
        for rows in batches(len(X), batch_size):
            acts = [X[rows]]
            for kernel, bias in zip(weights[0::2], weights[1::2]):
                acts.append(np.tanh(acts[-1] @ kernel + bias))
            labels = y[rows][:, None]
            delta = np.where(labels * acts[-1] < 1, -labels, 0) / len(rows) * (1 - acts[-1] ** 2)
            grads = [None] * len(weights)
            for layer in reversed(range(len(weights) // 2)):
                grads[2 * layer], grads[2 * layer + 1] = acts[layer].T @ delta, delta.sum(axis=0)
                delta = (delta @ weights[2 * layer].T) * (1 - acts[layer] ** 2)
            for i, g in enumerate(grads):
                velocity[i] = momentum * velocity[i] - learning_rate * g
                weights[i] = weights[i] + velocity[i]
    return weights
