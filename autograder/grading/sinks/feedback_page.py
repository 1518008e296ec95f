"""The student's feedback page: one HTML file, check by check, with the hints."""

from dataclasses import dataclass

from autograder.course.layout import Course
from autograder.grading.sinks import Graded
from autograder.reports.records import atomic_text


@dataclass(frozen=True)
class FeedbackPage:
    course: Course

    def write(self, graded: Graded) -> None:
        page = self.course.feedback_page(graded.assignment.name, graded.result.student)
        atomic_text(page, graded.result.to_html())
