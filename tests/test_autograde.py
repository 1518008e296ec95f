"""Both assignments through a real `nbgrader autograde`: reference, untouched release, mistakes,
valid styles, in one course."""

import json
import subprocess
import sys

import pytest

from autograder.catalog.mistakes import mistakes
from autograder.engine.notebook import grade_id
from autograder.model.draws import Draws, Identity
from tests.conftest import (
    ASSIGNMENTS,
    CLASS_SECRET,
    NBGRADER_MISTAKES,
    NBGRADER_VALID,
    NOTEBOOK_CASES,
    autograded_notebook,
)
from tests.helpers import check_module

pytestmark = pytest.mark.slow

#: What each mistake scores on its own exercise: less than full, and pinned so that a change
#: in the checks that changes a verdict shows up here.
EXPECTED = {
    "build_model_not_compiled": 2.86,
    "build_model_relu_hidden": 3.43,
    "make_dataset_labels_01": 2.67,
    "make_dataset_threshold_ignored": 3.33,
    "manual_forward_flat_output": 5.54,
    "manual_forward_no_bias": 2.31,
    "oracle_blog_only": 1.33,
    "oracle_wrong_bias_sign": 0.67,
    "hinge_loss_sum_not_mean": 1.0,
    "manual_gradients_tanh_prime_linear": 2.0,
    "sgd_step_in_place": 3.0,
    "train_by_hand_drops_last_batch": 2.57,
    "train_by_hand_empty_last_batch": 5.14,
    "hinge_loss_shape_one": 3.0,
    "manual_forward_imported_helper": 0.0,
    "train_by_hand_two_loop_bugs": 1.71,
}
PINNED = [(a, m) for a, names in NBGRADER_MISTAKES.items() for m in names]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_reference_gets_full_marks(classes, kit, name):
    """Do the reference solutions and the valid styles graded earn every point of every exercise?"""
    full = kit.assignment(name).points
    assert classes.nbgrader[name]["reference"] == full
    for style in NBGRADER_VALID[name]:
        assert classes.nbgrader[name][f"valid_{style}"] == full, style


CASES = [(a, s) for a, students in NOTEBOOK_CASES.items() for s in students]


@pytest.mark.parametrize(("name", "student"), CASES)
def test_a_notebook_case_scores_as_in_notebook_order(classes, kit, name, student):
    """Does each notebook case score what running it in order gives (a function graded as it
    stands at its graded cell), the same under nbgrader and `autograder check`?"""
    want = kit.assignment(name).points | NOTEBOOK_CASES[name][student]
    checked = {e.exercise: e.points for e in classes.inprocess[name][student].exercises}
    assert classes.nbgrader[name][student] == want
    assert checked == want, classes.inprocess[name][student].to_text()


def test_a_function_calling_a_broken_helper_says_so(classes):
    """Does train_by_hand, calling the student's manual_gradients that fails its own checks, get
    full marks (graded with the reference manual_gradients) and say which helper to fix, in the
    notebook nbgrader graded and in `autograder check`?"""
    said = "train_by_hand calls your manual_gradients, which fails its own checks: fix that first"
    cells = {
        grade_id(c): c
        for c in autograded_notebook(classes.course, "case_broken_helper", "keras_training").cells
    }
    assert said in "".join(o.get("text", "") for o in cells["test_train_by_hand"].outputs)
    assert said in classes.inprocess["keras_training"]["case_broken_helper"].exercise("train_by_hand").note


def test_a_helper_below_its_use_is_named(classes):
    """Does the feedback of a function whose helper is defined below its graded cell say that the
    helper is not defined there?"""
    text = (
        classes.inprocess["keras_training"]["case_helper_below_its_use"].exercise("train_by_hand").to_text()
    )
    assert "NameError: name 'batches' is not defined" in text, text


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_reference_grade_cells_have_no_stderr(classes, name):
    """Does no grade cell of the reference show stderr or an error (nbgrader's zero)?"""
    noisy = [
        (grade_id(cell), out.get("name", out["output_type"]))
        for cell in autograded_notebook(classes.course, "reference", name).cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade")
        for out in cell.get("outputs", [])
        if out["output_type"] == "error" or out.get("name") == "stderr"
    ]
    assert noisy == []


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_reference_grade_cells_report_their_points(classes, kit, name):
    """Does every hidden test cell end with its points as a number (not silence)?"""
    cells = {grade_id(c): c for c in autograded_notebook(classes.course, "reference", name).cells}
    for exercise in kit.assignment(name).exercises:
        results = [o for o in cells[exercise.test_cell].outputs if o["output_type"] == "execute_result"]
        assert results, f"{exercise.test_cell} printed no points"
        assert float(results[-1]["data"]["text/plain"]) == exercise.points


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_untouched_release_scores_zero(classes, kit, name):
    """Does the untouched release score 0 everywhere, each graded cell saying once that the
    exercise is not attempted (the stub is not written yet)?"""
    assignment = kit.assignment(name)
    assert classes.nbgrader[name]["untouched"] == dict.fromkeys(assignment.exercise_names, 0.0)
    cells = {grade_id(c): c for c in autograded_notebook(classes.course, "untouched", name).cells}
    for exercise in assignment.exercise_names:
        text = "".join(o.get("text", "") for o in cells[f"test_{exercise}"].outputs)
        assert text.count("FAIL") == 1 and "not attempted" in text and "not written yet" in text, text


