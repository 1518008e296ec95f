"""Valid style: float32 data straight from the generator."""

import numpy as np


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, n_features), dtype=np.float32)
    return X, np.where(X.sum(axis=1) > threshold, 1.0, -1.0).astype(np.float32)
