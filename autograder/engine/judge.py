"""Grade one submission: the checks run in this process, the student's code in sandboxes."""

from dataclasses import dataclass
from pathlib import Path

from autograder.course.assignment import Assignment, Exercise
from autograder.engine.checks import run_checks
from autograder.engine.draws import Identity
from autograder.engine.result import ExerciseResult, SubmissionResult
from autograder.sandbox.client import Sandbox

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

    def __init__(
        self, assignment: Assignment, course_root: Path, source_data: Path, isolate: bool, limits: Limits
    ) -> None:
        self.assignment, self.source_data, self.limits = assignment, source_data, limits
        self.graded = 0
        self.sandboxes = {m: Sandbox(m, course_root, isolate) for m in ("keras", "numpy")}

    def warm_up(self) -> None:
        """Start the sandboxes now, so the first submission does not pay for it."""
        for sandbox in self.sandboxes.values():
            sandbox.start()

    def close(self) -> None:
        for sandbox in self.sandboxes.values():
            sandbox.close()

    def grade(
        self, answers: dict[str, str], problems: dict[str, str], identity: Identity
    ) -> SubmissionResult:
        """Grade every exercise (a problem text where it could not be graded)."""
        exercises = [
            ExerciseResult(e.name, e.points, problem=problems[e.name])
            if e.name in problems
            else self._exercise(e, answers[e.name], identity)
            for e in self.assignment.exercises
        ]
        self.graded += 1
        if self.graded % RESET_EVERY == 0:
            _forget_models()
        return SubmissionResult(self.assignment.name, identity.student, exercises)

    def _exercise(self, exercise: Exercise, source: str, identity: Identity) -> ExerciseResult:
        sandbox = self.sandboxes["numpy" if exercise.numpy_only else "keras"]
        cell = sandbox.open(exercise.name, source, self.limits.message())
        try:
            if not cell.defined:
                return ExerciseResult(exercise.name, exercise.points, problem=cell.problem)
            free = cell.runs_without_frameworks
            result = run_checks(self.assignment, exercise.name, cell, identity, self.source_data, free)
            if cell.fault:
                result.problem = cell.fault
            return result
        finally:
            cell.end()


def _forget_models() -> None:
    """Drop what Keras keeps of the models built so far, so memory stays flat over a class."""
    import gc

    from autograder.quiet import import_keras_quietly

    import_keras_quietly().backend.clear_session()
    gc.collect()
