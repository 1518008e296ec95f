"""Grade one submission: the checks run in this process, the student's code in sandboxes."""

from dataclasses import dataclass
from pathlib import Path

from autograder.exercises import EXERCISES
from autograder.runner import ExerciseReport, run_checks
from autograder.sandbox.client import Sandbox
from autograder.variants import Identity

#: Which worker runs which exercise: manual_forward must do without any framework.
MODES = {"manual_forward": "numpy"}


@dataclass(frozen=True)
class Limits:
    """What one exercise of one submission may take."""

    seconds: float = 60.0
    memory_mb: int = 2048

    def message(self) -> dict:
        return {"seconds": self.seconds, "memory_mb": self.memory_mb, "cpu_seconds": int(self.seconds) + 5}


class Judge:
    """Owns a warm sandbox per mode and grades submissions one after another."""

    def __init__(self, course_root: Path, isolate: bool, limits: Limits) -> None:
        self.limits = limits
        self.sandboxes = {m: Sandbox(m, course_root, isolate) for m in ("keras", "numpy")}

    def warm_up(self) -> None:
        """Start the sandboxes now, so the first submission does not pay for it."""
        for sandbox in self.sandboxes.values():
            sandbox.start()

    def close(self) -> None:
        for sandbox in self.sandboxes.values():
            sandbox.close()

    def grade(self, answers: dict[str, str], problems: dict[str, str], identity: Identity) -> list:
        """Return an ``ExerciseReport`` per exercise (a problem text where it was not graded)."""
        return [
            ExerciseReport(name, problem=problems[name])
            if name in problems
            else self._exercise(name, answers[name], identity)
            for name in EXERCISES
        ]

    def _exercise(self, name: str, source: str, identity: Identity) -> ExerciseReport:
        sandbox = self.sandboxes[MODES.get(name, "keras")]
        cell = sandbox.open(name, source, self.limits.message())
        try:
            if not cell.defined:
                return ExerciseReport(name, problem=cell.problem)
            report = run_checks(name, cell, identity)
            if cell.fault:
                report.problem = cell.fault
            return report
        finally:
            cell.end()
