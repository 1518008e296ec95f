"""Scratch courses for the demo, the tests and the benchmarks: a copy of the kit's course in a
folder of one's own, submissions placed in it, and nbgrader run on them. Nothing that grades
imports this."""

import json
import shutil
from pathlib import Path

from autograder.course.layout import CONFIG_FILE, KIT_ROOT, Course
from autograder.course.nbgrader import run_nbgrader
from autograder.course.release import release
from autograder.course.secret import create_secret
from autograder.engine.answers import build_submission
from autograder.engine.inprocess import load_functions
from autograder.engine.notebook import Node, read_notebook
from autograder.engine.plan import make_plan
from autograder.grading.references import reference_sources
from autograder.model.assignment import Assignment


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


def reference_functions(course: Course, assignment: Assignment) -> dict:
    """The reference solutions as functions: the release with the reference answers, run."""
    release = read_notebook(course.release_notebook(assignment.name))
    nb = build_submission(reference_sources(course, assignment), release)
    return load_functions(
        make_plan(nb, release, assignment), assignment, course.release_dir(assignment.name)
    )[0]
