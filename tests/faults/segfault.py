"""Fault: make_dataset crashes the interpreter (reads address 0)."""

import ctypes

EXERCISE = "make_dataset"
REASON = "segmentation fault"


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    return ctypes.string_at(0)
