"""Grade one submission: the checks run in this process, the student's code in sandboxes."""

from dataclasses import dataclass
from pathlib import Path

from autograder.exercises import EXERCISES
from autograder.runner import ExerciseReport, run_checks
from autograder.sandbox.client import Sandbox
from autograder.variants import Identity

#: Which worker runs which exercise: manual_forward must do without any framework.
MODES = {"manual_forward": "numpy"}

#: Submissions between two resets of Keras' global state in the judge. Every rebuilt student
#: model leaves traces behind (about 4.5 MB a submission); a reset costs about 0.45 s.
RESET_EVERY = 20


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
        self.graded = 0
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
        reports = [
            ExerciseReport(name, problem=problems[name])
            if name in problems
            else self._exercise(name, answers[name], identity)
            for name in EXERCISES
        ]
        self.graded += 1
        if self.graded % RESET_EVERY == 0:
            _forget_models()
        return reports

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


def _forget_models() -> None:
    """Drop what Keras keeps of the models built so far, so memory stays flat over a class."""
    import gc

    from autograder.quiet import import_keras_quietly

    import_keras_quietly().backend.clear_session()
    gc.collect()
