"""Valid style: every function prints and warns while it works (nothing may cost a point)."""

import sys
import warnings

import numpy as np


def hinge_loss(y_true, y_pred):
    print("hinge over", np.size(y_pred), "samples")
    warnings.warn("just so you know", stacklevel=1)
    return float(np.mean(np.maximum(0, 1 - np.ravel(y_true) * np.ravel(y_pred))))


def manual_gradients(weights, x, y):
    print("gradients for", [np.shape(w) for w in weights], file=sys.stderr)
    acts = [np.asarray(x, dtype=np.float64)]
    for kernel, bias in zip(weights[0::2], weights[1::2]):
        acts.append(np.tanh(acts[-1] @ kernel + bias))
    y = np.reshape(y, (-1, 1))
    delta = np.where(1 - y * acts[-1] > 0, -y, 0) / len(y) * (1 - acts[-1] ** 2)
    grads = []
    for layer in reversed(range(len(weights) // 2)):
        grads[:0] = [acts[layer].T @ delta, delta.sum(axis=0)]
        delta = (delta @ weights[2 * layer].T) * (1 - acts[layer] ** 2)
    return grads


def sgd_step(weights, grads, learning_rate, velocity=None, momentum=0.0):
    warnings.warn("stepping", UserWarning, stacklevel=1)
    velocity = velocity if velocity is not None else [np.zeros(np.shape(w)) for w in weights]
    velocity = [momentum * v - learning_rate * np.asarray(g) for v, g in zip(velocity, grads)]
    print("step norm", sum(float(np.abs(v).sum()) for v in velocity))
    return [w + v for w, v in zip(weights, velocity)], velocity


def train_by_hand(weights, X, y, epochs, batch_size, learning_rate, momentum=0.0):
    velocity = None
    for epoch in range(epochs):
        print(f"epoch {epoch + 1}/{epochs}")
        for start in range(0, len(X), batch_size):
            rows = slice(start, start + batch_size)
            grads = manual_gradients(weights, X[rows], y[rows])
            weights, velocity = sgd_step(weights, grads, learning_rate, velocity, momentum)
    return weights
