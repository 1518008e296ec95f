"""Record scores in nbgrader's gradebook, so export, formgrader and feedback keep working."""

import functools
import warnings
from datetime import datetime
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.utils import parse_utc

from autograder.errors import KitError
from autograder.scores import exercise_of


def db_url(root: Path) -> str:
    return f"sqlite:///{Path(root) / 'gradebook.db'}"


def require_assignment(root: Path, assignment: str) -> None:
    """Raise ``KitError`` unless the gradebook knows the assignment (made by its release)."""
    if not (Path(root) / "gradebook.db").is_file():
        raise KitError(f"no gradebook.db in {root}", "run `autograder release` in the course root")
    with Gradebook(db_url(root)) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            raise KitError(
                f"the gradebook has no assignment {assignment!r}",
                "run `autograder release` (nbgrader generate_assignment) first",
            ) from None


def submission_time(folder: Path) -> datetime | None:
    """The time ``nbgrader submit`` stamped on a submission (its ``timestamp.txt``), or None."""
    try:
        text = (Path(folder) / "timestamp.txt").read_text().strip()
        return parse_utc(text) if text else None
    except (OSError, ValueError):
        return None  # no stamp (an LMS download) or an unreadable one: not late


def record(
    root: Path, assignment: str, student: str, points: dict[str, float], submitted: datetime | None = None
) -> None:
    """Write one student's points (each exercise's graded cell gets its points, checks 0),
    the submission time, and the late penalty the course's nbgrader config asks for."""
    stamp = {"timestamp": submitted} if submitted else {}
    with warnings.catch_warnings(), Gradebook(db_url(root)) as gb:
        warnings.simplefilter("ignore")  # SQLAlchemy's notes about nbgrader's own sessions
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(assignment, student, **stamp)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                exercise = exercise_of(grade.name)
                earned = points.get(exercise, 0.0) if grade.name.startswith("test_") else 0.0
                grade.auto_score = min(earned, grade.max_score)
                grade.needs_manual_grade = False
        gb.db.commit()
        _late_penalties(root, submission, student)
        gb.db.commit()


def _late_penalties(root: Path, submission, student: str) -> None:
    """Set each notebook's late penalty as ``nbgrader autograde`` would (none when on time)."""
    late = submission.total_seconds_late
    for notebook in submission.notebooks:
        notebook.late_submission_penalty = None
        if late > 0:
            penalty = _late_plugin(Path(root)).late_submission_penalty(student, notebook.score, late)
            if penalty is not None:
                notebook.late_submission_penalty = min(max(penalty, 0.0), notebook.score)


@functools.cache
def _late_plugin(root: Path):
    """nbgrader's late-submission plugin, configured by the course's nbgrader_config.py."""
    from nbgrader.preprocessors import AssignLatePenalties
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    return AssignLatePenalties(config=config).plugin_class(config=config)


def grade_rows(root: Path, assignment: str) -> dict[tuple[str, str], int]:
    """Count the grade rows per (student, cell): each must be exactly 1."""
    counts: dict[tuple[str, str], int] = {}
    with Gradebook(db_url(root)) as gb:
        for submission in gb.assignment_submissions(assignment):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    key = (submission.student.id, grade.name)
                    counts[key] = counts.get(key, 0) + 1
    return counts
