"""A whole class through a real `nbgrader autograde`: reference, untouched release, mistakes."""

import pytest

from autograder.checks.test_make_dataset import cases
from autograder.exercises import EXERCISES, POINTS
from autograder.notebook_io import grade_id
from autograder.variants import Identity, graded_as
from tests.catalog import mistakes
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


def test_reference_gets_full_marks(graded_class):
    """Do the reference solutions earn every point of every exercise?"""
    _, scores = graded_class
    assert scores["reference"] == {e: float(p) for e, p in POINTS.items()}


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


def test_reference_grade_cells_report_their_points(graded_class):
    """Does every hidden test cell end with its points as a number (not silence)?"""
    course, _ = graded_class
    for cell in autograded_notebook(course, "reference").cells:
        if (grade_id(cell) or "").startswith("test_"):
            results = [o for o in cell.outputs if o["output_type"] == "execute_result"]
            assert results, f"{grade_id(cell)} printed no points"
            assert float(results[-1]["data"]["text/plain"]) == POINTS[grade_id(cell)[5:]]


def test_untouched_release_scores_zero(graded_class):
    """Does the untouched release score 0 everywhere, with every exercise graded?"""
    course, scores = graded_class
    assert scores["untouched"] == dict.fromkeys(EXERCISES, 0.0)
    cells = {grade_id(c): c for c in autograded_notebook(course, "untouched").cells}
    for exercise in EXERCISES:
        text = "".join(o.get("text", "") for o in cells[f"test_{exercise}"].outputs)
        assert "FAIL" in text, f"the feedback of {exercise} should list the failed checks"


@pytest.mark.parametrize("mistake", NBGRADER_MISTAKES)
def test_mistake_costs_only_its_exercise(graded_class, mistake):
    """Does a typical mistake score less than full on its exercise and full on the others?"""
    _, scores = graded_class
    exercise = mistakes()[mistake].exercise
    want = {e: float(p) for e, p in POINTS.items()} | {exercise: EXPECTED[mistake]}
    assert scores[mistake] == want
    assert want[exercise] < POINTS[exercise]


def test_mistake_feedback_shows_its_hint(graded_class):
    """Does each mistake's graded cell show the hint for its misconception?"""
    course, _ = graded_class
    for name in NBGRADER_MISTAKES:
        mistake = mistakes()[name]
        cells = {grade_id(c): c for c in autograded_notebook(course, name).cells}
        text = "".join(o.get("text", "") for o in cells[f"test_{mistake.exercise}"].outputs)
        assert mistake.expected_hint in text, f"{name}: {text}"


def test_checks_are_drawn_for_the_graded_student(graded_class):
    """Are a student's checks drawn from the course secret and their own id under nbgrader?"""
    course, _ = graded_class
    student = "make_dataset_threshold_ignored"
    with graded_as(Identity(CLASS_SECRET, student)):
        _, n_features, threshold = cases()[1]
    cells = {grade_id(c): c for c in autograded_notebook(course, student).cells}
    text = "".join(o.get("text", "") for o in cells["test_make_dataset"].outputs)
    assert f"make_dataset(n_features={n_features}, threshold={threshold})" in text, text