@pytest.mark.parametrize(("name", "mistake"), PINNED)
def test_mistake_costs_only_its_exercise(classes, kit, name, mistake):
    """Does a typical mistake score less than full on its exercise and full on the others?"""
    assignment = kit.assignment(name)
    exercise = mistakes(assignment)[mistake].exercise
    want = assignment.points | {exercise: EXPECTED[mistake]}
    assert classes.nbgrader[name][mistake] == want
    assert want[exercise] < assignment.points[exercise]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_class_report_counts_what_nbgrader_autograde_graded(classes, kit, name):
    """After plain `nbgrader autograde`, does `autograder report` list each graded mistake under
    exactly the causes it declares, from the records the kit's engine kept on that path?"""
    course, catalog = classes.course, mistakes(kit.assignment(name))
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "report", name], cwd=course.root, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    found = json.loads((course.reports_dir(name) / "analytics.json").read_text())
    shown = {m["id"]: set(m["students"]) for m in found["misconceptions"]}
    for mistake in NBGRADER_MISTAKES[name]:
        named = {cause for cause, students in shown.items() if mistake in students}
        assert named == set(catalog[mistake].causes), mistake


@pytest.mark.parametrize(("name", "mistake"), PINNED)
def test_mistake_feedback_shows_its_hint(classes, kit, name, mistake):
    """Does the mistake's graded cell show the hint for its misconception?"""
    entry = mistakes(kit.assignment(name))[mistake]
    cells = {grade_id(c): c for c in autograded_notebook(classes.course, mistake, name).cells}
    text = "".join(o.get("text", "") for o in cells[f"test_{entry.exercise}"].outputs)
    assert entry.expected_hint in text, f"{mistake}: {text}"


def test_checks_are_drawn_for_the_graded_student(graded_class, keras_weights):
    """Are a student's checks drawn from the course secret and their own id under nbgrader?"""
    course, _ = graded_class
    student = "make_dataset_threshold_ignored"
    cases = check_module(keras_weights, "make_dataset").cases
    n, n_features, threshold, _ = cases(Draws(Identity(CLASS_SECRET, student)))[1]
    cells = {grade_id(c): c for c in autograded_notebook(course, student).cells}
    text = "".join(o.get("text", "") for o in cells["test_make_dataset"].outputs)
    assert f"make_dataset({n}, n_features={n_features}, threshold={threshold})" in text, text


def test_autograde_is_nbgraders_with_the_engine_for_execute(kit):
    """Does the course's config run nbgrader's own autograde steps, with the kit's sandboxed
    engine where nbgrader's Execute (student code in a kernel beside the tests) was, and its
    own first steps after the kit's that makes the text writable?"""
    import importlib

    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute
    from traitlets.config.loader import PyFileConfigLoader

    from autograder.commands.nbgrader_autograde import (
        PREPROCESSORS,
        SANITIZERS,
        SandboxedAutograde,
        WritableText,
    )

    def load(name: str):
        module, _, attr = name.rpartition(".")
        return getattr(importlib.import_module(module), attr)

    configured = PyFileConfigLoader("nbgrader_config.py", path=str(kit.root)).load_config()
    assert configured.Autograde.autograde_preprocessors == PREPROCESSORS
    default = [SandboxedAutograde if c is Execute else c for c in Autograde().autograde_preprocessors]
    assert [load(name) for name in PREPROCESSORS] == default
    assert configured.Autograde.sanitize_preprocessors == SANITIZERS
    assert [load(name) for name in SANITIZERS] == [WritableText, *Autograde().sanitize_preprocessors]
