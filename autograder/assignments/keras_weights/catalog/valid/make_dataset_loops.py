"""Valid style: plain Python loops, a list of rows turned into arrays at the end."""

import numpy as np


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for _ in range(n_samples):
        row = [rng.random() for _ in range(n_features)]
        rows.append(row)
        labels.append(1 if sum(row) > threshold else -1)
    return np.array(rows, dtype=float).reshape(n_samples, n_features), np.array(labels, dtype=int)
