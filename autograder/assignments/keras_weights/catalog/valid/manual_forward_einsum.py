"""Valid style: einsum for the weighted sums, float64 throughout."""

import numpy as np


def manual_forward(weights, x):
    out = np.asarray(x, dtype=np.float64)
    for i in range(0, len(weights), 2):
        out = np.tanh(np.einsum("ni,iu->nu", out, weights[i]) + weights[i + 1])
    return out
