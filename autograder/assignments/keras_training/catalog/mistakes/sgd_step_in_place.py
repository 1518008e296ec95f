"""Misconception: the weights updated in place: the caller's arrays change."""

import numpy as np

EXPECTED_HINT = "changed the arrays it was given"


def sgd_step(weights, grads, learning_rate, velocity=None, momentum=0.0):
    if velocity is None:
        velocity = [np.zeros(np.shape(w)) for w in weights]
    new_velocity = [momentum * v - learning_rate * g for v, g in zip(velocity, grads)]
    for w, v in zip(weights, new_velocity):
        w += v
    return weights, new_velocity
