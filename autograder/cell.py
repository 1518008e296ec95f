"""The entry point of the notebook's hidden test cells, run inside a Jupyter kernel: grade one
exercise, return its points.

This is the one place that reads who is graded from where it runs: nbgrader runs the
notebook's kernel in the student's autograded folder, and the cell has no other way to know.
"""

import contextlib
import io
import warnings
from pathlib import Path

from autograder.errors import GraderError
from autograder.quiet import silenced_fds


def grade(exercise: str, namespace: dict, assignment: str | None = None) -> float:
    """Run ``exercise``'s hidden checks on the function of that name in ``namespace``.

    The checks are drawn for the student being graded (the autograded folder nbgrader runs
    in; elsewhere the self-check student) under the course secret. Prints the report (stdout
    only) and returns the points, the cell's last expression, which nbgrader reads as partial
    credit.

    Raises:
        GraderError: the grader itself failed. The cell then shows an error (0 points) that
            says so, rather than a silent zero or full marks.
    """
    try:
        with _quiet():
            course, spec, identity = _where(exercise, assignment)
        func = namespace.get(exercise)
        if not callable(func):
            print(
                f"{exercise}: 0 / {spec.exercise(exercise).points:g} points\n  not graded: {exercise} is not "
                "defined. The cell that defines it is missing, was not run, or raised an error."
            )
            return 0.0
        with _quiet():
            from autograder.engine.checks import run_checks

            result = run_checks(spec, exercise, func, identity, course.source_data_dir())
    except GraderError as exc:
        raise GraderError(f"GRADER FAILURE, not a mistake of yours: {exc}") from None
    except Exception as exc:
        raise GraderError(f"GRADER FAILURE, not a mistake of yours: {type(exc).__name__}: {exc}") from None
    print(result.to_text())
    return result.points


def _where(exercise: str, assignment: str | None):
    """The course, the assignment and the identity of the notebook being run here."""
    from autograder.course.layout import Course
    from autograder.course.secret import read_secret
    from autograder.engine.draws import DEFAULT_STUDENT, Identity

    course = Course.find_or_kit(Path.cwd())
    student, name = course.student_of_autograded(Path.cwd()) or (DEFAULT_STUDENT, assignment)
    if name is None:
        name = next(a.name for a in course.assignments() if exercise in a.exercise_names)
    return course, course.assignment(name), Identity(read_secret(course.secret_file), student)


@contextlib.contextmanager
def _quiet():
    """Keep stderr (Python's and the C libraries') and warnings out of the graded cell."""
    with (
        silenced_fds(2),
        warnings.catch_warnings(),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        warnings.simplefilter("ignore")
        yield
