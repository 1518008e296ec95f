"""Misconception: the forward pass imported from the release's helper file instead of written."""

from notebook_helpers import forward

EXPECTED_HINT = "cannot import name 'forward' from 'notebook_helpers' (notebook_helpers.py)"


def manual_forward(weights, x):
    return forward(weights, x)
