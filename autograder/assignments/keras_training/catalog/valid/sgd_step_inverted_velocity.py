"""Valid style: the velocity kept with the opposite sign and subtracted (the same steps)."""

import numpy as np


def sgd_step(weights, grads, learning_rate, velocity=None, momentum=0.0):
    if velocity is None:
        velocity = [np.zeros_like(w, dtype=np.float64) for w in weights]
    velocity = [momentum * v + learning_rate * g for v, g in zip(velocity, grads)]
    return [w - v for w, v in zip(weights, velocity)], velocity
