"""The signed stamp that lets the next run skip an unchanged submission (``course/stamps.py``)."""

from dataclasses import dataclass

from autograder.course import stamps
from autograder.course.layout import Course
from autograder.grading.sinks import Graded


@dataclass(frozen=True)
class Stamp:
    course: Course
    checks_digest: str  # the checks' fingerprint (``stamps.fingerprint``)
    secret: str

    def write(self, graded: Graded) -> None:
        points = graded.result.points
        stamps.write(
            self.course, graded.assignment, graded.submission, self.checks_digest, points, self.secret
        )
