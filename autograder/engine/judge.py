"""Grade one submission: its code in sandbox sessions of its own, the checks in this process.

The same judge serves every grading path (``autograder grade``, plain ``nbgrader autograde``,
Gradescope): the notebook's cells run in a fresh session per submission and mode (a Keras
one, or a plain one where the assignment uses no Keras, and a framework-free one for
NumPy-only exercises); the hidden checks call the student's functions through it and never
touch anything the student's code made.
"""

import contextlib
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.engine import attribution, models
from autograder.engine.checks import run_checks
from autograder.engine.plan import Plan
from autograder.engine.result import ExerciseResult, SubmissionResult
from autograder.errors import GraderError
from autograder.model.assignment import Assignment, Exercise
from autograder.model.draws import Identity
from autograder.quiet import import_keras_quietly
from autograder.sandbox.client import SandboxFault, Session
from autograder.sandbox.policy import Choice, Isolation, Limits
from autograder.sandbox.zygotes import Zygote

#: Submissions between two resets of Keras' global state in the judge. Every rebuilt student
#: model leaves traces behind (about 4.5 MB a submission); a reset costs about 0.45 s.
RESET_EVERY = 20


@dataclass(frozen=True)
class JudgeSetup:
    """What a judge needs, as plain data: it crosses to a judge process, and keys warm judges.

    ``assignment`` is the assignment's folder, ``release`` the folder its notebook was released
    in, ``private`` the paths a session must never see, ``references`` the reference solutions
    that may stand in for a failing helper (``attribution``), as ``(exercise, source)`` pairs.
    """

    assignment: Path
    release: Path
    source_data: Path
    isolation: Choice
    limits: Limits
    private: tuple[Path, ...]
    references: tuple[tuple[str, str], ...] = ()

    def open(self) -> "Judge":
        """A judge for this setup, warmed up (its zygotes started)."""
        judge = Judge(
            Assignment.load(self.assignment),
            self.release,
            self.source_data,
            self.isolation,
            self.limits,
            list(self.private),
            dict(self.references),
        )
        judge.warm_up()
        return judge


class Judge:
    """Grades submissions of one assignment, one after another, with warm zygotes."""

    def __init__(
        self,
        assignment: Assignment,
        release_dir: Path,
        source_data: Path,
        isolation: Choice | Isolation | str,
        limits: Limits,
        private: list[Path],
        references: dict[str, str] | None = None,
    ) -> None:
        self.assignment, self.source_data, self.limits = assignment, source_data, limits
        self.references = references or {}  # reference solutions, to stand in for failing helpers
        self.isolation = isolation if isinstance(isolation, Choice) else Choice(Isolation(isolation))
        modes = {_mode(assignment, e) for e in assignment.exercises}
        self.zygotes = {
            m: Zygote(m, self.isolation.isolation, release_dir, limits, private) for m in sorted(modes)
        }
        self.graded = 0

    def warm_up(self) -> None:
        """Start the zygotes now, so the first submission does not pay for it; they load side
        by side, while this process imports the checks' Keras (where the assignment uses it)."""
        try:
            for zygote in self.zygotes.values():
                zygote.launch()
            if self.assignment.keras:
                import_keras_quietly()
            for zygote in self.zygotes.values():
                zygote.wait_ready()
        except BaseException:
            self.close()  # a zygote that did not start leaves nothing behind, nor do the others
            raise

    def close(self) -> None:
        """Stop every zygote, each whatever happens to the others."""
        errors = []
        for zygote in self.zygotes.values():
            try:
                zygote.close()
            except Exception as exc:  # the others must still close
                errors.append(exc)
        if errors:
            raise errors[0]

    def grade(self, plan: Plan, identity: Identity) -> SubmissionResult:
        """Grade every exercise of the submission ``plan`` describes, for ``identity``."""
        result = SubmissionResult(
            self.assignment.name, identity.student, [], flag=plan.flag, isolation=str(self.isolation)
        )
        if plan.flag:
            return result
        sessions: dict[str, Session] = {}
        graded: dict[str, ExerciseResult] = {}
        try:
            for e in self.assignment.exercises:
                graded[e.name] = self._exercise(e, plan, identity, sessions, graded)
            result.exercises = list(graded.values())
        finally:
            for session in sessions.values():
                session.close()
        result.name_causes(self.assignment.causes)
        self.graded += 1
        if self.graded % RESET_EVERY == 0 and self.assignment.keras:
            _forget_models()
        return result

    def _session(self, mode: str, plan: Plan, sessions: dict[str, Session]) -> Session:
        """The submission's live session of ``mode``: a fresh one if there is none or it broke."""
        session = sessions.get(mode)
        if session is None or session.fault:
            session = Session(
                self.zygotes[mode], list(plan.cells), self.limits, self._rebuild, dict(plan.graded_at)
            )
            if mode in sessions:  # a new session runs the cells again, without those that hung
                session.skipped = dict(sessions[mode].skipped)
            session.start()
            sessions[mode] = session
        return session

    def _rebuild(self, data: object):
        return models.rebuild(data, self.assignment.models)

    def _exercise(
        self, exercise: Exercise, plan: Plan, identity: Identity, sessions: dict, graded: dict
    ) -> ExerciseResult:
        """Grade one exercise; where it lost points and calls helpers that fail their own
        checks, grade it again with the reference helpers in their place (``attribution``)."""
        result = self._checked(exercise, plan, identity, sessions)
        called = attribution.called_exercises(plan.cells, exercise.name, self.assignment.exercise_names)
        helpers = attribution.helpers_to_blame(called, result, graded, self.references)
        if not helpers:
            return result
        sources = [self.references[h] for h in helpers]
        again = self._checked(exercise, plan, identity, sessions, sources)
        return attribution.settle(result, again, helpers)

    def _checked(
        self, exercise: Exercise, plan: Plan, identity: Identity, sessions: dict, sources: list[str] = ()
    ) -> ExerciseResult | None:
        """The exercise's checks on the student's function (with ``sources`` run beside it:
        None if they cannot run there)."""
        mode = _mode(self.assignment, exercise)
        session = self._session(mode, plan, sessions)
        setup, after_theirs = plan.setup_failure(session.cell_errors, session.skipped)
        if setup and after_theirs:
            problem = f"{setup}, after a cell of the student's that runs before it"
            return ExerciseResult(exercise.name, exercise.points, problem=problem)
        if setup:  # the release's own cell, before any of the student's: never their zero
            raise GraderError(f"{setup} in the {mode} sandbox, before any of the student's code ran")
        if exercise.name not in session.defined:
            problem = plan.undefined(exercise.name, session.cell_errors, session.skipped)
            return ExerciseResult(exercise.name, exercise.points, problem=problem)
        deadline = time.monotonic() + self.limits.seconds
        if sources:
            try:
                session.substitute(exercise.name, list(sources), deadline)
            except SandboxFault:
                return None

        def function(*args, **kwargs):
            return session.call(exercise.name, args, kwargs, deadline)

        free = mode == "numpy"
        result = run_checks(self.assignment, exercise.name, function, identity, self.source_data, free)
        with contextlib.suppress(SandboxFault):  # what the calls left costs this exercise
            session.check_scratch()
        if session.fault:
            result.problem = session.fault
        return result


def _mode(assignment: Assignment, exercise: Exercise) -> str:
    if exercise.numpy_only:
        return "numpy"
    return "keras" if assignment.keras else "python"


def _forget_models() -> None:
    """Drop what Keras keeps of the models built so far, so memory stays flat over a class."""
    import gc

    import_keras_quietly().backend.clear_session()
    gc.collect()
