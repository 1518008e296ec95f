"""Valid style: the oracle's weights and bias scaled by 10 (the same boundary, a steeper tanh)."""

import numpy as np


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    scale = 10.0
    if hidden_units == 0:
        return [np.full((n_features, 1), scale), np.array([-scale * threshold])]
    kernel = np.zeros((n_features, hidden_units))
    kernel[:, 0] = scale
    bias = np.zeros(hidden_units)
    bias[0] = -scale * threshold
    out_kernel = np.zeros((hidden_units, 1))
    out_kernel[0, 0] = 3.0
    return [kernel, bias, out_kernel, np.zeros(1)]
