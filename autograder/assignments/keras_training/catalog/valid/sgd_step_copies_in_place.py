"""Valid style: copies made first, then updated in place with NumPy's out= arguments."""

import numpy as np


def sgd_step(weights, grads, learning_rate, velocity=None, momentum=0.0):
    new_weights = [np.array(w, dtype=np.float64) for w in weights]
    if velocity is None:
        new_velocity = [np.zeros_like(w) for w in new_weights]
    else:
        new_velocity = [np.array(v, dtype=np.float64) for v in velocity]
    for w, v, g in zip(new_weights, new_velocity, grads):
        np.multiply(v, momentum, out=v)
        v -= learning_rate * np.asarray(g)
        w += v
    return (new_weights, new_velocity)
