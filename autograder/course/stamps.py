"""Regrade only what changed: a stamp per student records what was graded, with which checks."""

import hashlib
import json
from pathlib import Path

from autograder.course.assignment import Assignment
from autograder.course.collect import Submission
from autograder.course.layout import Course


def digest(sub: Submission) -> str:
    """Changes when the notebook or its submission time changes (a resubmission)."""
    if sub.notebook is None:
        return "missing"
    stamp = sub.notebook.parent / "timestamp.txt"
    extra = stamp.read_bytes() if stamp.is_file() else b""
    return hashlib.sha256(sub.notebook.read_bytes() + b"\0" + extra).hexdigest()


def fingerprint(assignment: Assignment, secret: str) -> str:
    """Changes whenever the checks, the points or the secret change."""
    h = hashlib.sha256(json.dumps(assignment.points).encode() + secret.encode())
    for path in sorted(assignment.folder.glob("*.py")) + [assignment.folder / "assignment.toml"]:
        h.update(path.read_bytes())
    return h.hexdigest()


def changed(course: Course, assignment: Assignment, sub: Submission, grader: str) -> bool:
    """Must ``sub`` be graded (again)? Yes unless its stamp matches it and the grader."""
    notebook = course.autograded_dir(sub.student, assignment.name) / f"{assignment.name}.ipynb"
    if not notebook.is_file():
        return True  # the graded notebook was removed: grade again
    try:
        saved = json.loads(course.stamp_file(assignment.name, sub.student).read_text())
    except (OSError, ValueError):
        return True
    return saved.get("notebook") != digest(sub) or saved.get("grader") != grader


def write(course: Course, assignment: Assignment, sub: Submission, grader: str, points: dict) -> Path:
    """Record what was graded for ``sub`` and the points it got."""
    path = course.stamp_file(assignment.name, sub.student)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"notebook": digest(sub), "grader": grader, "points": points}, indent=1))
    return path
