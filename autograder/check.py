"""Self-check: grade one notebook with the hidden checks, as the instructor's grader would."""

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import KitError
from autograder.exercises import EXERCISES, POINTS
from autograder.notebook_io import load_functions, read_notebook, solution_sources
from autograder.runner import ExerciseReport, run_checks
from autograder.variants import DEFAULT_STUDENT, Identity, read_secret


@dataclass
class CheckOutcome:
    """The reports of a self-check, one per exercise checked."""

    reports: list[ExerciseReport]

    @property
    def passed(self) -> bool:
        return all(r.points == r.max_points for r in self.reports)

    def render(self) -> str:
        """Each exercise's checks with hints, then a table of the exercises and the total."""
        total = round(sum(r.points for r in self.reports), 2)
        most = sum(r.max_points for r in self.reports)
        body = "\n\n".join(r.render() for r in self.reports)
        return f"{body}\n\n{self._table()}\nTotal: {total:g} / {most:g} points"

    def _table(self) -> str:
        rows = [("exercise", "points", "failed checks")]
        for r in self.reports:
            failed = f"not graded: {r.problem}" if r.problem else str(len(r.failed))
            rows.append((r.exercise, f"{r.points:g} / {r.max_points:g}", failed))
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        return "\n".join(f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c}".rstrip() for a, b, c in rows)

    def to_json(self) -> str:
        return json.dumps(
            {
                "total": sum(r.points for r in self.reports),
                "max_total": sum(r.max_points for r in self.reports),
                "exercises": [
                    {
                        "exercise": r.exercise,
                        "points": r.points,
                        "max_points": r.max_points,
                        "problem": r.problem,
                        "checks": [vars(c) for c in r.results],
                    }
                    for r in self.reports
                ],
            },
            indent=2,
        )


def check_notebook(path: Path, exercise: str | None = None, student: str = DEFAULT_STUDENT) -> CheckOutcome:
    """Grade the notebook at ``path`` (every exercise, or only ``exercise``) as ``student``.

    The checks are drawn for ``student`` under the course secret of the current folder (see
    ``autograder.variants``), so a learner sees the same verdicts the instructor's grader gives.

    Raises:
        KitError: the notebook is missing or malformed, has no exercise cells, or
            ``exercise`` is not one of the assignment's.
    """
    if exercise is not None and exercise not in POINTS:
        raise KitError(f"unknown exercise {exercise!r}", f"choose one of {', '.join(EXERCISES)}")
    nb = read_notebook(path)
    if not solution_sources(nb):
        raise KitError(
            f"{path} has none of the exercise cells ({', '.join(EXERCISES)})",
            "check it is the keras_weights notebook, downloaded with its cell metadata",
        )
    with contextlib.redirect_stdout(io.StringIO()):  # a student's prints while cells load
        functions, problems = load_functions(nb)
    identity = Identity(read_secret(Path.cwd()), student)
    reports = []
    for name in [exercise] if exercise else EXERCISES:
        if name in problems:
            reports.append(ExerciseReport(name, problem=problems[name]))
        else:
            reports.append(run_checks(name, functions[name], identity))
    return CheckOutcome(reports)
