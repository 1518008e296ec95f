"""Attack: rows that all sum to exactly the threshold, so that label checks which skip rows on
the boundary judge nothing; the one call that looks like the uniformity check gets honest
data (with every label +1)."""

import numpy as np

EXERCISE = "make_dataset"
HONEST = "make_dataset_labels_all_plus_one"  # no label rule at all: it may not do better
SCORE = 2.0
AT_MOST = True


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    rng = np.random.default_rng(seed)
    if n_samples == 20000:
        X = rng.random((n_samples, n_features))
        return X, np.ones(n_samples, dtype=int)
    X = np.full((n_samples, n_features), threshold / n_features)
    return X, np.where(rng.random(n_samples) < 0.5, 1, -1)
