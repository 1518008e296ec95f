"""Misconception: a non-zero output bias that shifts the sign near the boundary."""

import numpy as np

EXPECTED_HINT = "sign must follow"


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    if hidden_units == 0:
        return [np.ones((n_features, 1)), np.array([-threshold])]
    kernel = np.zeros((n_features, hidden_units))
    kernel[:, 0] = 1.0
    bias = np.zeros(hidden_units)
    bias[0] = -threshold
    out_kernel = np.zeros((hidden_units, 1))
    out_kernel[0, 0] = 1.0
    return [kernel, bias, out_kernel, np.array([0.2])]
