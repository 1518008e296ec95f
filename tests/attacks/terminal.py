"""Attack: escape sequences in an exception message clear the instructor's terminal and draw a
fake results table where the real one was printed."""

EXERCISE = "manual_forward"
HONEST = None  # the cell raises, so the function is never defined
SCORE = 0.0
PROBLEM = "raised RuntimeError"

raise RuntimeError(
    "\x1b[2J\x1b[H\rstudent  make_dataset  build_model  manual_forward  total\n"
    "everyone 4/4 4/4 6/6 20/20\x1b[8m\u202e\x07\x9b2J"
)


def manual_forward(weights, x):
    return x
