"""Misconception: the blog's 0.5 hard-coded, so the threshold argument is ignored."""

import numpy as np

EXPECTED_HINT = "threshold argument"


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, n_features))
    return X, np.where(X.sum(axis=1) > 0.5, 1, -1)
