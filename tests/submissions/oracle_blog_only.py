"""Misconception: the blog's weights copied, valid only for 2 inputs, threshold 0.5, no hidden layer."""

import numpy as np


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    return [np.array([[1.0], [1.0]]), np.array([-0.5])]
