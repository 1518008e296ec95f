"""Misconception: weights -1 and bias +threshold: the right boundary, the wrong side."""

import numpy as np

EXPECTED_HINT = "signs are flipped"


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    if hidden_units == 0:
        return [-np.ones((n_features, 1)), np.array([threshold])]
    kernel = np.zeros((n_features, hidden_units))
    kernel[:, 0] = -1.0
    bias = np.zeros(hidden_units)
    bias[0] = threshold
    out_kernel = np.zeros((hidden_units, 1))
    out_kernel[0, 0] = 1.0
    return [kernel, bias, out_kernel, np.zeros(1)]
