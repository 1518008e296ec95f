"""A course's judges: what one needs for an assignment, read from the course the same way by
every path that grades there (``autograder grade``, ``nbgrader autograde``, a Gradescope export)."""

import tempfile
from pathlib import Path

from autograder.course.layout import KIT_ROOT, Course
from autograder.engine.judge import JudgeSetup
from autograder.grading.references import references
from autograder.model.assignment import Assignment
from autograder.sandbox.policy import Choice, Limits


def private_paths(*roots: Path) -> tuple[Path, ...]:
    """Folders a session must never see, even where they lie inside the runtime it sees: the
    kit's, the grading ``roots`` (the course's), the home folder and the temp folder."""
    return (KIT_ROOT, *roots, Path.home(), Path(tempfile.gettempdir()))


def setup(course: Course, assignment: Assignment, isolation: Choice, limits: Limits) -> JudgeSetup:
    """What a judge of ``assignment`` in ``course`` needs."""
    return JudgeSetup(
        assignment.folder,
        course.release_dir(assignment.name),
        course.source_data_dir(),
        isolation,
        limits,
        private_paths(course.root),
        tuple(references(course, assignment).items()),
    )
