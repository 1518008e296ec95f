"""The `autograder` command: clear messages and exit codes for good and bad input."""

import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.course.layout import KIT_ROOT, Course
from autograder.dev.scratch import make_course
from tests.conftest import ASSIGNMENTS

REPO_ROOT = KIT_ROOT
KIT = Course(KIT_ROOT)

pytestmark = pytest.mark.slow


def run_cli(*args: str, cwd=REPO_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograder", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_unknown_assignment_is_a_clear_error():
    """Does an unknown assignment name exit 2 with the names that exist, and no traceback?"""
    proc = run_cli("release", "keras_weigths")
    assert proc.returncode == 2
    assert "unknown assignment 'keras_weigths'" in proc.stderr
    assert "keras_weights" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("command", [["grade", "keras_weights"], ["release"], ["secret"]])
def test_outside_a_course_is_a_clear_error(tmp_path, command):
    """Does a course command run outside any course exit 2, write nothing and say where to go?"""
    proc = run_cli(*command, cwd=tmp_path)
    assert proc.returncode == 2
    assert "is not in an nbgrader course" in proc.stderr and str(REPO_ROOT) in proc.stderr
    assert list(tmp_path.iterdir()) == [] and "Traceback" not in proc.stderr


def test_missing_notebook_is_a_clear_error(tmp_path):
    """Does a missing notebook exit 2 with its path named?"""
    proc = run_cli("check", str(tmp_path / "nope.ipynb"))
    assert proc.returncode == 2
    assert "no notebook at" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"cells": [ {"cell_type": "code", ', "JSONDecodeError: Expecting"),
        (b"\xff\xfe not text", "UnicodeDecodeError: 'utf-16-le' codec can't decode"),
        (b'["a", "list"]', "it has no list of cells"),
        (b'{"cells": [], "nbformat": 3}', "it is in notebook format 3"),
        (b'{"cells": [7], "nbformat": 4}', "a cell is not a cell"),
    ],
    ids=["truncated", "binary", "list", "format3", "bad-cell"],
)
def test_malformed_notebook_is_a_clear_error(tmp_path, content, reason):
    """Does a file that is not a format-4 notebook exit 2 with a message that says why?"""
    bad = tmp_path / "broken.ipynb"
    bad.write_bytes(content)
    proc = run_cli("check", str(bad))
    assert proc.returncode == 2
    assert "is not a readable Jupyter notebook" in proc.stderr and reason in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_cells_error_names_its_cause(tmp_path):
    """Does `autograder check` on a notebook whose solution cell imports a misspelt module say
    which module, in the line of that exercise only?"""
    release = shutil.copytree(KIT.release_dir("keras_weights"), tmp_path / "keras_weights")
    notebook = release / "keras_weights.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "build_model")
    cell.source = "import kerass_typo\n" + cell.source
    nbformat.write(nb, notebook)
    proc = run_cli("check", str(notebook))
    assert proc.returncode == 1
    said = "raised ModuleNotFoundError: No module named 'kerass_typo'"
    assert proc.stdout.count(said) == 1, proc.stdout
    assert re.search(r"^build_model\s+0 / 4\s+not graded$", proc.stdout, re.M)


def test_a_notebook_away_from_its_files_is_not_the_students_fault(tmp_path):
    """Does `autograder check` on a notebook moved away from the files it was released with say
    once per exercise that the setup cell failed, why, and what to do, blaming no function?"""
    moved = tmp_path / "keras_weights.ipynb"
    shutil.copy(KIT.release_notebook("keras_weights"), moved)
    proc = run_cli("check", str(moved))
    assert proc.returncode == 1
    cause = "the setup cell 'setup' failed (ModuleNotFoundError: No module named 'notebook_helpers')"
    assert proc.stdout.count(f"not graded: {cause}: that is the notebook's own setup") == 1, proc.stdout
    assert proc.stdout.count("not graded: as make_dataset, above") == 3
    assert "beside its files (blog_weights.json, notebook_helpers.py, visible_hints.py, " in proc.stdout
    assert "NameError" not in proc.stdout and "NotImplementedError" not in proc.stdout


def test_foreign_notebook_is_a_clear_error(tmp_path):
    """Does a notebook without the exercise cells exit 2 instead of scoring zero?"""
    other = tmp_path / "other.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), other)
    proc = run_cli("check", str(other))
    assert proc.returncode == 2
    assert "has none of the exercise cells" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_check_passes_the_reference(name):
    """Does `autograder check` on the source notebook exit 0 with full marks?"""
    proc = run_cli("check", str(KIT.source_notebook(name)))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    total = f"{sum(KIT.assignment(name).points.values()):g}"
    assert f"Total: {total} / {total} points" in proc.stdout
    assert proc.stderr == ""


#: Per assignment: an exercise whose line is read (an added assignment's: its first).
SHOWN = {"keras_weights": "manual_forward", "keras_training": "manual_gradients"}


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_check_fails_the_release_with_one_line_per_exercise(tmp_path, name):
    """Does `autograder check` on the untouched release exit 1 and say once per exercise that
    it is not attempted (the stub still raises NotImplementedError), with what to do, and leave
    nothing behind in the notebook's folder?"""
    release = shutil.copytree(KIT.release_dir(name), tmp_path / name)
    before = sorted(p.name for p in release.iterdir())
    proc = run_cli("check", str(release / f"{name}.ipynb"))
    exercises = len(KIT.assignment(name).exercises)
    assert sorted(p.name for p in release.iterdir()) == before
    assert proc.returncode == 1
    assert (
        proc.stdout.count("  FAIL  ") == exercises
        and proc.stdout.count("still raises NotImplementedError (not written yet)") == exercises
    )
    assert proc.stdout.count("hint: replace `raise NotImplementedError()` with your code") == exercises
    exercise = SHOWN.get(name, KIT.assignment(name).exercise_names[0])
    points = f"{KIT.assignment(name).points[exercise]:g}"
    assert f"{exercise}: 0 / {points} points\n  FAIL  not attempted: {exercise} still raises" in proc.stdout
    assert re.search(rf"^{exercise}\s+0 / {points}\s+not attempted$", proc.stdout, re.M), "summary table row"


def test_release_without_names_releases_what_the_course_teaches(tmp_path):
    """In a course with keras_weights' source only, does `autograder release` release just
    that, and does naming keras_training exit 2, saying where its source notebook belongs?"""
    course = make_course(tmp_path / "course", ("keras_weights",))
    proc = run_cli("release", cwd=course.root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("released") == 1 and "keras_weights" in proc.stdout
    proc = run_cli("release", "keras_training", cwd=course.root)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "keras_training has no source notebook in this course" in proc.stderr
    assert str(KIT_ROOT / "solutions" / "keras_training") in proc.stderr
    assert not course.release_dir("keras_training").exists()
