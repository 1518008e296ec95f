"""Misconception: Nesterov's update instead of Keras' plain momentum."""

import numpy as np

EXPECTED_HINT = "Nesterov"


def sgd_step(weights, grads, learning_rate, velocity=None, momentum=0.0):
    if velocity is None:
        velocity = [np.zeros(np.shape(w)) for w in weights]
    new_velocity = [momentum * v - learning_rate * g for v, g in zip(velocity, grads)]
    new_weights = [w + momentum * v - learning_rate * g for w, v, g in zip(weights, new_velocity, grads)]
    return new_weights, new_velocity
