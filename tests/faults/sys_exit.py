"""Fault: the manual_forward cell calls sys.exit while it is defined."""

import sys

EXERCISE = "manual_forward"
REASON = "SystemExit"

sys.exit("bye")


def manual_forward(weights, x):
    return x
