"""The grader judged against the catalog: every mistake caught and named, every valid style accepted.

The catalog is graded once, in ``inprocess_class`` (as `autograder check` grades), as part of
the whole honest class that `nbgrader autograde` and `autograder grade` grade too; each entry
is graded as the student named after it.
"""

import pytest

from autograder.commands.catalog import CATALOG_SECRET, kill_matrix, kill_matrix_file, mistakes, valid_styles
from autograder.course.layout import KIT_ROOT, Course
from autograder.course.scratch import reference_functions
from autograder.engine.checks import check_module, run_checks
from autograder.engine.draws import Draws, Identity

pytestmark = pytest.mark.slow
KIT = Course(KIT_ROOT)
ASSIGNMENT = KIT.assignment("keras_weights")
DATA = KIT.source_data_dir()
MISTAKES = mistakes(ASSIGNMENT)
VALID = valid_styles(ASSIGNMENT)


@pytest.fixture(scope="module")
def catalog_results(inprocess_class):
    """Every mistake's result on its own exercise, as the kill matrix records it."""
    return {m.name: inprocess_class[m.name].exercise(m.exercise) for m in MISTAKES.values()}


def test_catalog_is_large_enough():
    """Does the catalog hold 8+ mistakes per exercise and 12+ valid styles?"""
    counts = {e: sum(m.exercise == e for m in MISTAKES.values()) for e in ASSIGNMENT.exercise_names}
    assert min(counts.values()) >= 8, counts
    assert len(VALID) >= 12


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_mistake_is_caught_and_named(inprocess_class, name):
    """Does the mistake score less than full on its exercise, with its misconception's hint,
    and full marks on every other exercise?"""
    result, mistake = inprocess_class[name], MISTAKES[name]
    mine = result.exercise(mistake.exercise)
    assert mine.points < mine.max_points, mine.to_text()
    assert mistake.expected_hint in mine.to_text(), mine.to_text()
    assert all(e.points == e.max_points for e in result.exercises if e.exercise != mistake.exercise)


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_style_gets_full_marks(inprocess_class, name):
    """Does a correct answer in another style earn every point?"""
    result = inprocess_class[f"valid_{name}"]
    assert result.points == ASSIGNMENT.points, result.to_text()


def test_kill_matrix_is_current(catalog_results):
    """Is the kill matrix what grading the catalog gives now (`autograder kill-matrix`)?"""
    assert kill_matrix_file(ASSIGNMENT).read_text() == kill_matrix(ASSIGNMENT, catalog_results)


def test_hints_give_away_no_code_or_hidden_inputs(catalog_results):
    """Do the hints leave out solution code (np.where, np.tanh(...)) and hidden arrays?"""
    for result in catalog_results.values():
        for check in result.failed:
            for leak in ("np.where", "np.tanh(", "np.ones(", "[[", "array(["):
                assert leak not in check.hint, (result.exercise, check.hint)


def _draw(secret: str, student: str) -> tuple:
    draws = Draws(Identity(secret, student))
    return (
        check_module(ASSIGNMENT, "make_dataset").cases(draws),
        check_module(ASSIGNMENT, "build_model").sizes(draws),
        check_module(ASSIGNMENT, "make_oracle_weights").configs(draws, "features"),
    )


def test_checks_differ_between_students():
    """Do two students of one course get different drawn checks, and one student the same?"""
    assert _draw("course-secret", "alice") == _draw("course-secret", "alice")
    assert _draw("course-secret", "alice") != _draw("course-secret", "bob")


def test_checks_depend_on_the_secret():
    """Does another course secret give the same student other checks?"""
    configs = check_module(ASSIGNMENT, "make_oracle_weights").configs
    assert configs(Draws(Identity("secret-1", "alice")), "hidden") != configs(
        Draws(Identity("secret-2", "alice")), "hidden"
    )


def test_reference_passes_for_many_students():
    """Does the reference earn full marks whatever the drawn checks (20 students)?"""
    functions = reference_functions(KIT, ASSIGNMENT)
    for i in range(20):
        identity = Identity(CATALOG_SECRET, f"student-{i}")
        for exercise in ("make_dataset", "make_oracle_weights"):
            result = run_checks(ASSIGNMENT, exercise, functions[exercise], identity, DATA)
            assert result.points == ASSIGNMENT.points[exercise], result.to_text()
