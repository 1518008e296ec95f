"""The grader judged against the catalogs: every mistake caught and named, every valid style
accepted, in both assignments.

Each catalog is graded once, in the ``classes`` fixture (as `autograder check` grades), as part
of the whole honest class that `autograder grade` grades too; each entry is graded as the
student named after it.
"""

import json
import sys

import pytest

from autograder.catalog.kill_matrix import (
    cause,
    hints_file,
    kill_matrix,
    kill_matrix_file,
    visible_hints,
    visible_run,
)
from autograder.catalog.mistakes import CATALOG_SECRET
from autograder.catalog.mutation import fingerprint, recorded_fingerprint, report_file
from autograder.course.layout import KIT_ROOT, Course
from autograder.dev.scratch import reference_functions
from autograder.engine.checks import run_checks
from autograder.model.draws import Draws, Identity
from tests.conftest import ASSIGNMENTS, MISTAKES, VALID

sys.path.insert(0, str(KIT_ROOT / "source_data"))
from visible_hints import _same as same_signature  # noqa: E402  (what the check cells run)

from tests.helpers import check_module

pytestmark = pytest.mark.slow
KIT = Course(KIT_ROOT)
ASSIGNMENT = KIT.assignment("keras_weights")
DATA = KIT.source_data_dir()
#: The fewest mistakes per exercise and valid styles a catalog holds (an added assignment's: one each).
SMALLEST = {"keras_weights": (8, 12), "keras_training": (8, 10)}
ENTRIES = [(a, name) for a in ASSIGNMENTS for name in sorted(MISTAKES[a])]
STYLES = [(a, name) for a in ASSIGNMENTS for name in sorted(VALID[a])]


@pytest.fixture(scope="module")
def catalog_results(classes):
    """assignment -> every mistake's result on its own exercise, as the kill matrix records it."""
    return {
        a: {m.name: classes.inprocess[a][m.name].exercise(m.exercise) for m in MISTAKES[a].values()}
        for a in ASSIGNMENTS
    }


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_catalog_is_large_enough(name):
    """Does the catalog hold enough mistakes per exercise and enough valid styles?"""
    assignment = KIT.assignment(name)
    counts = {e: sum(m.exercise == e for m in MISTAKES[name].values()) for e in assignment.exercise_names}
    least_mistakes, least_styles = SMALLEST.get(name, (1, 1))
    assert min(counts.values()) >= least_mistakes, counts
    assert len(VALID[name]) >= least_styles


@pytest.mark.parametrize(("name", "entry"), ENTRIES)
def test_mistake_is_caught_and_named(classes, name, entry):
    """Does the mistake score less than full on its exercise, with its misconception's hint?
    (That it costs nothing elsewhere is tested where whole notebooks run: test_autograde.py.)"""
    mistake = MISTAKES[name][entry]
    mine = classes.inprocess[name][entry].exercise(mistake.exercise)
    assert mine.points < mine.max_points, mine.to_text()
    assert mistake.expected_hint in mine.to_text(), mine.to_text()


@pytest.mark.parametrize(("name", "entry"), ENTRIES)
def test_mistake_is_named_by_its_causes(classes, name, entry):
    """Does the feedback name exactly the misconceptions the mistake declares, by their ids?"""
    mistake = MISTAKES[name][entry]
    mine = classes.inprocess[name][entry].exercise(mistake.exercise)
    assert sorted(mine.cause_ids) == sorted(mistake.causes), mine.to_text()


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_cause_is_a_catalog_mistakes(name):
    """Is every cause of causes.toml declared by some catalog mistake, and every cause a mistake
    declares in the table (no id unused, no hint without an id)?"""
    table = set(KIT.assignment(name).causes.ids)
    declared = {c for m in MISTAKES[name].values() for c in m.causes}
    assert table - declared == set(), "causes no catalog mistake shows"
    assert declared - table == set(), "causes missing from causes.toml"


@pytest.mark.parametrize(("name", "style"), STYLES)
def test_valid_style_gets_full_marks(classes, name, style):
    """Does a correct answer in another style earn every point?"""
    result = classes.inprocess[name][f"valid_{style}"]
    assert result.points == KIT.assignment(name).points, result.to_text()


@pytest.fixture(scope="module")
def visible_runs():
    """assignment -> what the release's visible check cells say of every catalog entry, and the
    values they asked a hint for."""
    return {a: visible_run(KIT, KIT.assignment(a)) for a in ASSIGNMENTS}


@pytest.fixture(scope="module")
def visible(visible_runs):
    """assignment -> what the release's visible check cells say of every catalog entry."""
    return {a: said for a, (said, _) in visible_runs.items()}


@pytest.mark.parametrize(("name", "style"), STYLES)
def test_valid_style_passes_the_visible_checks(visible, name, style):
    """Does every check cell of the notebook pass a correct answer in another style (a visible
    check is never stricter than the hidden ones)?"""
    assert visible[name][f"valid_{style}"] == dict.fromkeys(visible[name][f"valid_{style}"], "")


