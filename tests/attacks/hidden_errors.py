"""Attack: hide tracebacks and stderr, so that failing checks look silent."""

import os
import sys

import numpy as np

EXERCISE = "make_oracle_weights"
HONEST = "oracle_wrong_bias_sign"

sys.stderr = open(os.devnull, "w")  # noqa: SIM115
sys.excepthook = lambda *args: None


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    if hidden_units == 0:
        return [np.ones((n_features, 1)), np.array([threshold])]
    kernel = np.zeros((n_features, hidden_units))
    kernel[:, 0] = 1.0
    bias = np.zeros(hidden_units)
    bias[0] = threshold
    out_kernel = np.zeros((hidden_units, 1))
    out_kernel[0, 0] = 1.0
    return [kernel, bias, out_kernel, np.zeros(1)]
