"""Misconception: the blog's weights copied: only right for 2 inputs, 0.5 and no hidden layer."""

import numpy as np

EXPECTED_HINT = "build_model's get_weights() has"
CAUSES = ("oracle_threshold_ignored", "oracle_no_hidden_support")


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    return [np.array([[1.0], [1.0]]), np.array([-0.5])]
