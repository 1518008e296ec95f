"""Shared fixtures: the kit's course, the sample submissions and one real nbgrader autograde."""

import json
import threading
from dataclasses import dataclass

import nbformat
import pytest

from autograder.catalog.mistakes import CATALOG_SECRET, mistakes, valid_styles
from autograder.commands.check import check_notebook
from autograder.course import gradebook
from autograder.course.layout import KIT_ROOT, Course
from autograder.dev.scratch import add_submission, autograde, make_course
from autograder.engine.answers import build_submission
from autograder.engine.notebook import Node, grade_id, read_notebook
from autograder.grading.references import reference_sources

#: The toy assignment's check modules are data for test_new_assignment.py, not the kit's tests.
collect_ignore = ["toy"]


def pytest_configure(config) -> None:
    """Under pytest-xdist (``kit.py test``), share the suite among workers as tests/scheduling.py says."""
    if config.pluginmanager.hasplugin("xdist"):
        from tests.scheduling import Scheduling

        config.pluginmanager.register(Scheduling(), "kit-scheduling")


#: Every assignment of the kit, found in autograder/assignments/: a folder added there joins
#: each test that runs per assignment (release, catalog, grading in every path, notebooks).
ASSIGNMENTS = tuple(a.name for a in Course(KIT_ROOT).assignments())
#: Per assignment: its catalogued mistakes and valid styles.
MISTAKES = {a: mistakes(Course(KIT_ROOT).assignment(a)) for a in ASSIGNMENTS}
VALID = {a: valid_styles(Course(KIT_ROOT).assignment(a)) for a in ASSIGNMENTS}


def per_assignment(chosen: dict, default: object) -> dict:
    """``chosen`` for every assignment of the kit, ``default`` for those it does not name."""
    return {a: chosen.get(a, default) for a in ASSIGNMENTS}


#: The students plain `nbgrader autograde` grades, per assignment: the reference, the untouched
#: release, two mistakes per exercise of keras_weights and one of keras_training, and the ones
#: found working through the assignments again (an import of a helper that would hold the
#: answer, an empty extra batch, a loss of shape (1,)) (whose scores test_autograde.py pins;
#: each must cost only its own exercise), and valid styles with
#: cross-cell answers. `autograder grade` grades the same students in the same course, among
#: attacks and faults (tests/test_grade.py), and its scores must equal nbgrader's.
NBGRADER_MISTAKES = per_assignment(
    {
        "keras_weights": (
            "make_dataset_labels_01",
            "make_dataset_threshold_ignored",
            "build_model_relu_hidden",
            "build_model_not_compiled",
            "manual_forward_no_bias",
            "manual_forward_flat_output",
            "oracle_wrong_bias_sign",
            "oracle_blog_only",
            "manual_forward_imported_helper",
        ),
        "keras_training": (
            "hinge_loss_sum_not_mean",
            "manual_gradients_tanh_prime_linear",
            "sgd_step_in_place",
            "train_by_hand_drops_last_batch",
            "train_by_hand_empty_last_batch",
            "hinge_loss_shape_one",
            "train_by_hand_two_loop_bugs",
        ),
    },
    (),
)
NBGRADER_VALID = per_assignment(
    {
        "keras_weights": ("oracle_from_build_model_and_helper", "noisy_everything"),
        "keras_training": ("train_by_hand_own_helpers", "noisy_everything"),
    },
    (),
)
#: Notebooks whose shape, not an answer, is the case, graded in every path (nbgrader, `autograder
#: grade`, `autograder check`, Gradescope): student -> the exercises it scores less than full on
#: (every exercise is graded as the notebook defines it at its graded cell, as nbgrader does).
NOTEBOOK_CASES = per_assignment(
    {
        "keras_weights": {
            "case_surrogate_in_a_comment": {},  # a lone surrogate (JSON allows it) in a comment
        },
        "keras_training": {
            "case_scratch_redefinition": {},  # a wrong sgd_step at the end, after every graded cell
            "case_global_changed_later": {},  # sgd_step's setting changed in place at the end
            "case_helper_below_its_use": {"train_by_hand": 0.0},  # its helper's cell after the graded cell
            # manual_gradients wrong, and train_by_hand calling it: only manual_gradients pays
            "case_broken_helper": {"manual_gradients": 2.0},
            "case_helper_called_through_globals": {"manual_gradients": 2.0},  # globals()["..."](...)
        },
    },
    {},
)
#: A wrong sgd_step a learner tried at the end of the notebook.
SCRATCH = """def sgd_step(weights, grads, learning_rate, velocity=None, momentum=0.0):
    return weights, velocity
"""
#: A setting sgd_step reads, kept in a dict, and a later cell that changes it in place.
SETTING = 'SETTINGS = {"step_scale": 1.0}\n\n'
CHANGED_LATER = 'SETTINGS["step_scale"] = 0.0  # trying something out\n'


