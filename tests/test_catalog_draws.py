"""The catalog graded under other students' draws: a verdict or a hint that holds only for the
student each entry is named after would be wrong for some students of a class."""

import pytest

from autograder.catalog.mistakes import grade_answers
from autograder.course.layout import KIT_ROOT, Course
from autograder.model.draws import Identity
from tests.conftest import ASSIGNMENTS, MISTAKES, VALID

pytestmark = pytest.mark.slow
KIT = Course(KIT_ROOT)


#: Students other than the catalog's own, each catalog entry graded again under their draws.
OTHER_STUDENTS = [Identity("other-course", f"student-{i}") for i in range(3)]


def _unstable(assignment, identity: Identity) -> list[str]:
    """The catalog entries whose verdict under ``identity``'s draws is not the catalog's."""
    wrong = []
    for m in MISTAKES[assignment.name].values():
        mine = grade_answers(KIT, assignment, {m.exercise: m.source}, identity).exercises[0]
        if mine.points == mine.max_points or m.expected_hint not in mine.to_text():
            wrong.append(f"{m.name}: {mine.to_text()}")
        elif sorted(mine.cause_ids) != sorted(m.causes):
            wrong.append(f"{m.name} named {mine.cause_ids}, not {list(m.causes)}")
    for style, answers in VALID[assignment.name].items():
        result = grade_answers(KIT, assignment, answers, identity)
        if result.total != sum(e.max_points for e in result.exercises):
            wrong.append(f"{style}: {result.to_text()}")
    return wrong


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_catalog_verdicts_hold_under_other_students_draws(name):
    """Does every mistake lose points with its hint and its causes, and every valid style keep
    full marks, under other students' draws too (a hint that depends on the draws names the
    wrong misconception for some students)?"""
    assignment = KIT.assignment(name)
    wrong = {i.student: _unstable(assignment, i) for i in OTHER_STUDENTS}
    assert {s: w for s, w in wrong.items() if w} == {}


@pytest.mark.parametrize("student", ["s47", "s90"])
def test_relu_hidden_layer_is_named_whatever_the_draws(student):
    """Is a ReLU hidden layer named ReLU on draws whose hidden layer of one unit once saw only
    positive pre-activations (where ReLU and no activation compute the same)?"""
    m = MISTAKES["keras_weights"]["build_model_relu_hidden"]
    mine = grade_answers(
        KIT, KIT.assignment("keras_weights"), {m.exercise: m.source}, Identity(student, "bob")
    ).exercises[0]
    assert m.expected_hint in mine.to_text(), mine.to_text()
