"""The submission's row in nbgrader's gradebook: points per graded cell, time, late penalty."""

from dataclasses import dataclass

from autograder.course import gradebook
from autograder.course.layout import Course
from autograder.grading.sinks import Graded


@dataclass(frozen=True)
class GradebookRow:
    course: Course

    def write(self, graded: Graded) -> None:
        name, student = graded.assignment.name, graded.result.student
        submitted = gradebook.submission_time(self.course.submitted_dir(student, name))
        gradebook.record(self.course, graded.assignment, student, graded.result.points, submitted)
