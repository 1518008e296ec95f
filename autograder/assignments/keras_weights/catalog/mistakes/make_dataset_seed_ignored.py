"""Misconception: the seed argument is accepted but never used."""

import numpy as np

EXPECTED_HINT = "same seed"


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    X = np.random.rand(n_samples, n_features)
    return X, np.where(X.sum(axis=1) > threshold, 1, -1)
