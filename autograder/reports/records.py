"""Each student's graded result, kept where every grading path leaves it: the class reports
read these records, so they say the same whatever graded the class and however many runs it
took (a regrade of one student replaces that student's record alone)."""

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from autograder.course.layout import Course
from autograder.engine.result import SubmissionResult


@dataclass(frozen=True)
class Record:
    """A student's last grading: its result, or why the grader could not grade them."""

    student: str
    result: SubmissionResult | None = None
    grader_failure: str = ""


def atomic_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (never a half-written file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def save(course: Course, result: SubmissionResult) -> Path:
    """Keep ``result`` as its student's record of its assignment."""
    path = course.result_file(result.assignment, result.student)
    atomic_text(path, json.dumps({"result": result.to_dict()}, indent=1) + "\n")
    return path


def save_failure(course: Course, assignment: str, student: str, why: str) -> Path:
    """Keep that the grader failed on ``student`` (their earlier result no longer holds)."""
    path = course.result_file(assignment, student)
    atomic_text(path, json.dumps({"student": student, "grader_failure": why}, indent=1) + "\n")
    return path


def load(course: Course, assignment: str) -> dict[str, Record]:
    """Every student's record of ``assignment``, by student; a record that cannot be read
    is reported as the grader's failure on that student."""
    folder = course.result_file(assignment, "x").parent
    records = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        student = path.stem
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if "result" in data:
                records[student] = Record(student, SubmissionResult.from_dict(data["result"]))
            else:
                records[student] = Record(student, grader_failure=str(data["grader_failure"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            why = f"its record {path} is unreadable ({type(exc).__name__}: {exc}); grade it again"
            records[student] = Record(student, grader_failure=why)
    return records
