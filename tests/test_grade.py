"""`autograder grade` on whole classes: honest students graded among attackers and faults.

One run grades the keras_weights students nbgrader graded in ``classes`` (the reference, the
untouched release, catalogued mistakes and valid styles) together with every attack of
``tests/attacks/`` and every fault of ``tests/faults/``, interleaved, two judges at a time;
then keras_training's students in the same course, by one judge. (`autograder check` grades
each whole catalog in ``classes``; the engine is the same.)
Each test then reads one outcome: exact scores for every student, what the run printed, that
nothing outside the sandbox changed, that no process outlived the run, that no feedback
holds anything secret.
"""

import html
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.catalog.mistakes import mistakes
from autograder.course import gradebook
from autograder.course.layout import KIT_ROOT, Course
from autograder.dev.scratch import make_course
from autograder.engine.answers import build_submission
from autograder.engine.notebook import grade_id, read_notebook
from autograder.model.draws import Identity
from tests.conftest import ASSIGNMENTS, CLASS_SECRET, KERAS_WEIGHTS, nbgrader_students
from tests.helpers import constants, grade_rows
from tests.outcomes import ATTACKS, FAULTS, attack_source, attack_wrongs, fault_wrongs, honest_score

pytestmark = pytest.mark.slow
HERE = Path(__file__).parent
KIT = Course(KIT_ROOT)
ASSIGNMENT = KIT.assignment(KERAS_WEIGHTS)
EXERCISES = ASSIGNMENT.exercise_names
FULL = dict(ASSIGNMENT.points)
TRAINING = "keras_training"


@dataclass
class Run:
    """One `autograder grade` of each assignment's class in one course, and everything
    observed around them (``proc`` and ``scores`` are keras_weights', with the attacks)."""

    course: Course
    nbgrader_scores: dict
    proc: subprocess.CompletedProcess
    scores: dict
    training: subprocess.CompletedProcess
    scores_by_assignment: dict
    weights_rows_before_training: list
    before: dict[Path, bytes]
    after: dict[Path, bytes]
    gradebook_at_exit: bytes
    gradebook_later: bytes
    leftovers: list[str]


def staging(course: Course) -> Path:
    """Where this course's runs stage their sandboxes (their TMPDIR): the processes of its
    sandboxes, and only theirs, name it (other tests may grade at the same time)."""
    return course.root.parent / "sandbox-staging"


def sandbox_processes(course: Course) -> list[str]:
    """Command lines of processes of the course's sandboxes still alive (none may outlive a run)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if f"{staging(course)}/autograder-sandbox-" in cmdline:
            found.append(f"{pid}: {cmdline[:120]}")
    return found


def course_files(course: Course) -> dict[Path, bytes]:
    """Every file of the course that grading must leave alone (its own outputs aside)."""
    theirs = {"autograded", "grading_reports", "feedback"}
    return {
        p: p.read_bytes()
        for p in course.root.rglob("*")
        if p.is_file()
        and not p.is_symlink()
        and not (theirs & set(p.relative_to(course.root).parts))
        and p.name != "gradebook.db"
    }


def add(course: Course, student: str, nb) -> Path:
    folder = course.submitted_dir(student, KERAS_WEIGHTS)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{KERAS_WEIGHTS}.ipynb"
    path.write_text(json.dumps(nb, indent=1))  # json: what nbformat refuses (lone surrogates) too
    return path


def grade(course: Course, assignment: str, jobs: int = 2) -> subprocess.CompletedProcess:
    """`autograder grade assignment --force`, ``jobs`` judges at a time, with short limits (ample
    for honest code on a loaded 2-core machine), staging its sandboxes in the course's folder."""
    staging(course).mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "autograder", "grade", assignment, "--force"]
        + ["--timeout", "15", "--cell-timeout", "8", "--jobs", str(jobs)],
        env={**os.environ, "TMPDIR": str(staging(course))},
        cwd=course.root,
        capture_output=True,
        text=True,
        timeout=1200,
    )


