"""Misconception: the step taken up the gradient: w + learning_rate * g."""

import numpy as np

EXPECTED_HINT = "goes uphill"


def sgd_step(weights, grads, learning_rate, velocity=None, momentum=0.0):
    if velocity is None:
        velocity = [np.zeros(np.shape(w)) for w in weights]
    new_velocity = [momentum * v + learning_rate * g for v, g in zip(velocity, grads)]
    new_weights = [w + v for w, v in zip(weights, new_velocity)]
    return new_weights, new_velocity
