"""Shared fixtures: the sample submissions and one real nbgrader autograde of a whole class."""

from pathlib import Path

import nbformat
import pytest

from autograder.course import add_submission, autograde, make_course
from autograder.exercises import ASSIGNMENT
from autograder.notebook_io import read_notebook
from autograder.paths import release_notebook
from autograder.scores import gradebook_scores
from autograder.submissions import build_submission, reference_sources, sources_from_file

SUBMISSIONS_DIR = Path(__file__).parent / "submissions"


def mistakes() -> dict[str, tuple[str, str]]:
    """Return the catalog of wrong answers: fixture name -> (exercise, source of its function)."""
    found = {}
    for path in sorted(SUBMISSIONS_DIR.glob("*.py")):
        ((exercise, source),) = sources_from_file(path).items()
        found[path.stem] = (exercise, source)
    return found


MISTAKES = mistakes()


@pytest.fixture(scope="session")
def reference() -> dict[str, str]:
    """The reference solutions' sources, by exercise."""
    return reference_sources()


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory, reference) -> tuple[Path, dict[str, dict[str, float]]]:
    """A course where nbgrader autograde graded the reference, the release and every mistake.

    Returns:
        ``(course folder, {student: {exercise: score}})`` as the gradebook holds them.
    """
    course = make_course(tmp_path_factory.mktemp("course") / "course")
    released = read_notebook(release_notebook(course))
    add_submission(course, "reference", build_submission(reference, released))
    add_submission(course, "untouched", released)
    for name, (exercise, source) in MISTAKES.items():
        add_submission(course, name, build_submission({**reference, exercise: source}, released))
    autograde(course)
    return course, gradebook_scores(course)


def autograded_notebook(course: Path, student: str) -> nbformat.NotebookNode:
    """Return the notebook nbgrader autograde wrote for ``student``."""
    return read_notebook(course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
