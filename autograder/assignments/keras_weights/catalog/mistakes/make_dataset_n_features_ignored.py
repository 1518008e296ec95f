"""Misconception: the blog's 2 inputs hard-coded, so n_features is ignored."""

import numpy as np

EXPECTED_HINT = "expected ("


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, 2))
    return X, np.where(X.sum(axis=1) > threshold, 1, -1)
