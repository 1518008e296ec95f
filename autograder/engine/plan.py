"""What of a submitted notebook runs, in which order: the notebook as Jupyter runs it, without
the instructor's own cells.

The student's code is every code cell that is not the instructor's: the solution cells and
any cell the student added, in notebook order, in one namespace. The instructor's setup cells
run too, from the release (a student's edit of them changes nothing); their demonstration,
check and test cells do not run (nothing may depend on them). A notebook that carries
nbgrader's solution or hidden-test markers is a copy of the source notebook, not a
submission: it is flagged for the instructor instead of graded (only the student's cells
count: nbgrader itself puts the hidden tests back into the test cells before grading).
"""

import re
from dataclasses import dataclass, field

from autograder.engine.notebook import Node, grade_id
from autograder.model.assignment import Assignment

MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
#: IPython syntax (magics, shell escapes, help) that plain Python cannot run.
_IPYTHON = re.compile(r"^\s*(%|!)|^\s*\S.*\?\s*$|^\s*\?", re.MULTILINE)


@dataclass(frozen=True)
class Plan:
    """The cells to run for one submission and how to name them to the student."""

    cells: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    solution_cell: dict[str, int] = field(default_factory=dict)  # exercise -> index in cells
    flag: str = ""  # why the notebook goes to the instructor instead of being graded
    setup: tuple[int, ...] = ()  # the indexes in cells of the instructor's setup cells
    #: exercise -> how many of the cells run before its graded cell: its function is graded as
    #: it stands there, as nbgrader grades it (an exercise absent: as the last cell leaves it)
    graded_at: dict[str, int] = field(default_factory=dict)

    def setup_failure(self, errors: dict[int, str], skipped: dict[int, str]) -> tuple[str, bool]:
        """How a setup cell failed (then nothing after it can be checked fairly), or "", and
        whether a cell of the student's ran before it (and so may have made it fail)."""
        for i in self.setup:
            if i in skipped or i in errors:
                after_theirs = any(j < i for j in range(len(self.cells)) if j not in self.setup)
                return f"{self.labels[i]} failed ({skipped.get(i) or errors[i]})", after_theirs
        return "", False

    def undefined(self, exercise: str, errors: dict[int, str], skipped: dict[int, str]) -> str:
        """Why ``exercise``'s function is not defined once the cells ran."""
        i = self.solution_cell.get(exercise)
        if i is None:
            return f"the notebook has no cell with grade_id '{exercise}' and no other cell defines {exercise}"
        if i >= self.graded_at.get(exercise, len(self.cells)):
            return (
                f"{self.labels[i]} comes after the graded cell of {exercise}: the notebook runs in "
                f"order, so {exercise} is not defined where it is graded; move the cell above it"
            )
        if i in skipped:
            return f"{self.labels[i]} did not finish ({skipped[i]})"
        if i in errors:
            return f"{self.labels[i]} raised {errors[i]}"
        return f"{self.labels[i]} does not define a function {exercise}"


def make_plan(submission: Node, release: Node, assignment: Assignment, flag_copies: bool = True) -> Plan:
    """The plan for ``submission``, with the instructor's cells taken from ``release``
    (``flag_copies``: flag a notebook with nbgrader's markers instead of running it)."""
    theirs = {grade_id(c): c for c in release.cells if grade_id(c) and not _is_solution(c)}
    setup = [gid for gid in assignment.setup_cells if gid in theirs]
    cells, labels, solution = [], [], {}
    ran_setup: set[str] = set()
    setup_at: list[int] = []
    graded_at: dict[str, int] = {}
    tests = {e.test_cell: e.name for e in assignment.exercises}
    seen: set[str] = set()
    for position, cell in enumerate(submission.cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        gid = grade_id(cell)
        if gid in seen:  # a pasted copy of a cell: the student's own (as nbgrader's DeduplicateIds has it)
            gid = None
        seen.add(gid)
        if gid in setup and gid not in ran_setup:
            missed = [g for g in setup if g not in ran_setup and setup.index(g) < setup.index(gid)]
            for g in [*missed, gid]:
                setup_at.append(len(cells))
                cells.append(python_source(theirs[g]["source"]))
                labels.append(f"the setup cell '{g}'")
                ran_setup.add(g)
            continue
        if gid in tests and tests[gid] not in graded_at:
            graded_at[tests[gid]] = len(cells)
        if gid in theirs:
            continue  # the instructor's: demonstrations, visible checks, graded test cells
        source = cell.get("source", "")
        flag = _markers(source) if flag_copies else ""
        if flag:
            return Plan(flag=flag)
        if gid in assignment.exercise_names and gid not in solution:
            solution[gid] = len(cells)
            labels.append(f"the cell with grade_id '{gid}'")
        else:
            labels.append(f"cell {position} (one you added)")
        cells.append(python_source(source))
    missing = [g for g in setup if g not in ran_setup]
    if missing:  # the student deleted a setup cell: it still runs first
        cells = [python_source(theirs[g]["source"]) for g in missing] + cells
        labels = [f"the setup cell '{g}'" for g in missing] + labels
        solution = {e: i + len(missing) for e, i in solution.items()}
        setup_at = [*range(len(missing)), *(i + len(missing) for i in setup_at)]
        graded_at = {e: i + len(missing) for e, i in graded_at.items()}
    return Plan(tuple(cells), tuple(labels), solution, setup=tuple(setup_at), graded_at=graded_at)


def _is_solution(cell: dict) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return isinstance(meta, dict) and meta.get("solution") is True


def _markers(source: object) -> str:
    """Why a student's cell holding nbgrader's markers is flagged, or ""."""
    found = [m for m in MARKERS if isinstance(source, str) and m in source]
    if not found:
        return ""
    return (
        f"a cell of the student's carries the instructor's marker '{found[0]}': the notebook is a "
        "copy of the source notebook (reference solutions), not the student's work; check it by hand"
    )


def python_source(source: str) -> str:
    """The cell as Python: IPython's magics and shell escapes turned into calls, as Jupyter does."""
    if not isinstance(source, str):
        return ""
    if not _IPYTHON.search(source):
        return source
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return TransformerManager().transform_cell(source)
    except Exception:
        return source  # let the cell fail as it would in Jupyter
