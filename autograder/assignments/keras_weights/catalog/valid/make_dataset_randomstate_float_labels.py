"""Valid style: the legacy RandomState and float labels of +1.0 / -1.0."""

import numpy as np


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    rng = np.random.RandomState(seed)
    X = rng.rand(n_samples, n_features)
    y = np.sign(X.sum(axis=1) - threshold)
    y[y == 0] = -1.0
    return X, y
