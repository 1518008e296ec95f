"""A course directory to grade in: set up from the kit, filled with submissions, autograded."""

import shutil
from pathlib import Path

import nbformat

from autograder.exercises import ASSIGNMENT
from autograder.paths import REPO_ROOT
from autograder.release import release, run_nbgrader
from autograder.variants import SECRET_FILE, create_secret


def make_course(dest: Path, assignment: str = ASSIGNMENT, secret: str | None = None) -> Path:
    """Copy the kit's nbgrader config and sources to ``dest`` and release the assignment there.

    ``dest`` is emptied first, so it must be a folder the caller owns (a temp or output folder).
    ``secret`` is the course secret to grade with (default: a new random one).
    """
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "solutions").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "nbgrader_config.py", dest)
    shutil.copytree(REPO_ROOT / "solutions" / assignment, dest / "solutions" / assignment)
    release(assignment, dest)
    if secret is not None:
        (dest / SECRET_FILE).write_text(secret + "\n")
    create_secret(dest)
    return dest


def add_submission(
    course: Path, student: str, nb: nbformat.NotebookNode, assignment: str = ASSIGNMENT
) -> Path:
    """Place ``nb`` where ``nbgrader collect`` would: ``submitted/<student>/<assignment>/``."""
    folder = Path(course) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment}.ipynb"
    nbformat.write(nb, path)
    return path


def autograde(course: Path, assignment: str = ASSIGNMENT) -> None:
    """Run ``nbgrader autograde`` on every submission of the course."""
    run_nbgrader(["autograde", assignment, "--force"], Path(course))


def feedback_and_export(course: Path, assignment: str = ASSIGNMENT) -> Path:
    """Run ``nbgrader generate_feedback`` and ``nbgrader export``; return the grades CSV."""
    run_nbgrader(["generate_feedback", assignment, "--force"], Path(course))
    run_nbgrader(["export", "--to", "grades.csv"], Path(course))
    return Path(course) / "grades.csv"
