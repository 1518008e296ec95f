"""Valid style: train_by_hand built on the student's own manual_gradients and sgd_step (other
cells), each in another style than the reference."""

import numpy as np


def manual_gradients(weights, x, y):
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
    layers = list(zip(weights[0::2], weights[1::2]))
    acts = [x]
    for kernel, bias in layers:
        acts.append(np.tanh(acts[-1] @ kernel + bias))
    delta = np.where(y * acts[-1] < 1, -y, 0) * (1 - acts[-1] ** 2) / len(x)
    grads = []
    for i in range(len(layers) - 1, -1, -1):
        grads = [acts[i].T @ delta, delta.sum(0)] + grads
        delta = delta @ layers[i][0].T * (1 - acts[i] ** 2)
    return grads


def sgd_step(weights, grads, learning_rate, velocity=None, momentum=0.0):
    velocity = velocity or [0 * np.asarray(w, dtype=np.float64) for w in weights]
    velocity = [momentum * v - learning_rate * g for v, g in zip(velocity, grads)]
    return [w + v for w, v in zip(weights, velocity)], velocity


def train_by_hand(weights, X, y, epochs, batch_size, learning_rate, momentum=0.0):
    velocity = None
    for _ in range(epochs):
        for start in range(0, len(X), batch_size):
            batch = slice(start, start + batch_size)
            grads = manual_gradients(weights, X[batch], y[batch])
            weights, velocity = sgd_step(weights, grads, learning_rate, velocity, momentum)
    return weights
