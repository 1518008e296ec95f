"""The student's result record, kept for the class reports (``reports/records.py``)."""

from dataclasses import dataclass

from autograder.course.layout import Course
from autograder.grading.sinks import Graded
from autograder.reports import records


@dataclass(frozen=True)
class ResultRecord:
    course: Course

    def write(self, graded: Graded) -> None:
        records.save(self.course, graded.result)
