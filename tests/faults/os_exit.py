"""Fault: make_oracle_weights ends the process with os._exit."""

import os

EXERCISE = "make_oracle_weights"
REASON = "ended the process"


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    os._exit(0)
