"""The exercises of the assignment and their points: the one table grader and notebook share."""

ASSIGNMENT = "keras_weights"

#: Points per exercise, in notebook order. The notebook's graded cells carry the same numbers
#: (a kit test holds them together).
POINTS: dict[str, int] = {
    "make_dataset": 4,
    "build_model": 4,
    "manual_forward": 6,
    "make_oracle_weights": 6,
}

EXERCISES: tuple[str, ...] = tuple(POINTS)


def test_cell_id(exercise: str) -> str:
    """Return the nbgrader ``grade_id`` of the graded test cell of ``exercise``."""
    return f"test_{exercise}"
