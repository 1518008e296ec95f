"""The autograded notebook nbgrader's feedback commands read: the release with the student's
code in its solution cells and each graded cell's report, beside the files ``nbgrader submit``
left with the submission."""

import copy
import os
from dataclasses import dataclass, field

import nbformat

from autograder.course.collect import read_file
from autograder.course.layout import Course
from autograder.engine.notebook import Node, cells_by_grade_id, read_notebook
from autograder.errors import KitError
from autograder.grading.sinks import Graded
from autograder.grading.sinks.cell_outputs import put_outputs
from autograder.reports.records import atomic_text

#: Files ``nbgrader submit`` adds beside the notebook; release_feedback needs them.
SUBMISSION_FILES = ("timestamp.txt", "submission_secret.txt")


@dataclass
class AutogradedNotebook:
    """Each graded submission's notebook, in the course's ``autograded/`` folder."""

    course: Course
    #: assignment -> its release, read once for the class
    _releases: dict[str, Node] = field(default_factory=dict, init=False, repr=False)

    def write(self, graded: Graded) -> None:
        name, student = graded.assignment.name, graded.result.student
        folder = self.course.autograded_dir(student, name)
        folder.mkdir(parents=True, exist_ok=True)
        submitted = self.course.submitted_dir(student, name)
        for file in SUBMISSION_FILES:
            if os.path.lexists(submitted / file):
                try:
                    (folder / file).write_bytes(read_file(submitted / file, 1 << 16))
                except KitError:
                    pass  # a link or a special file: not copied
        if name not in self._releases:
            self._releases[name] = read_notebook(self.course.release_notebook(name))
        nb = copy.deepcopy(self._releases[name])
        cells = cells_by_grade_id(nb)
        for exercise, index in graded.plan.solution_cell.items():
            cells[exercise]["source"] = graded.plan.cells[index]
        put_outputs(nb, graded)
        atomic_text(folder / f"{name}.ipynb", nbformat.writes(nb))
