"""Run one exercise's hidden checks on a function and turn the results into points and hints."""

import contextlib
import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from autograder.checks.support import SUBMISSION_KEY, StudentCodeError
from autograder.errors import GraderError
from autograder.exercises import POINTS
from autograder.paths import CHECKS_DIR
from autograder.quiet import full_precision_matmuls
from autograder.variants import Identity, graded_as

# Hypothesis keeps a cache folder; keep it out of the students' and the course's folders.
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "autograder-hypothesis")
)


@dataclass
class CheckResult:
    """The verdict of one hidden check."""

    name: str
    description: str
    weight: float
    passed: bool
    hint: str = ""


@dataclass
class ExerciseReport:
    """The verdicts of one exercise's checks and the points they earn."""

    exercise: str
    results: list[CheckResult] = field(default_factory=list)
    problem: str = ""  # why the function could not be checked at all

    @property
    def max_points(self) -> float:
        return float(POINTS[self.exercise])

    @property
    def points(self) -> float:
        total = sum(r.weight for r in self.results)
        earned = sum(r.weight for r in self.results if r.passed)
        return round(self.max_points * earned / total, 2) if total and not self.problem else 0.0

    @property
    def failed(self) -> list[CheckResult]:
        return [r for r in self.results if not r.passed]

    def render(self) -> str:
        """Return the report a student reads: a line per check, hints for the failed ones."""
        lines = [f"{self.exercise}: {self.points:g} / {self.max_points:g} points"]
        if self.problem:
            return "\n".join([*lines, f"  not graded: {self.problem}"])
        for r in self.results:
            lines.append(f"  {'PASS' if r.passed else 'FAIL'}  {r.description}")
            if not r.passed:
                lines.append(f"        hint: {r.hint}")
        return "\n".join(lines)


class _Collector:
    """A pytest plugin that hands the checks the function and records each verdict."""

    def __init__(self, exercise: str, func: Callable) -> None:
        self.exercise = exercise
        self.func = func
        self.results: list[CheckResult] = []
        self.errors: list[str] = []

    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[SUBMISSION_KEY] = {self.exercise: self.func}

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        if call.when == "setup" and call.excinfo is not None:
            self.results.append(self._result(item, call.excinfo.value))
        elif call.when == "call":
            exc = call.excinfo.value if call.excinfo is not None else None
            self.results.append(self._result(item, exc))
        return report

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.errors.append(str(report.longrepr))

    @staticmethod
    def _result(item: pytest.Item, exc: BaseException | None) -> CheckResult:
        marker = item.get_closest_marker("weight")
        weight = float(marker.args[0]) if marker else 1.0
        doc = (item.function.__doc__ or item.name).strip().splitlines()[0]
        return CheckResult(item.name, doc, weight, exc is None, "" if exc is None else _hint(exc))


def _hint(exc: BaseException) -> str:
    """Return what a student should read about a failed check: its message, never its code."""
    if isinstance(exc, StudentCodeError | AssertionError) or type(exc).__name__ == "Failed":
        # Only the message: never pytest's explanation, which would show hidden values.
        message = str(exc).split("\nassert ")[0].strip()
        return message or "this property does not hold"
    return f"the check could not run on what the function returned ({type(exc).__name__}: {exc})"


def run_checks(exercise: str, func: Callable, identity: Identity | None = None) -> ExerciseReport:
    """Run the hidden checks of ``exercise`` on ``func``, drawn for ``identity``.

    Raises:
        GraderError: the checks could not be collected or run (the grader's fault).
    """
    if exercise not in POINTS:
        raise GraderError(f"unknown exercise {exercise!r}; known: {', '.join(POINTS)}")
    full_precision_matmuls()
    collector = _Collector(exercise, func)
    args = [str(CHECKS_DIR / f"test_{exercise}.py"), "-c", str(CHECKS_DIR / "pytest.ini")]
    args += ["--rootdir", str(CHECKS_DIR), "-p", "no:terminal", "-W", "ignore"]
    # Plugins the checks do not use; unraisableexception alone costs 0.2 s of gc per run.
    for plugin in ("unraisableexception", "threadexception", "junitxml", "doctest", "pastebin"):
        args += ["-p", f"no:{plugin}"]
    with (
        graded_as(identity or Identity()),
        contextlib.redirect_stdout(io.StringIO()) as out,
        contextlib.redirect_stderr(out),
    ):
        code = pytest.main(args, plugins=[collector])
    if collector.errors or not collector.results or code not in (0, 1):
        detail = "; ".join(collector.errors) or out.getvalue()[-2000:] or f"pytest exit {code}"
        raise GraderError(f"the hidden checks of {exercise} could not run: {detail}")
    return ExerciseReport(exercise, collector.results)