@pytest.fixture(scope="module")
def run(classes, reference) -> Run:
    """Each assignment's honest class in one course, keras_weights' with attacks and faults
    among it, graded by `autograder grade`, one assignment after the other."""
    course, nbgrader_scores = classes.course, classes.nbgrader[KERAS_WEIGHTS]
    released = read_notebook(course.release_notebook(KERAS_WEIGHTS))
    for name, path in ATTACKS.items():
        source = attack_source(name, course.root)
        nb = build_submission({**reference, constants(path)["EXERCISE"]: source}, released)
        if name == "surrogates":  # a lone surrogate in the cell's own text, as JSON can carry it
            cell = next(c for c in nb.cells if grade_id(c) == "make_dataset")
            cell["source"] = "# \ud800 the cell's text itself\n" + cell["source"]
        add(course, f"attack_{name}", nb)
    for name, path in FAULTS.items():
        add(
            course,
            f"fault_{name}",
            build_submission({**reference, constants(path)["EXERCISE"]: path.read_text()}, released),
        )
    notebook_faults(course, reference, released)
    before = course_files(course)
    proc = grade(course, KERAS_WEIGHTS)
    at_exit = course.gradebook_file.read_bytes()
    weights_rows = grade_rows(course, KERAS_WEIGHTS)
    time.sleep(5)  # longer than any lingering process of the attacks waits
    later, leftovers = course.gradebook_file.read_bytes(), sandbox_processes(course)
    training = grade(course, TRAINING, jobs=1)  # 8 students: a 2nd judge, 6 s more CPU, 1 s sooner
    return Run(
        course,
        nbgrader_scores,
        proc,
        gradebook.scores(course, ASSIGNMENT),
        training,
        {a: gradebook.scores(course, KIT.assignment(a)) for a in ASSIGNMENTS},
        weights_rows,
        before,
        course_files(course),
        at_exit,
        later,
        leftovers + sandbox_processes(course),
    )


def notebook_faults(course: Course, reference: dict, released) -> None:
    """Faults of the notebook itself rather than of a cell's code."""
    nb = build_submission(reference, released)
    nb.cells = [c for c in nb.cells if grade_id(c) != "make_oracle_weights"]
    add(course, "fault_deleted_solution_cell", nb)
    nb = build_submission(reference, released)
    tests = {grade_id(c): c for c in nb.cells}
    tests["test_manual_forward"]["source"] = "6.0"
    nb.cells = [c for c in nb.cells if grade_id(c) != "test_make_dataset"]
    duplicate = nbformat.from_dict(dict(tests["test_build_model"]))
    duplicate["id"] = "pasted-copy"  # JupyterLab gives a pasted cell an id of its own
    nb.cells.append(duplicate)
    add(course, "fault_test_cells_tampered", nb)
    # A cell of their own that never ends: it waits for a file that never comes. (It waits
    # rather than spins: fault_infinite_loop spins, and a spinning cell would only burn a core.)
    nb = build_submission(reference, released)
    waits = "import os, time\nwhile not os.path.exists('data_from_teacher.csv'):\n    time.sleep(0.5)"
    nb.cells.insert(3, nbformat.v4.new_code_cell(waits))
    add(course, "fault_hanging_added_cell", nb)
    add(course, "fault_malformed_json", {}).write_text('{"cells": [ {"cell_type": ')
    missing = course.submitted_dir("fault_missing_notebook", KERAS_WEIGHTS)
    missing.mkdir(parents=True)
    linked = course.submitted_dir("fault_symlinked_notebook", KERAS_WEIGHTS)
    linked.mkdir(parents=True)
    (linked / f"{KERAS_WEIGHTS}.ipynb").symlink_to(KIT.source_notebook(KERAS_WEIGHTS))
    for student in ("fault_timestamp_fifo", "fault_timestamp_link"):  # would block or never end
        folder = add(course, student, build_submission(reference, released)).parent
        if student.endswith("fifo"):
            os.mkfifo(folder / "timestamp.txt")
        else:
            (folder / "timestamp.txt").symlink_to("/dev/zero")
    copy = course.submitted_dir("fault_copy_of_source", KERAS_WEIGHTS)
    copy.mkdir(parents=True)
    (copy / f"{KERAS_WEIGHTS}.ipynb").write_bytes(KIT.source_notebook(KERAS_WEIGHTS).read_bytes())


def line_of(run: Run, student: str) -> str:
    return next((ln for ln in run.proc.stdout.splitlines() if ln.strip().startswith(student + ":")), "")


