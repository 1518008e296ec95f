"""The Gradescope export: a zip that grades a submission into a valid results.json."""

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.commands.catalog import grade_answers, mistakes, valid_styles
from autograder.course.layout import KIT_ROOT, Course
from autograder.course.scratch import build_submission, make_course, reference_sources
from autograder.engine.draws import Identity
from autograder.engine.notebook import read_notebook
from tests.conftest import CLASS_SECRET
from tests.helpers import constants, readable_python

KIT = Course(KIT_ROOT)
ASSIGNMENT = KIT.assignment("keras_weights")
POINTS = ASSIGNMENT.points
#: Per assignment: a valid style with cross-cell answers, and a catalogued mistake.
CASES = {
    "keras_weights": ("oracle_from_build_model_and_helper", "manual_forward_no_bias"),
    "keras_training": ("train_by_hand_own_helpers", "manual_gradients_tanh_prime_linear"),
}
#: Who the submissions are graded as: the course's secret, the Gradescope user of submission_metadata.
IDENTITY = Identity(CLASS_SECRET, "4711")


pytestmark = pytest.mark.slow
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


_EXPORTS: dict[str, Path] = {}


def export(tmp_path_factory, name: str) -> Path:
    """The zip `autograder export gradescope` makes for ``name``, unpacked as Gradescope would
    into an /autograder-shaped folder (once per assignment)."""
    if name in _EXPORTS:
        return _EXPORTS[name]
    root = tmp_path_factory.mktemp("gs") / "autograder"
    archive = root.parent / "autograder.zip"
    course = make_course(root.parent / "course", (name,), CLASS_SECRET)
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "export", "gradescope", name, str(archive)],
        cwd=course.root,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        zf.extractall(root / "source")
    assert {"setup.sh", "run_autograder", "requirements.txt"} <= names
    _EXPORTS[name] = root
    return root


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> Path:
    """keras_weights' export, unpacked."""
    return export(tmp_path_factory, "keras_weights")


def _grade(root, answers: dict, *args: str, name: str = "keras_weights") -> dict:
    """Run the zip's run_autograder on a notebook with these answers; return results.json."""
    submission = root / "submission"
    submission.mkdir(exist_ok=True)
    for old in submission.glob("*"):
        old.unlink()
    released = read_notebook(KIT.release_notebook(name))
    nbformat.write(build_submission(answers, released), submission / "hw.ipynb")
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"id": 4711}]}))
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    prefix = readable_python() if "uid" in args else []  # as /autograder/venv is on Gradescope
    proc = subprocess.run(
        [*prefix, "bash", str(root / "source" / "run_autograder"), *args],
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads((root / "results" / "results.json").read_text())


def _valid(results: dict) -> None:
    """The fields and values Gradescope's specification allows."""
    assert isinstance(results["score"], int | float)
    for test in results["tests"]:
        assert isinstance(test["name"], str) and test["name"]
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in {"passed", "failed"}
        assert test["visibility"] in VISIBILITIES
        assert isinstance(test["output"], str)
    # Each exercise is rounded to 2 decimals, so the total and the checks' sum differ < 0.005 each.
    assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]), abs=0.02)


@pytest.mark.parametrize("name", sorted(CASES))
def test_reference_scores_full_marks(tmp_path_factory, name):
    """Does the reference, with cross-cell answers (say an oracle from the student's own
    build_model and a helper in an added cell), earn every point, one passed entry per check?"""
    assignment = KIT.assignment(name)
    answers = {**reference_sources(KIT, assignment), **valid_styles(assignment)[CASES[name][0]]}
    results = _grade(export(tmp_path_factory, name), answers, name=name)
    _valid(results)
    assert results["score"] == assignment.max_points
    assert {t["status"] for t in results["tests"]} == {"passed"}
    assert len(results["tests"]) == check_count(assignment)


def check_count(assignment) -> int:
    """How many checks (test functions) the assignment's hidden check modules hold."""
    return sum(
        len(re.findall(r"^def test_", (assignment.folder / f"test_{e}.py").read_text(), re.M))
        for e in assignment.exercise_names
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_wrong_submission_shows_hints_after_publishing(tmp_path_factory, name):
    """Does a mistake lose points, with its hint, hidden until grades are published?"""
    assignment = KIT.assignment(name)
    mistake = mistakes(assignment)[CASES[name][1]]
    answers = {**reference_sources(KIT, assignment), mistake.exercise: mistake.source}
    results = _grade(export(tmp_path_factory, name), answers, name=name)
    _valid(results)
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert failed and all(t["name"].startswith(mistake.exercise) for t in failed)
    assert all(t["visibility"] == "after_published" for t in failed)
    assert any(mistake.expected_hint in t["output"] for t in failed)
    mine = grade_answers(KIT, assignment, {mistake.exercise: mistake.source}, IDENTITY).exercises[0]
    assert results["score"] == assignment.max_points - mine.max_points + mine.points  # as autograder grade


@pytest.mark.parametrize("name", sorted(CASES))
def test_untouched_release_scores_zero(tmp_path_factory, name):
    """Does the untouched release score 0 without crashing the run?"""
    results = _grade(export(tmp_path_factory, name), {}, name=name)
    _valid(results)
    assert results["score"] == 0


#: Attacks run through the zip in one notebook (one per exercise), with the honest mistake
#: each must score exactly as.
ATTACKS = {
    "allowlist": None,
    "patched_grader": "build_model_relu_hidden",
    "patched_ipython": "manual_forward_no_bias",
    "hidden_errors": "oracle_wrong_bias_sign",
}


def _attacks(root) -> dict:
    """The attacks of tests/attacks/ above, aimed at the autograder's own files."""
    answers = {}
    for name in ATTACKS:
        path = Path(__file__).parent / "attacks" / f"{name}.py"
        text = (
            path.read_text()
            .replace("@COURSE_ROOT@", str(root / "source"))
            .replace("@KIT_ROOT@", str(root / "source"))
        )
        answers[constants(path)["EXERCISE"]] = text
    return answers


@pytest.mark.parametrize("sandbox", ["auto", "uid"])
def test_attacks_gain_nothing(unpacked, reference, sandbox):
    """Do attacks on the grader's modules, IPython, stderr and the autograder's files (course
    secret, checks, reference solutions) score exactly their honest mistakes, with namespaces
    and, as Gradescope runs as root, as a user of its own?"""
    if sandbox == "uid" and os.geteuid() != 0:
        pytest.fail("the uid sandbox is tested as root (CI runs as root)")
    results = _grade(unpacked, {**reference, **_attacks(unpacked)}, "--sandbox", sandbox)
    _valid(results)
    catalog = mistakes(ASSIGNMENT)
    honest = {
        m: grade_answers(KIT, ASSIGNMENT, {catalog[m].exercise: catalog[m].source}, IDENTITY)
        for m in ATTACKS.values()
        if m
    }
    want = (
        sum(POINTS.values())
        - POINTS["make_dataset"]
        - sum(POINTS[r.exercises[0].exercise] - r.exercises[0].points for r in honest.values())
    )
    assert results["score"] == pytest.approx(want, abs=1e-9)
    hints = " ".join(t["output"] for t in results["tests"])
    assert "readable: [" in hints and str(unpacked) not in hints
    assert f"({'namespaces' if sandbox == 'auto' else 'uid'} isolation)" in results["output"]
