"""Misconception: tanh only in the hidden layer, the output left linear."""

import numpy as np

EXPECTED_HINT = "output tanh is missing"


def manual_forward(weights, x):
    out = np.asarray(x, dtype=np.float32)
    layers = list(zip(weights[0::2], weights[1::2]))
    for kernel, bias in layers[:-1]:
        out = np.tanh(out @ kernel + bias)
    kernel, bias = layers[-1]
    return out @ kernel + bias
