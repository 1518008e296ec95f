"""Fault: make_dataset never returns."""

EXERCISE = "make_dataset"
REASON = "time limit"


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    while True:
        pass