# ----------------------------------------------------------------- the run as a whole
def test_run_completes_and_prints_its_table(run):
    """Does the run exit 0 with one table row per graded student and a summary line?"""
    assert run.proc.returncode == 0, run.proc.stdout[-3000:] + run.proc.stderr[-3000:]
    table = run.proc.stdout.split("\n\n")[0].splitlines()
    assert set(run.scores) <= {row.split()[0] for row in table[2:]}
    assert "grader failures 0" in run.proc.stdout and "isolation: namespaces" in run.proc.stdout


def test_second_assignment_run_completes(run):
    """Does `autograder grade keras_training` in the same course exit 0, print its own table
    (its exercises, not keras_weights') and write its own reports?"""
    assert run.training.returncode == 0, run.training.stdout[-3000:] + run.training.stderr[-3000:]
    header = run.training.stdout.splitlines()[0].split()
    assert header[1:-1] == list(KIT.assignment(TRAINING).exercise_names)
    assert "grader failures 0" in run.training.stdout
    for name in ASSIGNMENTS:
        assert (run.course.reports_dir(name) / "grades_by_exercise.csv").is_file()


def test_grading_one_assignment_leaves_the_other_alone(run):
    """Are keras_weights' gradebook rows the same after keras_training was graded?"""
    assert grade_rows(run.course, KERAS_WEIGHTS) == run.weights_rows_before_training


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_honest_scores_equal_nbgrader(run, classes, name):
    """Does every honest submission nbgrader graded (reference, untouched, mistakes, valid
    styles with cross-cell answers) score exactly what `nbgrader autograde` gave it?"""
    assert classes.nbgrader[name], "nbgrader graded nobody"
    got = run.scores_by_assignment[name]
    differing = {s: (got.get(s), want) for s, want in classes.nbgrader[name].items() if got.get(s) != want}
    assert differing == {}


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_self_check_gives_the_same_scores(run, classes, name):
    """Does `autograder check` (in-process) give each honest notebook `autograder grade` graded
    (sandboxed) the same scores?"""
    got = run.scores_by_assignment[name]
    students = nbgrader_students(name)
    differing = {s: (classes.inprocess[name][s].points, got.get(s)) for s in students}
    assert {s: pair for s, pair in differing.items() if pair[0] != pair[1]} == {}


# ----------------------------------------------------------------- attacks
@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_scores_exactly_what_it_should(run, name):
    """Does an attack score exactly the honest wrong answer behind it on its exercise (or its
    stated score), and full marks on every other exercise?"""
    student = f"attack_{name}"
    assert attack_wrongs(name, run.scores[student], line_of(run, student), feedback(run, student)) == []


def feedback(run: Run, student: str) -> str:
    """The text of a student's feedback page."""
    return html.unescape(run.course.feedback_page(KERAS_WEIGHTS, student).read_text())


def test_vacuous_labels_are_not_vacuous(run):
    """Is data on the threshold itself (with an honest-looking answer to one call) told so?"""
    assert "sum to the threshold itself" in feedback(run, "attack_vacuous")


def test_output_is_clean(run):
    """Is what the run printed free of control characters, escapes and lone surrogates
    (the terminal attack's text shown escaped)?"""
    out = run.proc.stdout + run.proc.stderr
    assert not [
        c
        for c in out
        if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0 or 0xD800 <= ord(c) < 0xE000
    ]
    assert "\u202e" not in out
    assert "\\x1b[2J" in line_of(run, "attack_terminal")


def test_graded_notebooks_are_whole(run):
    """Is every autograded notebook a readable notebook (none left empty by text it held)?"""
    for student in run.scores:
        path = run.course.autograded_dir(student, KERAS_WEIGHTS) / f"{KERAS_WEIGHTS}.ipynb"
        nbformat.validate(nbformat.reads(path.read_text(), as_version=4))


def test_long_exceptions_are_cut_short(run):
    """Does a hint quote at most a few hundred characters of the student's exception?"""
    page = feedback(run, "attack_long_exception")
    assert "SECRET-TAIL" not in page and "A" * 400 not in page and "A" * 250 in page


def test_takeover_reached_no_one(run):
    """Did the takeover's helper collect nothing for the second account, and did the untouched
    notebook and the honest students graded after it score exactly as under nbgrader?"""
    assert "loot: []" in feedback(run, "attack_second_account")
    for student in ("untouched", "reference"):
        assert run.scores[student] == run.nbgrader_scores[student]


