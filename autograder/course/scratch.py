"""Scratch courses for the demo, the tests and the benchmarks: a copy of the kit's course in a
folder of one's own, and submissions built from answers."""

import ast
import copy
import json
import re
import shutil
from pathlib import Path

from autograder.commands.release import release
from autograder.course.layout import CONFIG_FILE, KIT_ROOT, Course
from autograder.course.nbgrader import run_nbgrader
from autograder.course.secret import create_secret
from autograder.engine.notebook import Node, cells_by_grade_id, read_notebook, solution_sources

_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", re.MULTILINE)


def make_course(dest: Path, assignments: tuple[str, ...] | None = None, secret: str | None = None) -> Course:
    """Copy the kit's nbgrader config and the assignments' sources (default: all the kit's) to
    ``dest``, and release them.

    ``dest`` is emptied first, so it must be a folder the caller owns (a temp or output folder).
    ``secret`` is the course secret to grade with (default: a new random one).
    """
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy(KIT_ROOT / CONFIG_FILE, dest)
    kit, course = Course(KIT_ROOT), Course(dest)
    for name in assignments or [a.name for a in kit.assignments()]:
        shutil.copytree(kit.source_dir(name), course.source_dir(name))
        release(course, name)
    if secret is not None:
        course.secret_file.write_text(secret + "\n")
    create_secret(course.secret_file)
    return course


def add_submission(course: Course, assignment: str, student: str, nb: Node) -> Path:
    """Place ``nb`` where ``nbgrader collect`` would put the student's submission (text no
    UTF-8 file can hold, a lone surrogate, as the JSON escape JupyterLab writes)."""
    folder = course.submitted_dir(student, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment}.ipynb"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=True) + "\n")
    return path


def autograde(course: Course, assignment: str, sandbox: str = "auto") -> None:
    """Run ``nbgrader autograde`` on every submission of the course (through the kit's engine,
    isolated as ``sandbox`` says)."""
    run_nbgrader(["autograde", assignment, "--force", f"--SandboxedAutograde.sandbox={sandbox}"], course.root)


def feedback_and_export(course: Course, assignment: str) -> Path:
    """Run ``nbgrader generate_feedback`` and ``nbgrader export``; return the grades CSV."""
    run_nbgrader(["generate_feedback", assignment, "--force"], course.root)
    run_nbgrader(["export", "--to", "grades.csv"], course.root)
    return course.root / "grades.csv"


def reference_sources(course: Course, assignment) -> dict[str, str]:
    """The reference solution of each exercise, without nbgrader's markers."""
    nb = read_notebook(course.source_notebook(assignment.name))
    return {
        name: _MARKER.sub("", src) for name, src in solution_sources(nb, assignment.exercise_names).items()
    }


def reference_functions(course: Course, assignment) -> dict:
    """The reference solutions as functions: the release with the reference answers, run."""
    from autograder.engine.inprocess import load_functions
    from autograder.engine.plan import make_plan

    release = read_notebook(course.release_notebook(assignment.name))
    nb = build_submission(reference_sources(course, assignment), release)
    return load_functions(
        make_plan(nb, release, assignment), assignment, course.release_dir(assignment.name)
    )[0]


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
