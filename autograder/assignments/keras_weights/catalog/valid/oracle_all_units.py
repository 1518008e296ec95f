"""Valid style: every hidden unit carries the sum; the output adds them up. Tuples, not lists."""

import numpy as np


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    if hidden_units == 0:
        return (np.ones((n_features, 1)), -threshold * np.ones(1))
    kernel = np.ones((n_features, hidden_units))
    bias = np.full(hidden_units, -threshold)
    return (kernel, bias, np.ones((hidden_units, 1)), np.zeros(1))
