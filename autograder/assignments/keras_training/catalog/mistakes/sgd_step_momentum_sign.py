"""Misconception: momentum added with the wrong sign: v = learning_rate * g - momentum * v, then w - v."""

import numpy as np

EXPECTED_HINT = "previous velocity is subtracted"


def sgd_step(weights, grads, learning_rate, velocity=None, momentum=0.0):
    if velocity is None:
        velocity = [np.zeros(np.shape(w)) for w in weights]
    new_velocity = [learning_rate * g - momentum * v for v, g in zip(velocity, grads)]
    return [w - v for w, v in zip(weights, new_velocity)], new_velocity
