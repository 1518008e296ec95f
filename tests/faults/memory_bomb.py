"""Fault: build_model asks for far more memory than the machine has."""

EXERCISE = "build_model"
REASON = "MemoryError"


def build_model(n_features=2, hidden_units=5):
    hoard = [bytearray(1 << 30) for _ in range(64)]
    return hoard