#: Mistakes the visible check cell must catch, with what it must say.
VISIBLY_CAUGHT = {
    ("keras_training", "hinge_loss_shape_one"): "should return one number, not ndarray of shape (1,)",
    ("keras_training", "train_by_hand_empty_last_batch"): "32 points in batches of 8",
    ("keras_training", "hinge_loss_broadcast"): "broadcast into an (n, n) table",
    ("keras_training", "train_by_hand_two_loop_bugs"): "two mistakes at once",
    ("keras_weights", "build_model_not_compiled"): "the model is not compiled",
    ("keras_weights", "build_model_dense_zero"): "hidden_units=0 should give one Dense(1) layer",
    ("keras_weights", "build_model_zero_hidden_ignored"): "hidden_units=0 should give one Dense(1) layer",
}


@pytest.mark.parametrize(("name", "entry"), sorted(VISIBLY_CAUGHT))
def test_the_visible_check_names_the_mistake(visible, name, entry):
    """Does the notebook's own check cell catch the mistake, saying what is wrong (not a raw
    error from Keras)?"""
    said = visible[name][entry][MISTAKES[name][entry].exercise]
    assert said.startswith("AssertionError: ") and VISIBLY_CAUGHT[name, entry] in said, said


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_kill_matrix_is_current(catalog_results, visible, name):
    """Is the kill matrix what grading the catalog and running the visible checks on it give
    now (`autograder kill-matrix`)?"""
    assignment = KIT.assignment(name)
    fresh = kill_matrix(assignment, catalog_results[name], visible[name])
    assert kill_matrix_file(assignment).read_text() == fresh


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_visible_hints_are_current(catalog_results, visible_runs, name):
    """Is the released table of hints for the visible checks what the catalog and the hidden
    checks give now (`autograder kill-matrix`)?"""
    assignment = KIT.assignment(name)
    fresh = visible_hints(assignment, catalog_results[name], visible_runs[name][1])
    released = json.loads(hints_file(KIT, assignment).read_text())
    assert _hint_table(released) == _hint_table(fresh)
    assert all(
        same_signature(a["signature"], b["signature"])
        for exercise in fresh
        for a, b in zip(released[exercise], fresh[exercise], strict=True)
    ), "a signature differs beyond the tolerance the check cells match with"


def _hint_table(table: dict) -> dict:
    """exercise -> the hints and the shape of each signature, without its numbers (float32
    work may differ in its last digit from one run to the next; the check cells match them
    with a tolerance, ``same_signature``)."""
    return {
        exercise: [(e["hint"], sorted(e["signature"]), e["signature"].get("shapes")) for e in entries]
        for exercise, entries in table.items()
    }


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_visible_checks_give_the_hidden_hint(catalog_results, visible, name):
    """Where a visible check cell fails a known mistake on a value the hint table holds, does it
    say the hint the hidden checks give that mistake, word for word (one source)?"""
    table = json.loads(hints_file(KIT, KIT.assignment(name)).read_text())
    hinted = {h["hint"] for entries in table.values() for h in entries}
    shown, missing = 0, []
    for entry, mistake in MISTAKES[name].items():
        said, phrase = visible[name][entry][mistake.exercise], cause(mistake, catalog_results[name][entry])
        told = bool(phrase) and phrase[:60] in said  # what a check cell raised is cut short here
        shown += told
        if phrase in hinted and said.startswith("AssertionError") and not told:
            missing.append(entry)
    assert not missing, f"visible check cells that leave out the hidden hint of {missing}"
    assert shown >= len(MISTAKES[name]) // 3, f"only {shown} mistakes get the hidden hint in a check cell"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_hints_give_away_no_code_or_hidden_inputs(catalog_results, name):
    """Do the hints leave out solution code (np.where, np.tanh(...)) and hidden arrays?"""
    for result in catalog_results[name].values():
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


#: Per assignment: the exercises whose checks draw most, and for how many students.
MANY = {
    "keras_weights": (("make_dataset", "make_oracle_weights"), 20),
    "keras_training": (("hinge_loss", "manual_gradients", "sgd_step", "train_by_hand"), 8),
}


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_reference_passes_for_many_students(name):
    """Does the reference earn full marks whatever the drawn checks (many students)?"""
    assignment = KIT.assignment(name)
    functions = reference_functions(KIT, assignment)
    exercises, count = MANY[name]
    for i in range(count):
        identity = Identity(CATALOG_SECRET, f"student-{i}")
        for exercise in exercises:
            result = run_checks(assignment, exercise, functions[exercise], identity, DATA)
            assert result.points == assignment.points[exercise], result.to_text()


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_mutation_report_is_current(name):
    """Was the mutation report made from the solutions and the checks as they are now (its
    fingerprint; `autograder mutation-report` makes it anew)?"""
    assignment = KIT.assignment(name)
    assert recorded_fingerprint(assignment) == fingerprint(KIT, assignment), (
        f"the mutation report of {name} is stale: run `autograder mutation-report {name}`"
    )


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_no_mutant_survives_but_the_equivalent(name):
    """Does the report kill every mutant that runs and is not equivalent, with none left to a
    lucky draw (killed only by the sweep of other students' draws)?"""
    text = report_file(KIT.assignment(name)).read_text()
    rows = [
        ln.split(" | ") for ln in text.splitlines() if ln.startswith("| ") and not ln.startswith("| exercise")
    ]
    assert rows and all(row[4] == "0" for row in rows), text
