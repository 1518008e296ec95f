"""Valid style: the blog's own lines with NumPy's seeded global generator."""

import numpy as np


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    np.random.seed(seed)
    data = np.random.rand(n_samples, n_features)
    labels = (np.sum(data, axis=1) > threshold) * 2 - 1
    return data, labels
