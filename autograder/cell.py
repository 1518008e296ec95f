"""The entry point of the notebook's hidden test cells: grade one exercise, return its points."""

import contextlib
import io
import warnings

from autograder.errors import GraderError
from autograder.exercises import POINTS
from autograder.quiet import silenced_fds
from autograder.variants import identity_from_cwd


def grade(exercise: str, namespace: dict) -> float:
    """Run ``exercise``'s hidden checks on the function of that name in ``namespace``.

    The checks are drawn for the student being graded (nbgrader runs the notebook in
    ``autograded/<student>/<assignment>/``). Prints the report (stdout only) and returns the
    points, the cell's last expression, which nbgrader reads as partial credit.

    Raises:
        GraderError: the grader itself failed. The cell then shows an error (0 points) that
            says so, rather than a silent zero or full marks.
    """
    func = namespace.get(exercise)
    if not callable(func):
        print(
            f"{exercise}: 0 / {POINTS[exercise]:g} points\n  not graded: {exercise} is not "
            "defined. The cell that defines it is missing, was not run, or raised an error."
        )
        return 0.0
    try:
        report = _quietly(exercise, func)
    except GraderError as exc:
        raise GraderError(f"GRADER FAILURE, not a mistake of yours: {exc}") from None
    except Exception as exc:
        raise GraderError(f"GRADER FAILURE, not a mistake of yours: {type(exc).__name__}: {exc}") from None
    print(report.render())
    return report.points


def _quietly(exercise: str, func):
    """Run the checks with stderr (Python's and the C libraries') kept out of the cell."""
    from autograder.runner import run_checks

    with (
        silenced_fds(2),
        warnings.catch_warnings(),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        warnings.simplefilter("ignore")
        return run_checks(exercise, func, identity_from_cwd())
