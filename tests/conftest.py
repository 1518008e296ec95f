"""Shared fixtures: the kit's course, the sample submissions and one real nbgrader autograde."""

import pytest

from autograder.commands.catalog import mistakes
from autograder.course import gradebook
from autograder.course.layout import KIT_ROOT, Course
from autograder.course.scratch import (
    add_submission,
    autograde,
    build_submission,
    make_course,
    reference_sources,
)
from autograder.engine.notebook import Node, read_notebook

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
KERAS_WEIGHTS = "keras_weights"


@pytest.fixture(scope="session")
def kit() -> Course:
    """The kit's own course (its repository)."""
    return Course(KIT_ROOT)


@pytest.fixture(scope="session")
def keras_weights(kit):
    """The keras_weights assignment."""
    return kit.assignment(KERAS_WEIGHTS)


@pytest.fixture(scope="session")
def reference(kit, keras_weights) -> dict[str, str]:
    """The reference solutions' sources, by exercise."""
    return reference_sources(kit, keras_weights)


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory, reference, keras_weights) -> tuple[Course, dict[str, dict[str, float]]]:
    """A course where nbgrader autograde graded the reference, the release and every mistake.

    Returns:
        ``(course, {student: {exercise: score}})`` as the gradebook holds them.
    """
    course = make_course(tmp_path_factory.mktemp("course") / "course", (KERAS_WEIGHTS,), CLASS_SECRET)
    released = read_notebook(course.release_notebook(KERAS_WEIGHTS))
    add_submission(course, KERAS_WEIGHTS, "reference", build_submission(reference, released))
    add_submission(course, KERAS_WEIGHTS, "untouched", released)
    catalog = mistakes(keras_weights)
    for name in NBGRADER_MISTAKES:
        answer = {catalog[name].exercise: catalog[name].source}
        add_submission(course, KERAS_WEIGHTS, name, build_submission({**reference, **answer}, released))
    autograde(course, KERAS_WEIGHTS)
    return course, gradebook.scores(course, keras_weights)


def autograded_notebook(course: Course, student: str) -> Node:
    """Return the notebook nbgrader autograde wrote for ``student``."""
    return read_notebook(course.autograded_dir(student, KERAS_WEIGHTS) / f"{KERAS_WEIGHTS}.ipynb")


def full_marks(assignment) -> dict[str, float]:
    """Every exercise at its full points."""
    return dict(assignment.points)
