"""Valid style: a velocity of gradients, scaled by the learning rate when applied (the same
steps for a fixed learning rate), returned as a tuple of tuples."""

import numpy as np


def sgd_step(weights, grads, learning_rate, velocity=None, momentum=0.0):
    velocity = velocity if velocity is not None else [0.0] * len(weights)
    velocity = tuple(momentum * v - np.asarray(g) for v, g in zip(velocity, grads))
    weights = tuple(w + learning_rate * v for w, v in zip(weights, velocity))
    return weights, velocity
