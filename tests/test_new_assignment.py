"""A second assignment added as files only: released, graded four ways and exported, exactly.

The toy assignment beside this test (tests/toy/: a source notebook, and a grading folder with
its manifest and one check module per exercise) is copied into a fresh course, where nothing
of the engine is edited. Three students: all right (5/5), `add` right and `scale` wrong (2/5),
and the untouched release (0/5).
"""

import json
import shutil
import subprocess
import sys
import zipfile

import nbformat
import pytest

from autograder.course import gradebook
from autograder.course.layout import CONFIG_FILE, GRADING_FOLDER, KIT_ROOT, Course
from autograder.course.nbgrader import run_nbgrader
from autograder.dev.scratch import add_submission
from autograder.engine.answers import build_submission
from autograder.engine.notebook import read_notebook

pytestmark = pytest.mark.slow
TOY = KIT_ROOT / "tests" / "toy"
RIGHT = {"add": "def add(a, b):\n    return a + b", "scale": "def scale(x, k):\n    return np.asarray(x) * k"}
HALF = {**RIGHT, "scale": "def scale(x, k):\n    return np.asarray(x) + k"}
EXPECTED = {
    "right": {"add": 2.0, "scale": 3.0},
    "half": {"add": 2.0, "scale": 1.0},
    "untouched": {"add": 0.0, "scale": 0.0},
}


def autograder(course: Course, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", *args],
        cwd=course.root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def toy(tmp_path_factory) -> Course:
    """A fresh course with the toy assignment added as files, released, and three submissions."""
    root = tmp_path_factory.mktemp("toy") / "course"
    root.mkdir()
    shutil.copy(KIT_ROOT / CONFIG_FILE, root)
    course = Course(root)
    course.source_dir("toy").mkdir(parents=True)
    shutil.copy(TOY / "toy.ipynb", course.source_notebook("toy"))
    shutil.copytree(TOY / "grading", root / GRADING_FOLDER / "toy")
    autograder(course, "secret")
    autograder(course, "release", "toy")
    released = read_notebook(course.release_notebook("toy"))
    for student, answers in [("right", RIGHT), ("half", HALF), ("untouched", {})]:
        add_submission(course, "toy", student, build_submission(answers, released))
    return course


def test_the_release_holds_no_answers_or_checks(toy):
    """Is the toy's release free of its solutions, hidden tests and check files?"""
    text = toy.release_notebook("toy").read_text()
    assert "return a + b" not in text and "HIDDEN TESTS" not in text and "autograder" not in text
    assert sorted(p.name for p in toy.release_dir("toy").iterdir()) == ["toy.ipynb"]


def test_autograder_grade_scores_it_exactly(toy):
    """Does `autograder grade toy` record exactly the expected points, and export them?"""
    proc = autograder(toy, "grade", "toy")
    assert "grader failures 0" in proc.stdout
    assert gradebook.scores(toy, toy.assignment("toy")) == EXPECTED
    run_nbgrader(["export", "--to", "grades.csv"], toy.root)
    totals = {row["student_id"]: row["score"] for row in _csv(toy.root / "grades.csv")}
    assert totals == {"right": "5.0", "half": "3.0", "untouched": "0.0"}


def test_autograder_check_scores_it_exactly(toy):
    """Does `autograder check` give each notebook the same points, finding the assignment itself?"""
    for student, want in EXPECTED.items():
        notebook = toy.submitted_dir(student, "toy") / "toy.ipynb"
        proc = autograder(toy, "check", str(notebook), "--json", "--student", student)
        assert {e["exercise"]: e["points"] for e in json.loads(proc.stdout)["exercises"]} == want


def test_nbgrader_autograde_scores_it_exactly(toy):
    """Does plain `nbgrader autograde toy` (through the engine) record the same points?"""
    run_nbgrader(["autograde", "toy", "--force"], toy.root)
    assert gradebook.scores(toy, toy.assignment("toy")) == EXPECTED


def test_gradescope_scores_it_exactly(toy, tmp_path):
    """Does the toy's Gradescope zip give the half-right submission its 3 points?"""
    autograder(toy, "export", "gradescope", "toy", str(tmp_path / "toy.zip"))
    root = tmp_path / "autograder"
    with zipfile.ZipFile(tmp_path / "toy.zip") as zf:
        zf.extractall(root / "source")
    (root / "submission").mkdir()
    notebook = read_notebook(toy.submitted_dir("half", "toy") / "toy.ipynb")
    nbformat.write(notebook, root / "submission" / "toy.ipynb")
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"id": "half"}]}))
    env = {"AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable, "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads((root / "results" / "results.json").read_text())["score"] == 3.0


#: In a fresh process (the test's own has Keras loaded): the toy's judge, warmed up, and a
#: session of the toy's `add` mode; prints which frameworks each of them has loaded.
LOADED = """
import json, sys, time
from autograder.course.layout import Course
from autograder.engine.judge import Judge
from autograder.sandbox.client import Session
from autograder.sandbox.policy import Limits
course = Course(sys.argv[1])
toy = course.assignment("toy")
judge = Judge(toy, course.release_dir("toy"), course.source_data_dir(), "namespaces", Limits(), [])
try:
    judge.warm_up()
    cell = "import sys\\ndef loaded():\\n    return [m for m in ('keras', 'tensorflow') if m in sys.modules]"
    session = Session(judge.zygotes["python"], [cell], Limits())
    session.start()
    sandbox = session.call("loaded", (), {}, time.monotonic() + 30)
    session.close()
finally:
    judge.close()
print(json.dumps({"judge": [m for m in ("keras", "tensorflow") if m in sys.modules], "sandbox": sandbox}))
"""


def test_an_assignment_without_keras_never_loads_it(toy):
    """With `keras = false` in its manifest, do the toy's judge and its sandbox sessions run
    without Keras or TensorFlow loaded (4 s and 1 GB saved per judge)?"""
    cmd = [sys.executable, "-c", LOADED, str(toy.root)]
    proc = subprocess.run(cmd, cwd=KIT_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {"judge": [], "sandbox": []}


def _csv(path):
    import csv

    with path.open() as fh:
        return list(csv.DictReader(fh))
