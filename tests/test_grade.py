"""`autograder grade` on a whole class: attacks and faults in one run, nothing lost or leaked."""

import ast
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.commands.catalog import define, mistakes
from autograder.course import gradebook
from autograder.course.gradebook import grade_rows
from autograder.course.layout import KIT_ROOT, Course
from autograder.course.scratch import build_submission
from autograder.engine.checks import run_checks
from autograder.engine.draws import Identity
from autograder.engine.notebook import grade_id, read_notebook
from autograder.sandbox.client import bwrap_available
from tests.conftest import CLASS_SECRET, NBGRADER_MISTAKES

KIT = Course(KIT_ROOT)
ASSIGNMENT = KIT.assignment("keras_weights")
EXERCISES = ASSIGNMENT.exercise_names

pytestmark = pytest.mark.slow
HERE = Path(__file__).parent
ISOLATED = bwrap_available()
FULL = dict(ASSIGNMENT.points)


def gradebook_scores(course: Course) -> dict:
    return gradebook.scores(course, ASSIGNMENT)


def _constants(path: Path) -> dict:
    """The upper-case constants of a fixture file (read by line: some files do not parse)."""
    found = {}
    for line in path.read_text().splitlines():
        name, sep, value = line.partition(" = ")
        if sep and name.isidentifier() and name.isupper():
            found[name] = ast.literal_eval(value.split("  #")[0])
    return found


def _files(folder: str) -> dict[str, Path]:
    paths = sorted((HERE / folder).glob("*.py")) + sorted((HERE / folder).glob("*.py.txt"))
    return {p.name.split(".")[0]: p for p in paths}


ATTACKS = _files("attacks")
FAULTS = _files("faults")


def _honest_score(name: str | None, exercise: str, student: str) -> float:
    """What the honest wrong answer behind an attack scores for this student."""
    if name is None:
        return 0.0
    mistake = mistakes(ASSIGNMENT)[name]
    func = define(exercise, mistake.source)
    return run_checks(
        ASSIGNMENT, exercise, func, Identity(CLASS_SECRET, student), KIT.source_data_dir()
    ).points


@pytest.fixture(scope="module")
def graded(graded_class, reference):
    """nbgrader's scores, then `autograder grade` over the same class plus attacks and faults."""
    course, nbgrader_scores = graded_class
    released = read_notebook(course.release_notebook("keras_weights"))
    add = _adder(course, reference, released)
    for name, path in ATTACKS.items():
        if name == "gradebook_and_neighbours" and not ISOLATED:
            continue
        source = path.read_text().replace("@COURSE_ROOT@", str(course.root))
        add(f"attack_{name}", {_constants(path)["EXERCISE"]: source})
    for name, path in FAULTS.items():
        add(f"fault_{name}", {_constants(path)["EXERCISE"]: path.read_text()})
    _special_faults(course, reference, released)
    before = _submitted_notebooks(course)
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "keras_weights", "--force"]
        + ["--timeout", "20", "--jobs", "2"],
        cwd=course.root,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return course, nbgrader_scores, proc, before


def _adder(course: Path, reference: dict, released):
    def add(student: str, answers: dict) -> None:
        folder = course.submitted_dir(student, "keras_weights")
        folder.mkdir(parents=True, exist_ok=True)
        nb = build_submission({**reference, **answers}, released)
        nbformat.write(nb, folder / "keras_weights.ipynb")

    return add


def _special_faults(course: Course, reference: dict, released) -> None:
    """Faults that are about the notebook itself rather than a cell's code."""
    nb = build_submission(reference, released)
    nb.cells = [c for c in nb.cells if grade_id(c) != "make_oracle_weights"]
    _write(course, "fault_deleted_solution_cell", nb)
    nb = build_submission(reference, released)
    tests = {grade_id(c): c for c in nb.cells}
    tests["test_manual_forward"]["source"] = "6.0"
    nb.cells = [c for c in nb.cells if grade_id(c) != "test_make_dataset"]
    duplicate = nbformat.from_dict(dict(tests["test_build_model"]))
    duplicate["id"] = "pasted-copy"  # JupyterLab gives a pasted cell an id of its own
    nb.cells.append(duplicate)
    _write(course, "fault_test_cells_tampered", nb)
    folder = course.submitted_dir("fault_malformed_json", "keras_weights")
    folder.mkdir(parents=True)
    (folder / "keras_weights.ipynb").write_text('{"cells": [ {"cell_type": ')
    course.submitted_dir("fault_missing_notebook", "keras_weights").mkdir(parents=True)


