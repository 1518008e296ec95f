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
            course, chosen, identity = _where(exercise, assignment)
        func = namespace.get(exercise)
        if not callable(func):
            print(
                f"{exercise}: 0 / {chosen.exercise(exercise).points:g} points\n  not graded: {exercise} "
                "is not defined. The cell that defines it is missing, was not run, or raised an error."
            )
            return 0.0
        with _quiet():
            result = _graded(course, chosen, exercise, namespace, identity)
    except GraderError as exc:
        raise GraderError(f"GRADER FAILURE, not a mistake of yours: {exc}") from None
    except Exception as exc:
        raise GraderError(f"GRADER FAILURE, not a mistake of yours: {type(exc).__name__}: {exc}") from None
    print(result.to_text())
    return result.points


def _graded(course, assignment, exercise: str, namespace: dict, identity):
    """The exercise's checks on its function here; where it loses points and calls other
    exercises' functions that fail their own checks, graded again with their reference in
    their place (``attribution``, as every path grades)."""
    from autograder.engine import attribution
    from autograder.engine.checks import run_checks
    from autograder.engine.inprocess import with_references
    from autograder.grading.references import references as reference_solutions

    data = course.source_data_dir()
    result = run_checks(assignment, exercise, namespace[exercise], identity, data)
    if result.points >= result.max_points:
        return result
    called = attribution.called_in_namespace(namespace, exercise, assignment.exercise_names)
    graded = {
        h: run_checks(assignment, h, namespace[h], identity, data)
        for h in called
        if callable(namespace.get(h))
    }
    references = reference_solutions(course, assignment)
    helpers = attribution.helpers_to_blame(called, result, graded, references)
    if not helpers:
        return result
    stand_in = with_references(namespace[exercise], [references[h] for h in helpers])
    again = run_checks(assignment, exercise, stand_in, identity, data) if stand_in else None
    return attribution.settle(result, again, helpers)


def _where(exercise: str, assignment: str | None):
    """The course, the assignment and the identity of the notebook being run here."""
    from autograder.course.layout import Course
    from autograder.course.secret import read_secret
    from autograder.model.draws import DEFAULT_STUDENT, Identity

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