def test_sandbox_could_read_nothing_of_the_course_or_kit(run):
    """Could the sandboxed code read none of the kit, the course, other notebooks, the
    system's users or other processes' environments?"""
    assert "readable: []" in feedback(run, "attack_allowlist")


def test_feedback_holds_nothing_secret(run):
    """Do the feedback pages and graded notebooks hold no course secret, hidden check code,
    reference solution or other student's code?"""
    secrets = [CLASS_SECRET, "def test_", "### BEGIN SOLUTION", "np.where(X.sum(axis=1) > threshold, 1, -1)"]
    for student in run.scores:
        page = feedback(run, student)
        for secret in secrets:
            assert secret not in page, (student, secret)


# ----------------------------------------------------------------- faults
@pytest.mark.parametrize("name", sorted(FAULTS))
def test_fault_costs_only_its_exercise(run, name):
    """Does a fault give 0 on its exercise, with its reason shown, and full marks elsewhere?"""
    student = f"fault_{name}"
    assert fault_wrongs(name, run.scores[student], line_of(run, student)) == []


def test_notebook_level_faults(run):
    """Do deleted, unreadable, missing or linked notebooks, an added cell that hangs and
    tampered test cells cost what they should, with a reason each?"""
    s = run.scores
    assert s["fault_deleted_solution_cell"] == FULL | {"make_oracle_weights": 0.0}
    assert s["fault_test_cells_tampered"] == FULL
    assert s["fault_hanging_added_cell"] == FULL
    for student in ("fault_malformed_json", "fault_missing_notebook", "fault_symlinked_notebook"):
        assert s[student] == dict.fromkeys(EXERCISES, 0.0), student
    assert "could not be read" in line_of(run, "fault_malformed_json")
    assert "holds no notebook" in line_of(run, "fault_missing_notebook")
    assert "symbolic link" in line_of(run, "fault_symlinked_notebook")
    assert "no cell with grade_id 'make_oracle_weights'" in line_of(run, "fault_deleted_solution_cell")


def test_a_hostile_timestamp_is_no_timestamp(run):
    """Does a timestamp.txt that is a FIFO or a link to /dev/zero neither hang the grader nor
    cost points, and stay out of the graded folder that nbgrader's feedback reads?"""
    for student in ("fault_timestamp_fifo", "fault_timestamp_link"):
        assert run.scores[student] == FULL, student
        assert not os.path.lexists(run.course.autograded_dir(student, KERAS_WEIGHTS) / "timestamp.txt")


def test_a_copy_of_the_source_is_flagged_not_graded(run):
    """Is a submission that is a copy of the source notebook flagged for the instructor, with
    no grades recorded and no graded notebook holding the reference solutions?"""
    assert "FLAGGED, not graded" in line_of(run, "fault_copy_of_source")
    assert "fault_copy_of_source" not in run.scores
    assert not (
        run.course.autograded_dir("fault_copy_of_source", KERAS_WEIGHTS) / "keras_weights.ipynb"
    ).exists()


# ----------------------------------------------------------------- nothing outside changed
def test_nothing_outside_the_sandbox_changed(run):
    """Are every course file and every submitted notebook byte-identical after the run?"""
    changed = [str(p) for p in set(run.before) | set(run.after) if run.before.get(p) != run.after.get(p)]
    assert changed == []


def test_no_process_outlives_the_run(run):
    """Is no process of the sandbox (zygote, session, anything student code started) alive
    a few seconds after the run?"""
    assert run.leftovers == []


def test_gradebook_is_the_graders(run):
    """Does the gradebook hold one row per student and graded cell, no manual scores, and
    stay unchanged after the run (nothing left behind rewrites it)?"""
    assert run.gradebook_later == run.gradebook_at_exit
    rows = grade_rows(run.course, KERAS_WEIGHTS)
    assert set(rows.values()) == {1}
    with sqlite3.connect(run.course.gradebook_file) as con:
        assert con.execute("SELECT count(*) FROM grade WHERE manual_score IS NOT NULL").fetchone() == (0,)


