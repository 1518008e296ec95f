"""Shared fixtures: the sample submissions and one real nbgrader autograde of a whole class."""

from pathlib import Path

import nbformat
import pytest

from autograder.course import add_submission, autograde, make_course
from autograder.exercises import ASSIGNMENT
from autograder.notebook_io import read_notebook
from autograder.paths import release_notebook
from autograder.scores import gradebook_scores
from autograder.submissions import build_submission, reference_sources
from tests.catalog import mistakes

#: The mistakes graded by a real nbgrader autograde, two per exercise (the whole catalog is
#: graded in-process by test_catalog.py); each must cost only its own exercise.
NBGRADER_MISTAKES = (
    "make_dataset_labels_01",
    "make_dataset_threshold_ignored",
    "build_model_relu_hidden",
    "build_model_not_compiled",
    "manual_forward_no_bias",
    "manual_forward_flat_output",
    "oracle_wrong_bias_sign",
    "oracle_blog_only",
)
#: The course secret of the graded class, so that its per-student checks are known here.
CLASS_SECRET = "test-secret"


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
    course = make_course(tmp_path_factory.mktemp("course") / "course", secret=CLASS_SECRET)
    released = read_notebook(release_notebook(course))
    add_submission(course, "reference", build_submission(reference, released))
    add_submission(course, "untouched", released)
    catalog = mistakes()
    for name in NBGRADER_MISTAKES:
        answer = {catalog[name].exercise: catalog[name].source}
        add_submission(course, name, build_submission({**reference, **answer}, released))
    autograde(course)
    return course, gradebook_scores(course)


def autograded_notebook(course: Path, student: str) -> nbformat.NotebookNode:
    """Return the notebook nbgrader autograde wrote for ``student``."""
    return read_notebook(course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
