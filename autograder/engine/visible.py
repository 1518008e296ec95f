"""The notebook's visible checks, run in this process on given answers: what a learner sees when
they run an exercise's check cell (for the kill matrices, and to prove that the visible checks
never fail what the hidden checks pass)."""

import contextlib
import copy
import os
import re
import sys
from pathlib import Path

import numpy as np

from autograder.engine.answers import build_submission
from autograder.engine.inprocess import run_cells
from autograder.engine.notebook import Node, cells_by_grade_id, grade_id
from autograder.engine.plan import Plan
from autograder.model.assignment import Assignment

#: The names Keras numbers as it makes layers and models ("functional_399"): the count depends on
#: what ran before in the process, so a verdict says them without it.
_KERAS_NAME = re.compile(r"\b(functional|sequential|dense|input_layer|activation)_\d+\b")


#: The helper modules a release carries that differ between assignments.
_RELEASED_MODULES = ("visible_hints", "notebook_helpers", "forward_pass")


def _unnumbered(text: str) -> str:
    return _KERAS_NAME.sub(r"\1", text)


@contextlib.contextmanager
def _as_nbgrader_runs_it():
    """The notebooks' demonstrations run short while nbgrader executes them; so here."""
    saved = os.environ.get("NBGRADER_EXECUTION")
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    try:
        yield
    finally:
        if saved is None:
            del os.environ["NBGRADER_EXECUTION"]
        else:
            os.environ["NBGRADER_EXECUTION"] = saved


class VisibleChecks:
    """The visible check cells of one release, ready to run on answers: the cells above an
    exercise run once, with the reference answers, and each set of answers then replaces them
    and runs the exercise's check cell in a copy of that namespace."""

    def __init__(self, assignment: Assignment, release: Node, reference: dict[str, str], folder: Path):
        self.assignment, self.folder = assignment, folder
        self.notebook = build_submission(reference, release)
        self._above: dict[str, dict] = {}
        #: The (exercise, signature) of each value the last answers' failing check cells asked
        #: ``hint`` about (``source_data/visible_hints.py``).
        self.seen: list[tuple[str, dict]] = []

    def verdict(self, answers: dict[str, str]) -> dict[str, str]:
        """For each exercise ``answers`` holds, in notebook order: "" where its check cell
        passes with them, else what the cell raised (one line)."""
        exercises = [e for e in self.assignment.exercise_names if e in answers]
        names = self._copy(self._names_above(exercises[-1]))
        self.seen = []
        if "hint" in names:
            names["hint"] = self._recording(names["hint"])
        sources = [src for name, src in answers.items() if name not in exercises]
        sources += [answers[e] for e in exercises]
        checks = cells_by_grade_id(self.notebook)
        sources += [checks[self._visible(e)]["source"] for e in exercises]
        with _as_nbgrader_runs_it():
            _, errors = run_cells(Plan(tuple(sources)), self.folder, names)
        first_check = len(sources) - len(exercises)
        broken = [errors[i] for i in range(first_check) if i in errors]
        return {
            e: _unnumbered(broken[0] if broken else errors.get(first_check + k, ""))
            for k, e in enumerate(exercises)
        }

    def _recording(self, hint):
        """``hint`` that also records what it was asked about."""
        signature = hint.__globals__["signature"]

        def recorded(exercise: str, value, instead: str | None = None) -> str:
            summary = signature(value)
            if summary is not None:
                self.seen.append((exercise, summary))
            return hint(exercise, value, instead)

        return recorded

    def _visible(self, exercise: str) -> str:
        return next(e.visible_cell for e in self.assignment.exercises if e.name == exercise)

    def _names_above(self, exercise: str) -> dict:
        """The namespace of the reference notebook run down to ``exercise``'s solution cell."""
        if exercise not in self._above:
            cells = []
            for cell in self.notebook.cells:
                if grade_id(cell) == exercise:
                    break
                if cell.get("cell_type") == "code":
                    cells.append(cell["source"])
            # The release's own helpers: another assignment's, imported before in this
            # process, hold another table of hints.
            for module in _RELEASED_MODULES:
                sys.modules.pop(module, None)
            with _as_nbgrader_runs_it():
                self._above[exercise], _ = run_cells(Plan(tuple(cells)), self.folder)
        return self._above[exercise]

    @staticmethod
    def _copy(names: dict) -> dict:
        """A namespace whose arrays (and lists of them) a check may change without changing the
        next one's: everything else is shared."""
        copied = dict(names)
        for key, value in names.items():
            if isinstance(value, np.ndarray) or (
                isinstance(value, list | tuple) and all(isinstance(v, np.ndarray) for v in value)
            ):
                copied[key] = copy.deepcopy(value)
        return copied
