"""A sample submission with one typical mistake in each exercise (used by the demo)."""

import numpy as np


def hinge_loss(y_true, y_pred):
    y_true = np.reshape(y_true, -1)
    y_pred = np.reshape(y_pred, -1)
    return float(np.sum(np.maximum(0.0, 1.0 - y_true * y_pred)))  # mistake: a sum, not the mean


def manual_gradients(weights, x, y):
    acts = [np.asarray(x, dtype=np.float64)]
    for kernel, bias in zip(weights[0::2], weights[1::2]):
        acts.append(np.tanh(acts[-1] @ kernel + bias))
    y = np.reshape(y, (-1, 1))
    delta = np.where(1.0 - y * acts[-1] > 0, -y, 0.0) / len(y) * (1.0 - acts[-1])  # mistake: 1 - tanh
    grads = []
    for layer in reversed(range(len(weights) // 2)):
        grads[:0] = [acts[layer].T @ delta, delta.sum(axis=0)]
        if layer:
            delta = (delta @ weights[2 * layer].T) * (1.0 - acts[layer])  # the same mistake
    return grads


def sgd_step(weights, grads, learning_rate, velocity=None, momentum=0.0):
    velocity = [-learning_rate * np.asarray(g) for g in grads]  # mistake: the momentum is lost
    return [w + v for w, v in zip(weights, velocity)], velocity


def train_by_hand(weights, X, y, epochs, batch_size, learning_rate, momentum=0.0):
    weights = [np.array(w, dtype=np.float64) for w in weights]
    velocity = [np.zeros_like(w) for w in weights]
    for _ in range(epochs):
        for start in range(0, len(X) - batch_size + 1, batch_size):  # mistake: drops the last batch
            xb = np.asarray(X[start : start + batch_size], dtype=np.float64)
            yb = np.reshape(y[start : start + batch_size], (-1, 1))
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
