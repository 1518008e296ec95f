"""Misconception: labels as a column (n, 1) instead of a flat (n,) array."""

import numpy as np

EXPECTED_HINT = "one label per row"


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, n_features))
    return X, np.where(X.sum(axis=1, keepdims=True) > threshold, 1, -1)
