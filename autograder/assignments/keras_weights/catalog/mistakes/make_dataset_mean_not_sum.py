"""Misconception: the rule applied to the mean of a row rather than its sum."""

import numpy as np

EXPECTED_HINT = "mean of each row"


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, n_features))
    return X, np.where(X.mean(axis=1) > threshold, 1, -1)
