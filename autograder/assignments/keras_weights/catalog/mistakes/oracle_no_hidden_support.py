"""Misconception: hidden_units ignored: always the two arrays of the blog's oracle."""

import numpy as np

EXPECTED_HINT = "build_model's get_weights() has"


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    return [np.ones((n_features, 1)), np.array([-threshold])]
