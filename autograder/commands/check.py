"""``autograder check``: grade one notebook with the hidden checks, as the instructor's grader would."""

from pathlib import Path

from autograder.course.layout import Course
from autograder.course.secret import read_secret
from autograder.engine.inprocess import grade_functions, load_notebook
from autograder.engine.notebook import Node, read_notebook, solution_sources
from autograder.engine.result import SubmissionResult
from autograder.errors import KitError
from autograder.grading.references import references as reference_solutions
from autograder.model.assignment import Assignment
from autograder.model.draws import DEFAULT_STUDENT, Identity


def check_notebook(
    path: Path,
    exercise: str | None = None,
    student: str = DEFAULT_STUDENT,
    assignment: str | None = None,
    cwd: Path | None = None,
    secret: str | None = None,
) -> SubmissionResult:
    """Grade the notebook at ``path`` (every exercise, or only ``exercise``) as ``student``.

    The checks are drawn for ``student`` under ``secret``, by default the secret of the course
    ``cwd`` is in (none: the public draws), so a learner sees the verdicts the instructor's
    grader gives.
    The assignment is the one named, else the one whose exercises the notebook holds.

    Raises:
        KitError: the notebook is missing or malformed, holds no assignment's exercise cells,
            or ``exercise`` or ``assignment`` is unknown.
    """
    course = Course.find_or_kit(cwd)
    nb = None if assignment else read_notebook(path)
    chosen = course.assignment(assignment) if assignment else _assignment_of(nb, course, path)
    if exercise is not None:
        chosen.exercise(exercise)
    functions, problems, cells = load_notebook(Path(path), chosen)
    identity = Identity(secret if secret is not None else read_secret(course.secret_file), student)
    references = reference_solutions(course, chosen)
    return grade_functions(
        chosen, functions, problems, identity, course.source_data_dir(), exercise, cells, references
    )


def _assignment_of(nb: Node, course: Course, path: Path) -> Assignment:
    """The assignment whose exercise cells the notebook holds (the most of them)."""
    counts = {a: len(solution_sources(nb, a.exercise_names)) for a in course.assignments()}
    best = max(counts, key=counts.get, default=None)
    if best is None or counts[best] == 0:
        raise KitError(
            f"{path} has none of the exercise cells of this course's assignments",
            "check it is an assignment notebook, downloaded with its cell metadata",
        )
    return best
