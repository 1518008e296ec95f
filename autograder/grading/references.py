"""The reference solutions of a course's assignment: what stands in for a student's helper that
fails its own checks (``engine/attribution.py``), read from the course's source notebook."""

import re

from autograder.course.layout import Course
from autograder.engine.notebook import read_notebook, solution_sources
from autograder.model.assignment import Assignment

_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", re.MULTILINE)


def reference_sources(course: Course, assignment: Assignment) -> dict[str, str]:
    """The reference solution of each exercise, without nbgrader's markers."""
    nb = read_notebook(course.source_notebook(assignment.name))
    return {
        name: _MARKER.sub("", src) for name, src in solution_sources(nb, assignment.exercise_names).items()
    }


def references(course: Course, assignment: Assignment) -> dict[str, str]:
    """The reference solutions that may stand in for a failing helper: the course's source
    notebook's, where the course has one (a Gradescope export carries them in its config)."""
    return reference_sources(course, assignment) if course.source_notebook(assignment.name).is_file() else {}