def _write(course: Course, student: str, nb) -> None:
    folder = course.submitted_dir(student, "keras_weights")
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "keras_weights.ipynb")


def _submitted_notebooks(course: Course) -> dict:
    return {
        p: p.read_bytes()
        for s, folder in course.submitted_students("keras_weights")
        for p in folder.rglob("*.ipynb")
    }


def test_run_succeeds_with_a_summary(graded):
    """Does the run exit 0 and name each student's fault in its summary?"""
    _, _, proc, _ = graded
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in FAULTS:
        if _constants(FAULTS[name])["REASON"]:
            assert f"fault_{name}:" in proc.stdout


def test_honest_scores_equal_nbgrader(graded):
    """Do honest submissions score exactly what `nbgrader autograde` gave them?"""
    course, nbgrader_scores, _, _ = graded
    ours = gradebook_scores(course)
    for student in ["reference", "untouched", *NBGRADER_MISTAKES]:
        assert ours[student] == nbgrader_scores[student], student


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_scores_no_better_than_honest(graded, name):
    """Does an attack score exactly what the honest wrong answer scores, and full elsewhere?"""
    if name == "gradebook_and_neighbours" and not ISOLATED:
        pytest.skip("bubblewrap is not available: student code could reach the course files")
    course, _, _, _ = graded
    constants = _constants(ATTACKS[name])
    student, exercise = f"attack_{name}", constants["EXERCISE"]
    want = FULL | {exercise: _honest_score(constants["HONEST"], exercise, student)}
    assert gradebook_scores(course)[student] == want


def test_gradebook_and_other_submissions_untouched(graded):
    """Is no manual score set and no other student's notebook changed by the attack?"""
    if not ISOLATED:
        pytest.skip("bubblewrap is not available: student code could reach the course files")
    course, _, _, before = graded
    after = _submitted_notebooks(course)
    assert after == before
    import sqlite3

    with sqlite3.connect(course.gradebook_file) as con:
        manual = con.execute("SELECT count(*) FROM grade WHERE manual_score IS NOT NULL").fetchone()
    assert manual == (0,)


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_fault_costs_only_its_exercise(graded, name):
    """Does a fault give 0 on its exercise, with its reason shown, and full marks elsewhere?"""
    course, _, proc, _ = graded
    constants = _constants(FAULTS[name])
    student = f"fault_{name}"
    want = FULL | ({constants["EXERCISE"]: 0.0} if constants["REASON"] else {})
    assert gradebook_scores(course)[student] == want
    line = next((ln for ln in proc.stdout.splitlines() if ln.strip().startswith(student + ":")), "")
    assert constants["REASON"] in line


def test_notebook_level_faults(graded):
    """Deleted, unreadable or missing notebooks cost what they should, with a reason each?"""
    course, _, proc, _ = graded
    scores = gradebook_scores(course)
    assert scores["fault_deleted_solution_cell"] == FULL | {"make_oracle_weights": 0.0}
    assert scores["fault_test_cells_tampered"] == FULL
    assert scores["fault_malformed_json"] == dict.fromkeys(EXERCISES, 0.0)
    assert scores["fault_missing_notebook"] == dict.fromkeys(EXERCISES, 0.0)
    assert "could not be read" in proc.stdout and "holds no notebook" in proc.stdout
    assert "no cell with grade_id 'make_oracle_weights'" in proc.stdout


def test_one_grade_row_per_student_and_cell(graded):
    """Does the gradebook hold exactly one grade row per student and graded cell?"""
    course, _, _, _ = graded
    rows = grade_rows(course, "keras_weights")
    students = {s for s, _ in rows}
    cells = {c for _, c in rows}
    assert set(rows.values()) == {1}
    assert len(rows) == len(students) * len(cells) == len(students) * 2 * len(EXERCISES)


def test_feedback_hides_check_code_and_is_escaped(graded):
    """Does feedback show checks and hints but no check code, with student text escaped?"""
    course, _, _, _ = graded
    page = course.feedback_page("keras_weights", "attack_rigged_objects").read_text()
    assert "FAIL" in page and "hint:" in page
    for secret in ("def test_", "assert ", "import pytest", CLASS_SECRET):
        assert secret not in page
    assert "<class" not in page  # repr of student objects is escaped, if shown at all


def test_rerun_grades_only_what_changed(graded):
    """Does a second run skip every unchanged submission and regrade a changed one?"""
    course, _, _, _ = graded
    target = course.submitted_dir("untouched", "keras_weights") / "keras_weights.ipynb"
    nb = read_notebook(target)
    nb.metadata["touched"] = True
    nbformat.write(nb, target)
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "keras_weights", "--jobs", "1"],
        cwd=course.root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "graded 1, unchanged and skipped" in proc.stdout


