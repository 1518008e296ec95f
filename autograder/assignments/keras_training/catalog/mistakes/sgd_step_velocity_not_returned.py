"""Misconception: the velocity it was given returned, not the new one."""

import numpy as np

EXPECTED_HINT = "velocity does not carry over"
CAUSES = ("sgd_step_velocity_not_carried",)


def sgd_step(weights, grads, learning_rate, velocity=None, momentum=0.0):
    if velocity is None:
        velocity = [np.zeros(np.shape(w)) for w in weights]
    new_velocity = [momentum * v - learning_rate * g for v, g in zip(velocity, grads)]
    new_weights = [w + v for w, v in zip(weights, new_velocity)]
    return new_weights, velocity
