"""Misconception: inputs averaged (weights 1/n) against the threshold meant for their sum."""

import numpy as np

EXPECTED_HINT = "mean of the inputs"


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    if hidden_units == 0:
        return [np.full((n_features, 1), 1.0 / n_features), np.array([-threshold])]
    kernel = np.zeros((n_features, hidden_units))
    kernel[:, 0] = 1.0 / n_features
    bias = np.zeros(hidden_units)
    bias[0] = -threshold
    out_kernel = np.zeros((hidden_units, 1))
    out_kernel[0, 0] = 1.0
    return [kernel, bias, out_kernel, np.zeros(1)]
