"""Regrade only what changed, and keep what was recorded honest.

A stamp per student records what was graded (the notebook's digest), with which checks, and
the points the grader recorded, signed with an HMAC under the course secret. A rerun skips a
submission whose stamp matches it, but only after comparing the stamp's points with the
gradebook: a row that differs (someone, or something, changed it) is recorded again and
reported; a stamp whose signature does not match is ignored, so the submission is regraded.
"""

import hashlib
import hmac
import json
from pathlib import Path

from autograder.course.collect import Submission, read_file
from autograder.course.layout import Course
from autograder.errors import KitError
from autograder.model.assignment import Assignment


def digest(sub: Submission) -> str:
    """Changes when the notebook or its submission time changes (a resubmission)."""
    if sub.notebook is None:
        return "missing"
    try:
        data = read_file(sub.notebook)
    except KitError:
        return "unreadable"
    try:
        extra = read_file(sub.notebook.parent / "timestamp.txt", 1 << 12)
    except KitError:
        extra = b""  # no stamp, or a link or special file in its place
    return hashlib.sha256(data + b"\0" + extra).hexdigest()


def fingerprint(assignment: Assignment, secret: str) -> str:
    """Changes whenever the checks, the points or the secret change."""
    h = hashlib.sha256(json.dumps(assignment.points).encode() + secret.encode())
    for path in sorted(assignment.folder.glob("*.py")) + [assignment.folder / "assignment.toml"]:
        h.update(path.read_bytes())
    return h.hexdigest()


def _signature(secret: str, student: str, assignment: str, stamp: dict) -> str:
    body = json.dumps(
        [student, assignment, stamp["notebook"], stamp["grader"], stamp["points"]], sort_keys=True
    )
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


def read(course: Course, assignment: Assignment, student: str, secret: str) -> dict | None:
    """The student's stamp if it exists and its signature holds, else None."""
    try:
        stamp = json.loads(course.stamp_file(assignment.name, student).read_text())
        signature = _signature(secret, student, assignment.name, stamp)
        return stamp if hmac.compare_digest(str(stamp.get("signature")), signature) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def changed(course: Course, assignment: Assignment, sub: Submission, checks_digest: str, secret: str) -> bool:
    """Must ``sub`` be graded (again)? Yes unless a sound stamp matches it and the checks."""
    notebook = course.autograded_dir(sub.student, assignment.name) / f"{assignment.name}.ipynb"
    if not notebook.is_file():
        return True  # the graded notebook was removed: grade again
    stamp = read(course, assignment, sub.student, secret)
    return stamp is None or stamp["notebook"] != digest(sub) or stamp["grader"] != checks_digest


def write(
    course: Course, assignment: Assignment, sub: Submission, checks_digest: str, points: dict, secret: str
) -> Path:
    """Record what was graded for ``sub`` and the points it got, signed."""
    stamp = {"notebook": digest(sub), "grader": checks_digest, "points": points}
    stamp["signature"] = _signature(secret, sub.student, assignment.name, stamp)
    path = course.stamp_file(assignment.name, sub.student)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stamp, indent=1))
    return path
