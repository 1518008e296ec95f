"""Misconception: every point labelled +1 (the majority class), with no rule behind the labels."""

import numpy as np

EXPECTED_HINT = "every label is +1"


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, n_features))
    return X, np.ones(n_samples, dtype=int)
