"""Misconception: the momentum and the velocity given ignored: every step plain SGD."""

import numpy as np

EXPECTED_HINT = "velocity does not carry over"
CAUSES = ("sgd_step_velocity_not_carried",)


def sgd_step(weights, grads, learning_rate, velocity=None, momentum=0.0):
    new_velocity = [-learning_rate * np.asarray(g) for g in grads]
    return [w + v for w, v in zip(weights, new_velocity)], new_velocity
