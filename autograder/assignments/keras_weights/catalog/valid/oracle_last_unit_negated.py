"""Valid style: the last hidden unit carries threshold - sum(x); the output weight -1 undoes it."""

import numpy as np


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    if hidden_units == 0:
        return [np.ones((n_features, 1), dtype=np.float32), np.array([-threshold], dtype=np.float32)]
    kernel = np.zeros((n_features, hidden_units), dtype=np.float32)
    kernel[:, -1] = -1.0
    bias = np.zeros(hidden_units, dtype=np.float32)
    bias[-1] = threshold
    out_kernel = np.zeros((hidden_units, 1), dtype=np.float32)
    out_kernel[-1, 0] = -1.0
    return [kernel, bias, out_kernel, np.zeros(1, dtype=np.float32)]
