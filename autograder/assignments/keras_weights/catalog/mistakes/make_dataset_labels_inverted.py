"""Misconception: +1 below the threshold and -1 above: the classes swapped."""

import numpy as np

EXPECTED_HINT = "inverted"


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, n_features))
    return X, np.where(X.sum(axis=1) > threshold, -1, 1)
