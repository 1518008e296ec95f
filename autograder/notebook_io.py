"""Reading notebooks safely and finding the student's functions in them by nbgrader grade_id."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat

from autograder.errors import KitError
from autograder.exercises import EXERCISES


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a notebook, turning a missing or malformed file into a clear ``KitError``.

    Raises:
        KitError: the file does not exist, is not JSON, or is not a notebook.
    """
    path = Path(path)
    if not path.is_file():
        raise KitError(f"no notebook at {path}", "check the path; notebooks end in .ipynb")
    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several kinds for bad JSON
        raise KitError(
            f"{path} is not a readable Jupyter notebook ({type(exc).__name__}: {exc})",
            "open it in JupyterLab to repair it, or download it again from your course",
        ) from exc


def grade_id(cell: dict) -> str | None:
    """Return the nbgrader ``grade_id`` of a cell, or None."""
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def cells_by_grade_id(nb: nbformat.NotebookNode) -> dict[str, dict]:
    """Map grade_id to cell for every nbgrader cell (the first one wins on duplicates)."""
    found: dict[str, dict] = {}
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid and gid not in found:
            found[gid] = cell
    return found


def solution_sources(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Return the source of each exercise's solution cell, keyed by exercise name."""
    cells = cells_by_grade_id(nb)
    return {name: cells[name]["source"] for name in EXERCISES if name in cells}


def load_functions(nb: nbformat.NotebookNode) -> tuple[dict[str, Callable], dict[str, str]]:
    """Run each solution cell on its own and collect the function it defines.

    Returns:
        ``(functions, problems)``: the functions found, and for each exercise without one
        a sentence saying why (cell missing, raised an error, did not define the function).
    """
    import numpy as np

    from autograder.quiet import import_keras_quietly

    keras = import_keras_quietly()
    sources = solution_sources(nb)
    functions: dict[str, Callable] = {}
    problems: dict[str, str] = {}
    for name in EXERCISES:
        if name not in sources:
            problems[name] = f"the notebook has no cell with grade_id '{name}' (was it deleted?)"
            continue
        namespace: dict[str, Any] = {"np": np, "numpy": np, "keras": keras}
        try:
            exec(compile(sources[name], f"<cell {name}>", "exec"), namespace)
        except BaseException as exc:  # a student's cell may raise anything, SystemExit included
            problems[name] = f"the cell defining {name} raised {type(exc).__name__}: {exc}"
            continue
        if not callable(namespace.get(name)):
            problems[name] = f"the cell with grade_id '{name}' does not define a function {name}"
            continue
        functions[name] = namespace[name]
    return functions, problems
