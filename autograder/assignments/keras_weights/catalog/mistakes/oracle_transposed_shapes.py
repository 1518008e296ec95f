"""Misconception: the kernel shaped (units, inputs) as in the blog's W^T."""

import numpy as np

EXPECTED_HINT = "build_model's get_weights() has"


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    if hidden_units == 0:
        return [np.ones((1, n_features)), np.array([-threshold])]
    kernel = np.zeros((hidden_units, n_features))
    kernel[0, :] = 1.0
    bias = np.zeros(hidden_units)
    bias[0] = -threshold
    out_kernel = np.zeros((1, hidden_units))
    out_kernel[0, 0] = 1.0
    return [kernel, bias, out_kernel, np.zeros(1)]