def test_a_score_given_by_hand_is_flagged_for_review_when_graded_again(tmp_path):
    """Does recording a student's points again flag for review exactly the grades a grader had
    scored by hand, as nbgrader's own autograde does, and leave the hand score in place?"""
    from nbgrader.api import Gradebook

    course = make_course(tmp_path / "course", (KERAS_WEIGHTS,), CLASS_SECRET)
    points = dict.fromkeys(ASSIGNMENT.exercise_names, 1.0)
    gradebook.record(course, ASSIGNMENT, "ada", points)
    cell = ASSIGNMENT.exercise("make_dataset").test_cell
    with Gradebook(course.db_url) as gb:
        grade = gb.find_grade(cell, KERAS_WEIGHTS, KERAS_WEIGHTS, "ada")
        grade.manual_score = 0.5
        gb.db.commit()
    gradebook.record(course, ASSIGNMENT, "ada", points)
    with Gradebook(course.db_url) as gb:
        grades = gb.find_submission_notebook(KERAS_WEIGHTS, KERAS_WEIGHTS, "ada").grades
        flagged = {g.name: (g.needs_manual_grade, g.manual_score) for g in grades if g.needs_manual_grade}
    assert flagged == {cell: (True, 0.5)}


# ----------------------------------------------------------------- reruns and other inputs
def test_rerun_grades_what_changed_and_restores_the_gradebook(run, tmp_path):
    """Does a second run import an LMS zip, grade the new and the changed submission only,
    and notice a gradebook row that differs from what the grader recorded (as a forged full
    mark would), record the grader's points again and report it?"""
    target = run.course.submitted_dir("untouched", KERAS_WEIGHTS) / f"{KERAS_WEIGHTS}.ipynb"
    nb = read_notebook(target)
    nb.metadata["touched"] = True
    nbformat.write(nb, target)
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(KIT.release_notebook(KERAS_WEIGHTS), "lms_student.ipynb")
    with sqlite3.connect(run.course.gradebook_file) as con:
        con.execute(
            "UPDATE grade SET auto_score = 4 WHERE notebook_id IN (SELECT n.id FROM "
            "submitted_notebook n JOIN submitted_assignment a ON n.assignment_id = a.id "
            "WHERE a.student_id = 'make_dataset_labels_01')"
        )
    proc = _grade(run.course, str(archive), "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    assert "graded 2, unchanged and skipped" in proc.stdout
    assert "make_dataset_labels_01: GRADEBOOK CHANGED" in proc.stdout
    scores = gradebook.scores(run.course, ASSIGNMENT)
    assert scores["lms_student"] == scores["untouched"] == dict.fromkeys(EXERCISES, 0.0)
    assert scores["make_dataset_labels_01"] == run.nbgrader_scores["make_dataset_labels_01"]


def _autograder(course: Course, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "autograder", *args]
    return subprocess.run(cmd, cwd=course.root, capture_output=True, text=True, timeout=600)


def _grade(course: Course, *args: str) -> subprocess.CompletedProcess:
    return _autograder(course, "grade", KERAS_WEIGHTS, *args)


def _others_records(course: Course, student: str) -> tuple[dict[Path, bytes], list]:
    """Every file and gradebook row of the course that is not ``student``'s (the class reports
    aside, which describe everyone)."""
    files = {
        p: p.read_bytes()
        for p in course.root.rglob("*")
        if p.is_file() and student not in p.parts and "grading_reports" not in p.parts and p.suffix != ".db"
    }
    with sqlite3.connect(course.gradebook_file) as con:
        rows = con.execute(
            "SELECT a.student_id, g.* FROM grade g JOIN submitted_notebook n ON g.notebook_id = n.id "
            "JOIN submitted_assignment a ON n.assignment_id = a.id WHERE a.student_id != ? ORDER BY g.id",
            (student,),
        ).fetchall()
    return files, rows


def test_one_student_is_regraded_and_no_one_else(run):
    """Does `--student` grade exactly that student, changed or not, leave every other
    student's files and gradebook rows byte-identical, and rewrite the class reports?"""
    student = "build_model_relu_hidden"
    feedback_page = run.course.feedback_page(KERAS_WEIGHTS, student)
    before, page = _others_records(run.course, student), feedback_page.read_bytes()
    feedback_page.write_text("stale")
    (run.course.reports_dir(KERAS_WEIGHTS) / "summary.md").write_text("stale")
    proc = _grade(run.course, "--student", student, "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    assert "graded 1, unchanged and skipped 0, not selected " in proc.stdout, proc.stdout
    assert _others_records(run.course, student) == before
    assert feedback_page.read_bytes() == page
    assert (run.course.reports_dir(KERAS_WEIGHTS) / "summary.md").read_text() != "stale"
    assert gradebook.scores(run.course, ASSIGNMENT)[student] == run.nbgrader_scores[student]


def test_an_unknown_student_changes_nothing(run):
    """Does `--student` with an id that has no submission exit 2, name it, and change nothing?"""
    db, files = run.course.gradebook_file.read_bytes(), _others_records(run.course, "-")
    proc = _grade(run.course, "--student", "reference", "--student", "Reference")
    assert proc.returncode == 2, proc.stdout
    assert "1 of the students named have no submission of keras_weights" in proc.stderr
    assert "Reference; nothing was graded" in proc.stderr
    assert run.course.gradebook_file.read_bytes() == db and _others_records(run.course, "-") == files


def test_unknown_assignment_changes_nothing(run):
    """Does an unknown assignment exit 2 with a clear message and leave the gradebook as it was?"""
    db = run.course.gradebook_file.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "keras_weigths"],
        cwd=run.course.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "unknown assignment 'keras_weigths'" in proc.stderr
    assert run.course.gradebook_file.read_bytes() == db


def test_judge_grades_the_same_across_keras_resets(reference, monkeypatch, graded_class):
    """Does a judge that resets Keras' state after every submission keep grading the same?"""
    from autograder.engine import judge
    from autograder.engine.plan import make_plan
    from autograder.sandbox.policy import Limits

    course, _ = graded_class
    monkeypatch.setattr(judge, "RESET_EVERY", 1)
    mistake = mistakes(ASSIGNMENT)["manual_forward_no_bias"]
    release = read_notebook(course.release_notebook(KERAS_WEIGHTS))
    plans = [
        make_plan(build_submission(answers, release), release, ASSIGNMENT)
        for answers in (reference, {**reference, mistake.exercise: mistake.source}, reference)
    ]
    expected = honest_score("manual_forward_no_bias", "s1")
    grader = judge.Judge(
        ASSIGNMENT,
        course.release_dir(KERAS_WEIGHTS),
        KIT.source_data_dir(),
        "namespaces",
        Limits(seconds=30),
        [],
    )
    try:
        points = [grader.grade(plan, Identity(CLASS_SECRET, "s1")).points for plan in plans]
    finally:
        grader.close()
    assert points[0] == points[2] == FULL, f"the reference lost points after a reset: {points}"
    assert points[1] == {**FULL, mistake.exercise: expected}, f"the mistake's score changed: {points[1]}"


def _late_class(tmp_path: Path, reference: dict) -> Course:
    """A course whose due date "on_time" met and "late" missed (the penalty: all points),
    graded; "absent", with a name and an email in the gradebook, submitted nothing."""
    from nbgrader.api import Gradebook

    from autograder.dev.scratch import add_submission

    made = make_course(tmp_path / "course", (KERAS_WEIGHTS,), CLASS_SECRET)
    with (made.root / "nbgrader_config.py").open("a") as fh:
        fh.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\nc.CourseDirectory.course_id = "k"\n')
        fh.write(f'c.Exchange.root = "{tmp_path / "exchange"}"\n')
    course = Course(made.root)  # read the config again
    with Gradebook(course.db_url) as gb:
        gb.update_or_create_assignment(KERAS_WEIGHTS, duedate="2026-11-01 12:00:00 UTC")
        gb.update_or_create_student("absent", first_name="Ada", last_name="Byron", email="ada@example.org")
        gb.update_or_create_student("on_time", first_name="Alan", last_name="Turing", lms_user_id="4711")
    solved = build_submission(reference, read_notebook(course.release_notebook(KERAS_WEIGHTS)))
    for student, when in [("on_time", "2026-11-01 11:59:00 UTC"), ("late", "2026-11-02 12:00:00 UTC")]:
        folder = add_submission(
            course, KERAS_WEIGHTS, student, solved
        ).parent  # as `nbgrader submit` leaves it
        (folder / "timestamp.txt").write_text(when)
        (folder / "submission_secret.txt").write_text(f"secret-of-{student}")
    proc = _grade(course, "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    return course


@pytest.fixture(scope="module")
def late_class(tmp_path_factory, reference) -> Course:
    return _late_class(tmp_path_factory.mktemp("late"), reference)


def test_late_submission_gets_nbgrader_penalty_and_feedback_releases(late_class):
    """Does a late submission keep its time and get the course's late penalty, as under
    nbgrader autograde, and can nbgrader then generate and release the feedback?"""
    from autograder.course.nbgrader import run_nbgrader

    course = late_class
    run_nbgrader(["export", "--to", "grades.csv"], course.root)
    rows = {r.split(",")[3]: r.split(",") for r in (course.root / "grades.csv").read_text().splitlines()[1:]}
    assert rows["on_time"][2].startswith("2026-11-01 11:59:00")
    assert rows["on_time"][7:10] == ["20.0", "0.0", "20.0"]
    assert rows["late"][2].startswith("2026-11-02 12:00:00") and rows["late"][7:10] == ["20.0", "20.0", "0.0"]
    exchange = course.root.parent / "exchange"
    exchange.mkdir()
    run_nbgrader(["generate_feedback", KERAS_WEIGHTS], course.root)
    run_nbgrader(["release_feedback", KERAS_WEIGHTS], course.root)  # reads autograded timestamps
    assert len(list((exchange / "k" / "feedback").glob("*.html"))) == 2


#: What each LMS format holds for the late class: the late penalty applied, "absent" empty.
LMS_FILES = {
    "canvas": (
        "Student,ID,SIS User ID,SIS Login ID,Section,keras_weights\n"
        "Points Possible,,,,,20\n"
        '"Byron, Ada",,,absent,,\n'
        ",,,late,,0\n"
        '"Turing, Alan",4711,,on_time,,20\n'
    ),
    "moodle": "Username,Email address,keras_weights\nabsent,ada@example.org,\nlate,,0\non_time,,20\n",
    "csv": (
        "student_id,last_name,first_name,email,raw_score,late_penalty,score,max_score\n"
        "absent,Byron,Ada,ada@example.org,,0,,20\n"
        "late,,,,20,20,0,20\n"
        "on_time,Turing,Alan,,20,0,20,20\n"
    ),
}


@pytest.mark.parametrize("fmt", sorted(LMS_FILES))
def test_grades_export_in_the_lms_format(late_class, fmt):
    """Does `export grades` write the LMS's file with the late penalty applied, leave the student
    with no submission empty (never 0), say so, and exit 1?"""
    out = late_class.root / f"{fmt}.csv"
    proc = _autograder(late_class, "export", "grades", KERAS_WEIGHTS, "--format", fmt, "--out", str(out))
    assert proc.returncode == 1, proc.stderr
    assert out.read_text() == LMS_FILES[fmt]
    assert "1 students have no grade (their cell is empty, not 0):\n  absent: no submission" in proc.stdout


def test_grades_export_follows_the_roster(late_class, tmp_path):
    """With the LMS's roster, does the export hold its students in its order, report a graded
    student it does not list (left out) and one it lists with no grade?"""
    roster = tmp_path / "roster.csv"
    roster.write_text("Username,Email address\non_time,\nghost,\n")
    out = tmp_path / "moodle.csv"
    proc = _autograder(
        late_class,
        "export",
        "grades",
        KERAS_WEIGHTS,
        "--format",
        "moodle",
        "--out",
        str(out),
        "--roster",
        str(roster),
    )
    assert proc.returncode == 1, proc.stderr
    assert out.read_text() == "Username,Email address,keras_weights\non_time,,20\nghost,,\n"
    assert "ghost: not in the gradebook" in proc.stdout
    assert "1 graded students are not on the roster and were left out: late" in proc.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--format", "xml"], "invalid choice: 'xml'"),
        (["--format", "csv", "--roster", "missing.csv"], "the roster missing.csv cannot be read"),
        (["--format", "csv", "--assignment-typo"], "unrecognized arguments"),
    ],
)
def test_bad_export_input_writes_nothing(late_class, args, said):
    """Does an unknown format, an unreadable roster or a typo exit 2 with the cause and write no file?"""
    before = sorted(p.name for p in late_class.reports_dir(KERAS_WEIGHTS).iterdir())
    proc = _autograder(late_class, "export", "grades", KERAS_WEIGHTS, *args)
    assert proc.returncode == 2 and said in proc.stderr, proc.stderr
    assert sorted(p.name for p in late_class.reports_dir(KERAS_WEIGHTS).iterdir()) == before