def notebook_case(student: str, reference: dict[str, str], assignment, released: Node) -> Node:
    """The notebook of one of NOTEBOOK_CASES: the reference, shaped as the case says."""
    if student == "case_helper_below_its_use":
        style = valid_styles(assignment)["train_by_hand_batch_helper"]
        nb = build_submission({**reference, "train_by_hand": style["train_by_hand"]}, released)
        nb.cells.append(nbformat.v4.new_code_cell(style["batches"]))
        return nb
    if student in ("case_broken_helper", "case_helper_called_through_globals"):
        style = dict(valid_styles(assignment)["train_by_hand_own_helpers"])
        broken = mistakes(assignment)["manual_gradients_sum_not_mean"].source
        if student == "case_helper_called_through_globals":
            call = "grads = manual_gradients("
            assert call in style["train_by_hand"], "the own-helpers style no longer calls manual_gradients"
            style["train_by_hand"] = style["train_by_hand"].replace(
                call, 'grads = globals()["manual_gradients"]('
            )
        return build_submission({**reference, **style, "manual_gradients": broken}, released)
    if student == "case_global_changed_later":
        scaled = reference["sgd_step"].replace(
            "- learning_rate *", '- SETTINGS["step_scale"] * learning_rate *'
        )
        assert scaled != reference["sgd_step"], "the reference sgd_step no longer scales by learning_rate"
        nb = build_submission({**reference, "sgd_step": SETTING + scaled}, released)
        nb.cells.append(nbformat.v4.new_code_cell(CHANGED_LATER))
        return nb
    nb = build_submission(reference, released)
    if student == "case_scratch_redefinition":
        nb.cells.append(nbformat.v4.new_code_cell(SCRATCH))
    elif student == "case_surrogate_in_a_comment":
        cell = next(c for c in nb.cells if grade_id(c) == "make_dataset")
        cell["source"] = "# a lone surrogate: \ud800\n" + cell["source"]
    return nb


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


def nbgrader_students(assignment: str) -> tuple[str, ...]:
    """The students of ``assignment`` that plain nbgrader autograde grades."""
    valid = tuple(f"valid_{name}" for name in NBGRADER_VALID[assignment])
    return ("reference", "untouched", *NBGRADER_MISTAKES[assignment], *valid, *NOTEBOOK_CASES[assignment])


@dataclass(frozen=True)
class Classes:
    """Both kit assignments' honest classes in one course, graded.

    Attributes:
        course: the course; ``submitted/`` holds the students nbgrader graded.
        nbgrader: assignment -> student -> exercise -> score, by plain `nbgrader autograde`.
        inprocess: assignment -> student -> SubmissionResult, as `autograder check` grades: every
            exercise of the students nbgrader graded and of the valid styles; only its own
            exercise of any other catalogued mistake (the other exercises hold the reference,
            which test_catalog.py's many-students test grades).
    """

    course: Course
    nbgrader: dict
    inprocess: dict


def _check_class(course: Course, name: str, notebooks: dict[str, Node], folder) -> dict:
    """Grade each student's notebook as `autograder check` does, in this process, from a
    folder that holds the release's files (a mistake nbgrader does not grade: on its exercise)."""
    for file in course.release_dir(name).iterdir():
        if file.suffix != ".ipynb":
            (folder / file.name).write_bytes(file.read_bytes())
    whole = nbgrader_students(name)
    only = {m.name: m.exercise for m in mistakes(course.assignment(name)).values() if m.name not in whole}
    results, notebook = {}, folder / f"{name}.ipynb"
    for student, nb in notebooks.items():
        notebook.write_text(json.dumps(nb, ensure_ascii=True))  # as JupyterLab writes a lone surrogate
        results[student] = check_notebook(
            notebook, only.get(student), student=student, secret=CLASS_SECRET, cwd=folder
        )
    return results


@pytest.fixture(scope="session")
def classes(tmp_path_factory, kit) -> Classes:
    """The whole honest class of each assignment (reference, untouched release, catalog, valid
    styles) graded two ways at once (each uses one core): some students by plain
    `nbgrader autograde` (through the kit's engine, as the course config says) in the course,
    and every one as `autograder check` grades a learner's notebook."""
    course = make_course(tmp_path_factory.mktemp("course") / "course", ASSIGNMENTS, CLASS_SECRET)
    notebooks = {}
    for name in ASSIGNMENTS:
        released, assignment = read_notebook(course.release_notebook(name)), kit.assignment(name)
        reference = reference_sources(kit, assignment)
        students = honest_class(reference, assignment)
        notebooks[name] = {s: build_submission(answers, released) for s, answers in students.items()}
        notebooks[name] |= {
            s: notebook_case(s, reference, assignment, released) for s in NOTEBOOK_CASES[name]
        }
        for student in nbgrader_students(name):
            add_submission(course, name, student, notebooks[name][student])

    def nbgrader() -> None:
        for name in ASSIGNMENTS:
            autograde(course, name)

    thread = threading.Thread(target=nbgrader)
    thread.start()
    try:
        inprocess = {
            a: _check_class(course, a, notebooks[a], tmp_path_factory.mktemp(a)) for a in ASSIGNMENTS
        }
    finally:
        thread.join()
    scores = {a: gradebook.scores(course, kit.assignment(a)) for a in ASSIGNMENTS}
    return Classes(course, scores, inprocess)


@pytest.fixture(scope="session")
def graded_class(classes) -> tuple[Course, dict[str, dict[str, float]]]:
    """``(course, {student: {exercise: score}})``: keras_weights' class as nbgrader graded it."""
    return classes.course, classes.nbgrader[KERAS_WEIGHTS]


@pytest.fixture(scope="session")
def inprocess_class(classes) -> dict[str, object]:
    """keras_weights' honest class as `autograder check` grades it: student -> SubmissionResult."""
    return classes.inprocess[KERAS_WEIGHTS]


def autograded_notebook(course: Course, student: str, assignment: str = KERAS_WEIGHTS) -> Node:
    """Return the notebook nbgrader autograde wrote for ``student``."""
    return read_notebook(course.autograded_dir(student, assignment) / f"{assignment}.ipynb")


def full_marks(assignment) -> dict[str, float]:
    """Every exercise at its full points."""
    return dict(assignment.points)
