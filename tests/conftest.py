"""Shared fixtures: the kit's course, the sample submissions and one real nbgrader autograde."""

import threading

import pytest

from autograder.commands.catalog import CATALOG_SECRET, mistakes, valid_styles
from autograder.commands.check import check_notebook
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

#: The toy assignment's check modules are data for test_new_assignment.py, not the kit's tests.
collect_ignore = ["toy"]

#: Mistakes whose scores test_autograde.py pins, two per exercise (the class nbgrader grades
#: holds the whole catalog); each must cost only its own exercise.
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
#: The course secret of the graded class: the catalog's, so that each catalogued answer is
#: graded for the same student (named after it) in every path and in the kill matrix.
CLASS_SECRET = CATALOG_SECRET
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


def honest_class(reference: dict, assignment) -> dict[str, dict[str, str]]:
    """student -> answers: the reference, the untouched release, every catalogued mistake (its
    name) and every valid style ("valid_" and its name, cross-cell answers among them)."""
    students = {"reference": reference, "untouched": {}}
    students |= {m.name: {**reference, m.exercise: m.source} for m in mistakes(assignment).values()}
    students |= {
        f"valid_{name}": {**reference, **answers} for name, answers in valid_styles(assignment).items()
    }
    return students


@pytest.fixture(scope="session")
def classes(tmp_path_factory, reference, keras_weights) -> tuple[Course, dict, dict]:
    """The whole honest class (reference, untouched release, catalog, valid styles) graded two
    ways at once (each uses one core): by plain `nbgrader autograde` (through the kit's engine,
    as the course config says), and as `autograder check` grades a learner's notebook (in this
    process, from a folder that holds the release's files).

    Returns:
        ``(course, nbgrader's {student: {exercise: score}}, {student: SubmissionResult})``.
    """
    course = make_course(tmp_path_factory.mktemp("course") / "course", (KERAS_WEIGHTS,), CLASS_SECRET)
    released = read_notebook(course.release_notebook(KERAS_WEIGHTS))
    students = honest_class(reference, keras_weights)
    for student, answers in students.items():
        add_submission(course, KERAS_WEIGHTS, student, build_submission(answers, released))
    nbgrader = threading.Thread(target=autograde, args=(course, KERAS_WEIGHTS))
    nbgrader.start()
    folder = tmp_path_factory.mktemp("learner")
    for file in course.release_dir(KERAS_WEIGHTS).iterdir():
        if file.suffix != ".ipynb":
            (folder / file.name).write_bytes(file.read_bytes())
    results, notebook = {}, folder / f"{KERAS_WEIGHTS}.ipynb"
    for student in students:
        notebook.write_bytes((course.submitted_dir(student, KERAS_WEIGHTS) / notebook.name).read_bytes())
        results[student] = check_notebook(notebook, student=student, secret=CLASS_SECRET, cwd=folder)
    nbgrader.join()
    return course, gradebook.scores(course, keras_weights), results


@pytest.fixture(scope="session")
def graded_class(classes) -> tuple[Course, dict[str, dict[str, float]]]:
    """``(course, {student: {exercise: score}})``: the honest class as nbgrader graded it."""
    return classes[0], classes[1]


@pytest.fixture(scope="session")
def inprocess_class(classes) -> dict[str, object]:
    """The honest class as `autograder check` grades it: student -> SubmissionResult."""
    return classes[2]


def autograded_notebook(course: Course, student: str) -> Node:
    """Return the notebook nbgrader autograde wrote for ``student``."""
    return read_notebook(course.autograded_dir(student, KERAS_WEIGHTS) / f"{KERAS_WEIGHTS}.ipynb")


def full_marks(assignment) -> dict[str, float]:
    """Every exercise at its full points."""
    return dict(assignment.points)
