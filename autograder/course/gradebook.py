"""nbgrader's gradebook: record the kit's scores there, so export, formgrader and feedback work,
and read them back."""

import functools
import warnings
from datetime import datetime
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.utils import parse_utc

from autograder.course.collect import read_file
from autograder.course.layout import Course
from autograder.errors import KitError
from autograder.model.assignment import Assignment


def require_assignment(course: Course, assignment: str) -> None:
    """Raise ``KitError`` unless the gradebook knows the assignment (made by its release)."""
    file = course.gradebook_file
    if file is not None and not file.is_file():
        raise KitError(f"no gradebook at {file}", "run `autograder release` in the course root")
    with Gradebook(course.db_url) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            raise KitError(
                f"the gradebook has no assignment {assignment!r}",
                "run `autograder release` (nbgrader generate_assignment) first",
            ) from None


def submission_time(folder: Path) -> datetime | None:
    """The time ``nbgrader submit`` stamped on a submission (its ``timestamp.txt``), or None."""
    try:  # a link, a FIFO or a huge file from a hostile submission is no stamp
        text = read_file(Path(folder) / "timestamp.txt", 1 << 12).decode().strip()
        return parse_utc(text) if text else None
    except (KitError, UnicodeDecodeError, ValueError, OverflowError):
        return None  # no stamp (an LMS download) or an unreadable one: not late


def record(
    course: Course,
    assignment: Assignment,
    student: str,
    points: dict[str, float],
    submitted: datetime | None = None,
) -> None:
    """Write one student's points (each exercise's graded cell gets its points, other cells 0),
    the submission time, and the late penalty the course's nbgrader config asks for; a grade a
    grader had scored by hand is flagged for review, as nbgrader's own autograde flags it."""
    stamp = {"timestamp": submitted} if submitted else {}
    with warnings.catch_warnings(), Gradebook(course.db_url) as gb:
        warnings.simplefilter("ignore")  # SQLAlchemy's notes about nbgrader's own sessions
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(assignment.name, student, **stamp)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                exercise = assignment.exercise_of_cell(grade.name)
                grade.auto_score = min(points.get(exercise, 0.0), grade.max_score) if exercise else 0.0
                # as nbgrader's SaveAutoGrades: a grader's earlier manual score is to be reviewed
                grade.needs_manual_grade = grade.manual_score is not None
        gb.db.commit()
        _late_penalties(course, submission, student)
        gb.db.commit()


def _late_penalties(course: Course, submission, student: str) -> None:
    """Set each notebook's late penalty as ``nbgrader autograde`` would (none when on time)."""
    late = submission.total_seconds_late
    for notebook in submission.notebooks:
        notebook.late_submission_penalty = None
        if late > 0:
            penalty = _late_plugin(course.root).late_submission_penalty(student, notebook.score, late)
            if penalty is not None:
                notebook.late_submission_penalty = min(max(penalty, 0.0), notebook.score)


@functools.cache
def _late_plugin(root: Path):
    """nbgrader's late-submission plugin, configured by the course's nbgrader_config.py."""
    from nbgrader.preprocessors import AssignLatePenalties

    config = Course(root).nbgrader.config
    return AssignLatePenalties(config=config).plugin_class(config=config)


def scores(course: Course, assignment: Assignment, auto: bool = False) -> dict[str, dict[str, float]]:
    """``{student: {exercise: score}}`` as the gradebook holds them: the final scores (manual
    scores included), or with ``auto`` only what the autograder recorded."""
    found: dict[str, dict[str, float]] = {}
    with Gradebook(course.db_url) as gb:
        for submission in gb.assignment_submissions(assignment.name):
            row = dict.fromkeys(assignment.exercise_names, 0.0)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    name = assignment.exercise_of_cell(grade.name)
                    if name is not None:
                        row[name] += float((grade.auto_score if auto else grade.score) or 0.0)
            found[submission.student.id] = {k: round(v, 2) for k, v in row.items()}
    return dict(sorted(found.items()))
