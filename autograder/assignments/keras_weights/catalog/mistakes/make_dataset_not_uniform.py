"""Misconception: normal noise clipped into [0, 1) instead of uniform draws."""

import numpy as np

EXPECTED_HINT = "not uniform"


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    rng = np.random.default_rng(seed)
    X = np.clip(rng.normal(0.5, 0.2, size=(n_samples, n_features)), 0.0, 0.999)
    return X, np.where(X.sum(axis=1) > threshold, 1, -1)
