"""Reading notebooks safely and finding cells in them by nbgrader grade_id.

Notebooks are read with the standard library's ``json``, not ``nbformat``: importing nbformat
pulls in jsonschema's format checkers, about a second of start-up that ``autograder check``
and every graded cell would pay. What ``read_notebook`` returns is a dict with attribute
access, like nbformat's ``NotebookNode``, and ``nbformat.write`` takes it as it is.
"""

import json
from pathlib import Path
from typing import Any

from autograder.errors import KitError
from autograder.text import clean, clean_surrogates, describe


class Node(dict):
    """A notebook (or part of one) whose keys read as attributes: ``nb.cells``."""

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key: str, value: Any) -> None:
        self[key] = value


def read_notebook(path: Path) -> Node:
    """Read a notebook (format 4), turning a missing or malformed file into a clear ``KitError``.

    Raises:
        KitError: the file does not exist, is not JSON, or is not a format-4 notebook.
    """
    path = Path(path)
    if not path.is_file():
        raise KitError(f"no notebook at {path}", "check the path; notebooks end in .ipynb")
    return parse_notebook(path.read_bytes(), str(path))


def parse_notebook(data: bytes, name: str) -> Node:
    """Parse a notebook file's bytes; ``name`` says which file in a message.

    Text no UTF-8 file can hold (lone surrogates, written as JSON escapes) is replaced, so the
    notebook can be written back whatever it held.

    Raises:
        KitError: the bytes are not JSON, or not a format-4 notebook.
    """
    try:
        nb = json.loads(data, object_hook=_node)
        problem = _shape_problem(nb)
    except (ValueError, RecursionError) as exc:  # bad JSON or bad UTF-8
        problem = describe(exc)
    if problem:
        raise KitError(
            f"{clean(name, 200)} is not a readable Jupyter notebook ({problem})",
            "open it in JupyterLab to repair it, or download it again from your course",
        )
    for cell in nb.cells:
        _rejoin(cell, "source")
        for output in cell.get("outputs", []) if isinstance(cell.get("outputs"), list) else []:
            if isinstance(output, dict):
                _rejoin(output, "text")
                _rejoin_bundle(output.get("data"))
    return nb


def _node(pairs: dict) -> Node:
    return Node({clean_surrogates(k): _text(v) for k, v in pairs.items()})


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return clean_surrogates(value)
    if isinstance(value, list):
        return [clean_surrogates(v) if isinstance(v, str) else v for v in value]
    return value


def _rejoin(part: dict, key: str) -> None:
    """Join text the file stored as a list of lines (as nbformat's reader does)."""
    value = part.get(key)
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        part[key] = "".join(value)


def _rejoin_bundle(bundle: Any) -> None:
    """Join the text of each non-JSON type of an output's data bundle."""
    if isinstance(bundle, dict):
        for mime in list(bundle):
            if not mime.endswith("json"):
                _rejoin(bundle, mime)


def _shape_problem(data: Any) -> str:
    """Say what keeps ``data`` from being a format-4 notebook, or return ''."""
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return "it has no list of cells"
    if data.get("nbformat") != 4:
        return f"it is in notebook format {data.get('nbformat')!r}; the kit reads format 4 (JupyterLab)"
    if not all(isinstance(c, dict) and isinstance(c.get("source", ""), str | list) for c in data.cells):
        return "a cell is not a cell (no source text)"
    return ""


def grade_id(cell: dict) -> str | None:
    """Return the nbgrader ``grade_id`` of a cell, or None."""
    meta = cell.get("metadata")
    nbgrader = meta.get("nbgrader") if isinstance(meta, dict) else None
    gid = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
    return gid if isinstance(gid, str) else None


def cells_by_grade_id(nb: Node) -> dict[str, dict]:
    """Map grade_id to cell for every nbgrader cell (the first one wins on duplicates)."""
    found: dict[str, dict] = {}
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid and gid not in found:
            found[gid] = cell
    return found


def solution_sources(nb: Node, exercises: tuple[str, ...]) -> dict[str, str]:
    """Return the source of each exercise's solution cell, keyed by exercise name."""
    cells = cells_by_grade_id(nb)
    return {name: cells[name].get("source", "") for name in exercises if name in cells}