def test_unknown_assignment_changes_nothing(graded):
    """Does an unknown assignment exit 2 with a clear message and leave the gradebook as it was?"""
    course, _, _, _ = graded
    db = course.gradebook_file.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "keras_weigths"],
        cwd=course.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "unknown assignment 'keras_weigths'" in proc.stderr
    assert course.gradebook_file.read_bytes() == db


def test_lms_zip_is_graded(graded, tmp_path):
    """Does a zip of <student>.ipynb files (an LMS download) get graded into the gradebook?"""
    import zipfile

    course, _, _, _ = graded
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(KIT.release_notebook("keras_weights"), "lms_student.ipynb")
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "keras_weights", str(archive), "--jobs", "1"],
        cwd=course.root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert gradebook_scores(course)["lms_student"] == dict.fromkeys(EXERCISES, 0.0)


def test_judge_grades_the_same_across_keras_resets(reference, monkeypatch, tmp_path):
    """Does a judge that resets Keras' state after every submission keep grading the same?"""
    from autograder.engine import judge

    monkeypatch.setattr(judge, "RESET_EVERY", 1)
    mistake = mistakes(ASSIGNMENT)["manual_forward_no_bias"]
    wrong = {**reference, mistake.exercise: mistake.source}
    expected = _honest_score("manual_forward_no_bias", mistake.exercise, "s1")
    grader = judge.Judge(ASSIGNMENT, tmp_path, KIT.source_data_dir(), ISOLATED, judge.Limits(seconds=30))
    try:
        rounds = [grader.grade(answers, {}, Identity(CLASS_SECRET, "s1")) for answers in (reference, wrong)]
        rounds.append(grader.grade(reference, {}, Identity(CLASS_SECRET, "s1")))
    finally:
        grader.close()
    points = [result.points for result in rounds]
    assert points[0] == points[2] == FULL, f"the reference lost points after a reset: {points}"
    assert points[1] == {**FULL, mistake.exercise: expected}, f"the mistake's score changed: {points[1]}"


def test_late_submission_gets_nbgrader_penalty_and_feedback_releases(tmp_path, reference):
    """Does a late submission keep its time and get the course's late penalty, as under
    nbgrader autograde, and can nbgrader then generate and release the feedback?"""
    from nbgrader.api import Gradebook

    from autograder.course.nbgrader import run_nbgrader
    from autograder.course.scratch import add_submission, make_course

    made = make_course(tmp_path / "course", ("keras_weights",), CLASS_SECRET)
    with (made.root / "nbgrader_config.py").open("a") as fh:
        fh.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\nc.CourseDirectory.course_id = "k"\n')
        fh.write(f'c.Exchange.root = "{tmp_path / "exchange"}"\n')
    course = Course(made.root)  # read the config again
    with Gradebook(course.db_url) as gb:
        gb.update_or_create_assignment("keras_weights", duedate="2026-11-01 12:00:00 UTC")
    solved = build_submission(reference, read_notebook(course.release_notebook("keras_weights")))
    for student, time in [("on_time", "2026-11-01 11:59:00 UTC"), ("late", "2026-11-02 12:00:00 UTC")]:
        folder = add_submission(
            course, "keras_weights", student, solved
        ).parent  # as `nbgrader submit` leaves it
        (folder / "timestamp.txt").write_text(time)
        (folder / "submission_secret.txt").write_text(f"secret-of-{student}")
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "keras_weights", "--jobs", "1"],
        cwd=course.root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    run_nbgrader(["export", "--to", "grades.csv"], course.root)
    rows = {r.split(",")[3]: r.split(",") for r in (course.root / "grades.csv").read_text().splitlines()[1:]}
    assert rows["on_time"][2].startswith("2026-11-01 11:59:00") and rows["on_time"][7:10] == [
        "20.0",
        "0.0",
        "20.0",
    ]
    assert rows["late"][2].startswith("2026-11-02 12:00:00") and rows["late"][7:10] == ["20.0", "20.0", "0.0"]
    (tmp_path / "exchange").mkdir()
    run_nbgrader(["generate_feedback", "keras_weights"], course.root)
    run_nbgrader(["release_feedback", "keras_weights"], course.root)  # reads autograded timestamps
    assert len(list((tmp_path / "exchange" / "k" / "feedback").glob("*.html"))) == 2
