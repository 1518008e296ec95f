"""Run one exercise's hidden checks (a pytest module) on a function and collect the verdicts."""

import contextlib
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from autograder.engine import fixtures
from autograder.engine.result import CheckResult, ExerciseResult
from autograder.engine.student import StudentCodeError
from autograder.errors import GraderError
from autograder.model.assignment import Assignment
from autograder.model.draws import Draws, Identity
from autograder.quiet import full_precision_matmuls

PYTEST_INI = Path(__file__).with_name("pytest.ini")
#: pytest plugins the checks do not use; unraisableexception alone costs 0.2 s of gc per run.
UNUSED_PLUGINS = ("unraisableexception", "threadexception", "junitxml", "doctest", "pastebin")


class _Collector:
    """A pytest plugin that hands the checks their inputs and records each verdict."""

    def __init__(self, stash: dict) -> None:
        self.stash = stash
        self.results: list[CheckResult] = []
        self.errors: list[str] = []

    def pytest_configure(self, config: pytest.Config) -> None:
        for key, value in self.stash.items():
            config.stash[key] = value

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
        if isinstance(exc, StudentCodeError):
            return CheckResult(item.name, doc, weight, False, _hint(exc), exc.error, exc.cause)
        return CheckResult(item.name, doc, weight, exc is None, "" if exc is None else _hint(exc))


def _hint(exc: BaseException) -> str:
    """Return what a student should read about a failed check: its message, never its code."""
    if isinstance(exc, StudentCodeError | AssertionError) or type(exc).__name__ == "Failed":
        # Only the message: never pytest's explanation, which would show hidden values.
        message = str(exc).split("\nassert ")[0].strip()
        return message or "this property does not hold"
    return f"the check could not run on what the function returned ({type(exc).__name__}: {exc})"


def run_checks(
    assignment: Assignment,
    exercise: str,
    func: Callable,
    identity: Identity,
    source_data: Path,
    framework_free: bool = False,
) -> ExerciseResult:
    """Run the hidden checks of ``exercise`` on ``func``, drawn for ``identity``.

    Args:
        framework_free: ``func`` runs where no framework exists (a NumPy-only sandbox).
    Raises:
        GraderError: the checks could not be collected or run (the grader's fault).
    """
    points = assignment.exercise(exercise).points
    full_precision_matmuls()
    collector = _Collector(
        {
            fixtures.FUNCTIONS: {exercise: func},
            fixtures.FRAMEWORK_FREE: frozenset([exercise] if framework_free else []),
            fixtures.DRAWS: Draws(identity),
            fixtures.SOURCE_DATA: Path(source_data),
        }
    )
    args = [str(assignment.check_module(exercise)), "-c", str(PYTEST_INI)]
    args += ["--rootdir", str(assignment.folder), "-p", "no:terminal", "-W", "ignore"]
    for plugin in UNUSED_PLUGINS:
        args += ["-p", f"no:{plugin}"]
    with (
        _hypothesis_cache(),
        contextlib.redirect_stdout(io.StringIO()) as out,
        contextlib.redirect_stderr(out),
    ):
        code = pytest.main(args, plugins=[collector])
    if collector.errors or not collector.results or code not in (0, 1):
        detail = "; ".join(collector.errors) or out.getvalue()[-2000:] or f"pytest exit {code}"
        raise GraderError(f"the hidden checks of {exercise} could not run: {detail}")
    return ExerciseResult(exercise, points, collector.results)


@contextlib.contextmanager
def _hypothesis_cache():
    """Keep Hypothesis' cache folder out of the students' and the course's folders."""
    key = "HYPOTHESIS_STORAGE_DIRECTORY"
    saved = os.environ.get(key)
    os.environ[key] = os.path.join(tempfile.gettempdir(), "autograder-hypothesis")
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = saved
