"""Attack: an exception message of thousands of characters, a channel for anything the code
could read, into the feedback."""

EXERCISE = "make_oracle_weights"
HONEST = None  # it raises: every check of its exercise fails
SCORE = 0.0


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    raise ValueError("A" * 5000 + "SECRET-TAIL")
