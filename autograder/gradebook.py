"""Record scores in nbgrader's gradebook, so export, formgrader and feedback keep working."""

import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from autograder.errors import KitError
from autograder.scores import exercise_of


def db_url(root: Path) -> str:
    return f"sqlite:///{Path(root) / 'gradebook.db'}"


def require_assignment(root: Path, assignment: str) -> None:
    """Raise ``KitError`` unless the gradebook knows the assignment (made by its release)."""
    if not (Path(root) / "gradebook.db").is_file():
        raise KitError(f"no gradebook.db in {root}", "run `autograder release` in the course root")
    with Gradebook(db_url(root)) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            raise KitError(
                f"the gradebook has no assignment {assignment!r}",
                "run `autograder release` (nbgrader generate_assignment) first",
            ) from None


def record(root: Path, assignment: str, student: str, points: dict[str, float]) -> None:
    """Write one student's points: each exercise's graded cell gets its points, checks 0."""
    with warnings.catch_warnings(), Gradebook(db_url(root)) as gb:
        warnings.simplefilter("ignore")  # SQLAlchemy's notes about nbgrader's own sessions
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                exercise = exercise_of(grade.name)
                earned = points.get(exercise, 0.0) if grade.name.startswith("test_") else 0.0
                grade.auto_score = min(earned, grade.max_score)
                grade.needs_manual_grade = False
        gb.db.commit()


def grade_rows(root: Path, assignment: str) -> dict[tuple[str, str], int]:
    """Count the grade rows per (student, cell): each must be exactly 1."""
    counts: dict[tuple[str, str], int] = {}
    with Gradebook(db_url(root)) as gb:
        for submission in gb.assignment_submissions(assignment):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    key = (submission.student.id, grade.name)
                    counts[key] = counts.get(key, 0) + 1
    return counts
