"""A whole class through a real `nbgrader autograde`: reference, untouched release, mistakes."""

import pytest

from autograder.commands.catalog import mistakes
from autograder.engine.checks import check_module
from autograder.engine.draws import Draws, Identity
from autograder.engine.notebook import grade_id
from tests.conftest import CLASS_SECRET, NBGRADER_MISTAKES, autograded_notebook

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
}


def test_reference_gets_full_marks(graded_class, keras_weights):
    """Do the reference solutions earn every point of every exercise?"""
    _, scores = graded_class
    assert scores["reference"] == keras_weights.points


def test_reference_grade_cells_have_no_stderr(graded_class):
    """Does no grade cell of the reference show stderr or an error (nbgrader's zero)?"""
    course, _ = graded_class
    noisy = [
        (grade_id(cell), out.get("name", out["output_type"]))
        for cell in autograded_notebook(course, "reference").cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade")
        for out in cell.get("outputs", [])
        if out["output_type"] == "error" or out.get("name") == "stderr"
    ]
    assert noisy == []


def test_reference_grade_cells_report_their_points(graded_class, keras_weights):
    """Does every hidden test cell end with its points as a number (not silence)?"""
    course, _ = graded_class
    cells = {grade_id(c): c for c in autograded_notebook(course, "reference").cells}
    for exercise in keras_weights.exercises:
        results = [o for o in cells[exercise.test_cell].outputs if o["output_type"] == "execute_result"]
        assert results, f"{exercise.test_cell} printed no points"
        assert float(results[-1]["data"]["text/plain"]) == exercise.points


def test_untouched_release_scores_zero(graded_class, keras_weights):
    """Does the untouched release score 0 everywhere, each graded cell saying once that every
    check failed because the function is not written yet?"""
    course, scores = graded_class
    assert scores["untouched"] == dict.fromkeys(keras_weights.exercise_names, 0.0)
    cells = {grade_id(c): c for c in autograded_notebook(course, "untouched").cells}
    for exercise in keras_weights.exercise_names:
        text = "".join(o.get("text", "") for o in cells[f"test_{exercise}"].outputs)
        assert text.count("FAIL") == 1 and "checks failed" in text and "not written yet" in text, text


@pytest.mark.parametrize("mistake", NBGRADER_MISTAKES)
def test_mistake_costs_only_its_exercise(graded_class, keras_weights, mistake):
    """Does a typical mistake score less than full on its exercise and full on the others?"""
    _, scores = graded_class
    exercise = mistakes(keras_weights)[mistake].exercise
    want = keras_weights.points | {exercise: EXPECTED[mistake]}
    assert scores[mistake] == want
    assert want[exercise] < keras_weights.points[exercise]


def test_mistake_feedback_shows_its_hint(graded_class, keras_weights):
    """Does each mistake's graded cell show the hint for its misconception?"""
    course, _ = graded_class
    for name in NBGRADER_MISTAKES:
        mistake = mistakes(keras_weights)[name]
        cells = {grade_id(c): c for c in autograded_notebook(course, name).cells}
        text = "".join(o.get("text", "") for o in cells[f"test_{mistake.exercise}"].outputs)
        assert mistake.expected_hint in text, f"{name}: {text}"


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
    engine where nbgrader's Execute (student code in a kernel beside the tests) was?"""
    import importlib

    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute
    from traitlets.config.loader import PyFileConfigLoader

    from autograder.commands.nbgrader_autograde import PREPROCESSORS, SandboxedAutograde

    def load(name: str):
        module, _, attr = name.rpartition(".")
        return getattr(importlib.import_module(module), attr)

    configured = PyFileConfigLoader("nbgrader_config.py", path=str(kit.root)).load_config()
    assert configured.Autograde.autograde_preprocessors == PREPROCESSORS
    default = [SandboxedAutograde if c is Execute else c for c in Autograde().autograde_preprocessors]
    assert [load(name) for name in PREPROCESSORS] == default
