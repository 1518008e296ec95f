"""The grader judged against the catalog: every mistake caught and named, every valid style accepted."""

import pytest

from autograder.checks import test_build_model, test_make_dataset, test_make_oracle_weights
from autograder.exercises import EXERCISES, POINTS
from autograder.reference import reference_functions
from autograder.runner import run_checks
from autograder.variants import Identity, graded_as, identity_from_cwd
from tests.catalog import (
    CATALOG_IDENTITY,
    KILL_MATRIX,
    grade,
    kill_matrix,
    mistakes,
    valid_styles,
)

MISTAKES = mistakes()
VALID = valid_styles()


@pytest.fixture(scope="module")
def catalog_reports():
    """Every mistake graded once, as the kill matrix records it."""
    return {m.name: grade(m.exercise, m.source) for m in MISTAKES.values()}


def test_catalog_is_large_enough():
    """Does the catalog hold 8+ mistakes per exercise and 12+ valid styles?"""
    counts = {e: sum(m.exercise == e for m in MISTAKES.values()) for e in EXERCISES}
    assert min(counts.values()) >= 8, counts
    assert len(VALID) >= 12


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_mistake_is_caught_and_named(catalog_reports, name):
    """Does the mistake score less than full on its exercise, with its misconception's hint?"""
    report, mistake = catalog_reports[name], MISTAKES[name]
    assert report.points < POINTS[mistake.exercise], report.render()
    assert mistake.expected_hint in report.render(), report.render()


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_style_gets_full_marks(name):
    """Does a correct answer in another style earn every point?"""
    for exercise, source in VALID[name].items():
        report = grade(exercise, source)
        assert report.points == POINTS[exercise], report.render()


def test_kill_matrix_is_current(catalog_reports):
    """Is docs/kill_matrix.md what grading the catalog gives now (`python -m tests.catalog`)?"""
    assert KILL_MATRIX.read_text() == kill_matrix(catalog_reports)


def test_verdicts_are_stable(catalog_reports):
    """Does grading the catalog again give identical scores and verdicts?"""
    for m in MISTAKES.values():
        again = grade(m.exercise, m.source)
        before = catalog_reports[m.name]
        assert [(r.name, r.passed) for r in again.results] == [(r.name, r.passed) for r in before.results], (
            m.name
        )
        assert again.points == before.points


def test_hints_give_away_no_code_or_hidden_inputs(catalog_reports):
    """Do the hints leave out solution code (np.where, np.tanh(...)) and hidden arrays?"""
    for report in catalog_reports.values():
        for result in report.failed:
            for leak in ("np.where", "np.tanh(", "np.ones(", "[[", "array(["):
                assert leak not in result.hint, (report.exercise, result.hint)


def test_checks_differ_between_students():
    """Do two students of one course get different drawn checks, and one student the same?"""
    draw = {}
    for student in ("alice", "bob", "alice"):
        with graded_as(Identity("course-secret", student)):
            draw.setdefault(student, []).append(
                (
                    test_make_dataset.cases(),
                    test_build_model.sizes(),
                    test_make_oracle_weights.configs("features"),
                )
            )
    assert draw["alice"][0] == draw["alice"][1]
    assert draw["alice"][0] != draw["bob"][0]


def test_checks_depend_on_the_secret():
    """Does another course secret give the same student other checks?"""
    with graded_as(Identity("secret-1", "alice")):
        first = test_make_oracle_weights.configs("hidden")
    with graded_as(Identity("secret-2", "alice")):
        second = test_make_oracle_weights.configs("hidden")
    assert first != second


def test_identity_is_read_from_nbgrader_layout(tmp_path):
    """Inside autograded/<student>/<assignment>/ is the student and the course secret known?"""
    (tmp_path / ".autograder-secret").write_text("s3cret\n")
    folder = tmp_path / "autograded" / "jdoe" / "keras_weights"
    folder.mkdir(parents=True)
    assert identity_from_cwd(folder) == Identity("s3cret", "jdoe")


def test_reference_passes_for_many_students():
    """Does the reference earn full marks whatever the drawn checks (20 students)?"""
    functions = reference_functions()
    for i in range(20):
        identity = Identity(CATALOG_IDENTITY.secret, f"student-{i}")
        for exercise in ("make_dataset", "make_oracle_weights"):
            report = run_checks(exercise, functions[exercise], identity)
            assert report.points == POINTS[exercise], report.render()
