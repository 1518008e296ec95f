"""Where a graded submission goes: each output is one module of this folder, a ``Sink``.

A grading path picks its sinks (``grading/batch.py`` for ``autograder grade``, the nbgrader
preprocessor, Gradescope's run) and hands each the same ``Graded``; a new output is one new
module here, whatever grades.
"""

from dataclasses import dataclass, field
from typing import Protocol

from autograder.course.collect import Submission
from autograder.engine.plan import Plan
from autograder.engine.result import SubmissionResult
from autograder.model.assignment import Assignment


@dataclass(frozen=True)
class Graded:
    """One graded submission, as every output reads it: what ran (``plan``) and what it got;
    ``submission`` is the student's submitted notebook where the course keeps one."""

    assignment: Assignment
    result: SubmissionResult
    plan: Plan = field(default_factory=Plan)
    submission: Submission | None = None


class Sink(Protocol):
    """One output of a graded submission."""

    def write(self, graded: Graded) -> None:
        """Write the output; raise where it cannot be written (the caller says whose fault)."""
