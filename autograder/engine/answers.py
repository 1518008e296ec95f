"""Answers as sources: a notebook built from them (a submission, a reference), and a sample
file read as a student fills the notebook."""

import ast
import copy
from pathlib import Path

from autograder.engine.notebook import Node, cells_by_grade_id


def sources_from_file(path: Path) -> dict[str, str]:
    """Return the top-level functions of a Python file as sources, keyed by function name.

    A sample submission is a ``.py`` file written as a student would fill the notebook: each
    function the way it stands in its cell, after the file's imports other than numpy and
    keras (which the notebook's setup cell provides).
    """
    text = Path(path).read_text()
    body = ast.parse(text).body
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


def build_submission(answers: dict[str, str], base: Node) -> Node:
    """Return a copy of the release ``base`` with ``answers`` in their solution cells
    (exercises missing from ``answers`` keep the release's stub). An answer that names no
    solution cell (a helper function) goes into a cell of its own, added after the first
    cell, as a student adds one in JupyterLab."""
    nb = copy.deepcopy(base)
    cells = cells_by_grade_id(nb)
    helpers = []
    for name, src in answers.items():
        if name in cells:
            cells[name]["source"] = src
        else:
            helpers.append(src)
    if helpers:
        added = Node(cell_type="code", execution_count=None, id="added-helpers", metadata=Node(), outputs=[])
        added["source"] = "\n\n\n".join(helpers)
        nb.cells.insert(1, added)
    return nb
