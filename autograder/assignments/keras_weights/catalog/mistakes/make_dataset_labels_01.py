"""Misconception: labels as 0/1 (as for a sigmoid) instead of the task's -1/+1."""

import numpy as np

EXPECTED_HINT = "0/1"


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, n_features))
    return X, (X.sum(axis=1) > threshold).astype(int)
