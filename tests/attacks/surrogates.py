"""Attack: text no UTF-8 writer accepts (a lone surrogate) in the cell and in the exception it
raises, so that writing the graded notebook fails and the whole run dies. The test also puts
a lone surrogate into the cell's source itself, through the notebook's JSON."""

EXERCISE = "make_dataset"
HONEST = None  # it raises: every check of its exercise fails
SCORE = 0.0


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    raise ValueError("bad text: \ud800\udfff\ud800 and more")
