"""Misconception: values drawn from [-1, 1) instead of [0, 1)."""

import numpy as np

EXPECTED_HINT = "should lie in [0, 1)"


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, n_features))
    return X, np.where(X.sum(axis=1) > threshold, 1, -1)