def test_one_cause_one_line_in_feedback(run):
    """Does the untouched notebook's feedback page give one failed row per exercise, saying
    it is not attempted (the stub is not written yet), and the summary count it?"""
    page = feedback(run, "untouched")
    assert page.count("<td class='fail'>FAIL</td>") == len(EXERCISES)
    assert page.count("not attempted") == len(EXERCISES) and "not written yet" in page
    summary = (run.course.reports_dir(KERAS_WEIGHTS) / "summary.md").read_text()
    pages = [p.read_text() for p in run.course.feedback_page(KERAS_WEIGHTS, "x").parent.glob("*.html")]
    for exercise in EXERCISES:  # as many as the feedback pages that say so, the untouched one among them
        untouched = sum(f"not attempted: {exercise} still raises" in html.unescape(p) for p in pages)
        assert untouched >= 1
        assert re.search(rf"^\| {exercise} \| [^|]+ \| [^|]+ \| {untouched} \|$", summary, re.M), summary


def _analytics(run: Run) -> dict:
    return json.loads((run.course.reports_dir(KERAS_WEIGHTS) / "analytics.json").read_text())


def test_class_report_counts_each_planted_misconception(run):
    """Does the class report list, for each catalog mistake in the class, exactly the students
    who made it under each cause it declares, and no honest student anywhere?"""
    planted = {s: m for s, m in mistakes(ASSIGNMENT).items() if s in run.nbgrader_scores}
    shown = {m["id"]: set(m["students"]) for m in _analytics(run)["misconceptions"]}
    for cause in ASSIGNMENT.causes.ids:
        want = {s for s, m in planted.items() if cause in m.causes}
        assert shown.get(cause, set()) & set(planted) == want, cause
    honest = {s for s in run.nbgrader_scores if s == "reference" or s.startswith("valid_")}
    assert honest and not honest & set().union(*shown.values())


