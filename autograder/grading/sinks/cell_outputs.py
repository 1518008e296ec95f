"""Each graded cell's report and points, as the outputs of its test cell in a notebook: what
nbgrader reads the points from, and what its feedback shows."""

from dataclasses import dataclass

import nbformat

from autograder.engine.notebook import Node, cells_by_grade_id
from autograder.grading.sinks import Graded


def put_outputs(nb: Node, graded: Graded) -> None:
    """Set the outputs of each graded exercise's test cell of ``nb`` to its report."""
    cells = cells_by_grade_id(nb)
    for exercise in graded.result.exercises:
        cell = cells[graded.assignment.exercise(exercise.exercise).test_cell]
        cell["outputs"] = [nbformat.from_dict(o) for o in exercise.notebook_outputs()]


@dataclass(frozen=True)
class CellOutputs:
    """The reports, written into the notebook nbgrader is autograding (in memory: nbgrader
    writes it)."""

    notebook: Node

    def write(self, graded: Graded) -> None:
        put_outputs(self.notebook, graded)
