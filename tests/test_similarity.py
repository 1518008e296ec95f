"""The similarity report: planted copies found however disguised, honest work left alone."""

import subprocess
import sys

import pytest

from autograder.catalog.mistakes import mistakes, valid_styles
from autograder.course.layout import KIT_ROOT, Course
from autograder.dev.scratch import add_submission, make_course
from autograder.engine.answers import build_submission
from autograder.engine.notebook import read_notebook
from autograder.grading.references import reference_sources
from autograder.reports.similarity import THRESHOLD, find_pairs
from tests.conftest import ASSIGNMENTS
from tests.helpers import disguise

KIT = Course(KIT_ROOT)


def _class(name: str) -> tuple[dict[str, dict[str, str]], set[tuple[str, str]]]:
    """The reference, every catalog mistake and valid style as students (the reference in the
    other exercises), and for each valid style a disguised copy of its exercises; the planted
    pairs."""
    assignment = KIT.assignment(name)
    reference = {e: reference_sources(KIT, assignment)[e] for e in assignment.exercise_names}
    code = {"reference": reference}
    code |= {m.name: {**reference, m.exercise: m.source} for m in mistakes(assignment).values()}
    planted = set()
    for style, answers in valid_styles(assignment).items():
        helpers = "\n\n".join(src for cell, src in answers.items() if cell not in reference)
        own = {e: f"{helpers}\n\n{src}" if helpers else src for e, src in answers.items() if e in reference}
        code[f"valid_{style}"] = {**reference, **own}
        code[f"copy_of_{style}"] = {**reference, **{e: disguise(src) for e, src in own.items()}}
        planted.add(tuple(sorted((f"valid_{style}", f"copy_of_{style}"))))
    return code, planted


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_planted_copy_and_nothing_else_is_listed(name):
    """Among the catalog's students, is every disguised copy (variables renamed, helpers
    reordered, comments changed) listed with its original, and no other pair, although most
    of the class shares the reference solutions?"""
    code, planted = _class(name)
    pairs = find_pairs(KIT.assignment(name), code, read_notebook(KIT.release_notebook(name)))
    assert {p.students for p in pairs} == planted
    assert all(min(m.similarity) >= THRESHOLD for p in pairs for m in p.matches)


def test_the_release_alone_is_no_evidence():
    """Are two untouched notebooks, and two students who only added the same comment to the
    stubs, left unlisted (the release's code is left out)?"""
    assignment = KIT.assignment("keras_weights")
    release = read_notebook(KIT.release_notebook("keras_weights"))
    stubs = {c.metadata.nbgrader.grade_id: c.source for c in release.cells if "nbgrader" in c.metadata}
    commented = {e: f"# my attempt\n{stubs[e]}" for e in assignment.exercise_names}
    code = {"a": {}, "b": {}, "c": commented, "d": dict(commented)}
    assert find_pairs(assignment, code, release) == []


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Course:
    """A small keras_training class graded by `autograder grade`: the reference, a valid style,
    its disguised copy, and an untouched notebook."""
    course = make_course(tmp_path_factory.mktemp("similar") / "course", ("keras_training",))
    assignment = course.assignment("keras_training")
    release = read_notebook(course.release_notebook("keras_training"))
    reference = reference_sources(course, assignment)
    style = valid_styles(assignment)["hinge_loss_loop"]["hinge_loss"]
    students = {
        "ref": reference,
        "ada": {**reference, "hinge_loss": style},
        "bob": {**reference, "hinge_loss": disguise(style)},
        "cy": {},
    }
    for student, answers in students.items():
        add_submission(course, "keras_training", student, build_submission(answers, release))
    for command in (["grade", "keras_training", "--jobs", "2"], ["similarity", "keras_training"]):
        proc = subprocess.run(
            [sys.executable, "-m", "autograder", *command], cwd=course.root, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr
    return course


def test_the_page_lists_the_copy_side_by_side(graded):
    """Does `autograder similarity` list ada and bob for hinge_loss only, say it is a lead and
    not a verdict, and show both solutions with the shared code marked and escaped?"""
    folder = graded.reports_dir("keras_training")
    index = (folder / "similarity.html").read_text()
    assert "4 students compared" in index and "1 pairs share" in index
    assert "ada and bob</a></td><td>hinge_loss (" in index and "not a verdict" in index
    page = (folder / "similar" / "pair-001.html").read_text()
    assert page.count("<pre>") == 2 and page.count("<mark>") >= 2 and "<script" not in page
    assert "worked this out myself" in page  # bob's comments, shown as he wrote them


def test_an_ungraded_assignment_is_refused(tmp_path):
    """Does `autograder similarity` before any grading exit 2 and say to grade first?"""
    course = make_course(tmp_path / "course", ("keras_weights",))
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "similarity", "keras_weights"],
        cwd=course.root,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "grade the class first" in proc.stderr, proc.stderr