def test_class_report_counts_apart_what_is_not_a_mistake(run):
    """Are untouched stubs counted as not attempted, not as wrong, and every check's pass rate
    over the students who attempted its exercise?"""
    found = _analytics(run)
    for row in found["exercises"]:
        assert "untouched" in row["not_attempted"] and "untouched" not in row["wrong"], row["name"]
        attempted = found["students"] - len(row["not_attempted"]) - len(row["not_graded"])
        rates = [c for c in found["checks"] if c["exercise"] == row["name"]]
        assert rates and all(c["checked"] == attempted for c in rates), row["name"]


def test_summary_opens_with_the_top_misconceptions(run):
    """Does the summary open with the three most frequent misconceptions, in words, with counts
    that are the report's?"""
    top = _analytics(run)["misconceptions"][:3]
    summary = (run.course.reports_dir(KERAS_WEIGHTS) / "summary.md").read_text().splitlines()
    assert summary[2] == "The 3 most frequent misconceptions:"
    for i, m in enumerate(top, 1):
        n = len(m["students"])
        assert summary[2 + i].startswith(f"{i}. {m['exercise']}: {m['label']}: {n} student"), summary[2 + i]
    csv_rows = (run.course.reports_dir(KERAS_WEIGHTS) / "misconceptions.csv").read_text().splitlines()
    assert csv_rows[1].startswith(f"{top[0]['id']},{top[0]['exercise']},")


def test_report_command_rewrites_the_same_reports(run):
    """Does `autograder report` rewrite the class reports from the records alone, the same as
    the last grading run left them?"""
    folder = run.course.reports_dir(KERAS_WEIGHTS)
    before = {
        name: (folder / name).read_text() for name in ("summary.md", "analytics.json", "misconceptions.csv")
    }
    for name in before:
        (folder / name).write_text("stale")
    proc = _autograder(run.course, "report", KERAS_WEIGHTS)
    assert proc.returncode == 0, proc.stderr
    assert {name: (folder / name).read_text() for name in before} == before
