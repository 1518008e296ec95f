"""Misconception: only the new weights returned, without the velocity."""

import numpy as np

EXPECTED_HINT = "should return a pair"


def sgd_step(weights, grads, learning_rate, velocity=None, momentum=0.0):
    if velocity is None:
        velocity = [np.zeros(np.shape(w)) for w in weights]
    return [w + momentum * v - learning_rate * g for w, v, g in zip(weights, velocity, grads)]
