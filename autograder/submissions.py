"""Build submission notebooks: the release with given code in its solution cells."""

import ast
import copy
import re
from pathlib import Path

import nbformat

from autograder.notebook_io import cells_by_grade_id, read_notebook, solution_sources
from autograder.paths import release_notebook, source_notebook

_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", re.MULTILINE)


def reference_sources(root: Path | None = None) -> dict[str, str]:
    """Return the reference solution of each exercise, without nbgrader's markers."""
    nb = read_notebook(source_notebook(root) if root else source_notebook())
    return {name: _MARKER.sub("", src) for name, src in solution_sources(nb).items()}


def sources_from_file(path: Path) -> dict[str, str]:
    """Return the top-level functions of a Python file as sources, keyed by function name.

    A sample submission is a ``.py`` file written as a student would fill the notebook: each
    function the way it stands in its cell, after the file's imports other than numpy and
    keras (which the notebook's setup cell provides).
    """
    text = Path(path).read_text()
    body = ast.parse(text).body
    # The notebook's setup cell imports numpy and keras; anything else the cell imports itself.
    imports = [
        ast.get_source_segment(text, node)
        for node in body
        if isinstance(node, ast.Import | ast.ImportFrom)
        and not {a.name for a in node.names} <= {"numpy", "keras"}
    ]
    header = "\n".join(imports) + "\n\n\n" if imports else ""
    return {
        node.name: header + ast.get_source_segment(text, node)
        for node in body
        if isinstance(node, ast.FunctionDef)
    }


def build_submission(
    answers: dict[str, str], base: nbformat.NotebookNode | None = None
) -> nbformat.NotebookNode:
    """Return a copy of the release (or ``base``) with ``answers`` in their solution cells.

    Exercises missing from ``answers`` keep the release's stub.
    """
    nb = copy.deepcopy(base if base is not None else read_notebook(release_notebook()))
    cells = cells_by_grade_id(nb)
    for name, src in answers.items():
        cells[name]["source"] = src
    return nb
