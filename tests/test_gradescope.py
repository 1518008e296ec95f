"""The Gradescope export: a zip that grades a submission into a valid results.json."""

import json
import os
import subprocess
import sys
import zipfile

import nbformat
import pytest

from autograder.commands.catalog import mistakes
from autograder.course.layout import KIT_ROOT, Course
from autograder.course.scratch import build_submission
from autograder.engine.notebook import read_notebook

KIT = Course(KIT_ROOT)
ASSIGNMENT = KIT.assignment("keras_weights")
POINTS = ASSIGNMENT.points

pytestmark = pytest.mark.slow
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    """The exported zip, unpacked as Gradescope would into an /autograder-shaped folder."""
    root = tmp_path_factory.mktemp("gs") / "autograder"
    archive = root.parent / "autograder.zip"
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "export", "gradescope", "keras_weights", str(archive)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        zf.extractall(root / "source")
    assert {"setup.sh", "run_autograder", "requirements.txt"} <= names
    return root


def _grade(root, answers: dict) -> dict:
    """Run the zip's run_autograder on a notebook with these answers; return results.json."""
    submission = root / "submission"
    submission.mkdir(exist_ok=True)
    for old in submission.glob("*"):
        old.unlink()
    released = read_notebook(KIT.release_notebook("keras_weights"))
    nbformat.write(build_submission(answers, released), submission / "hw.ipynb")
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"id": 4711}]}))
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    proc = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True
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


def test_reference_scores_full_marks(unpacked, reference):
    """Does the reference earn every point, with one passed entry per check?"""
    results = _grade(unpacked, reference)
    _valid(results)
    assert results["score"] == sum(POINTS.values())
    assert {t["status"] for t in results["tests"]} == {"passed"}
    assert len(results["tests"]) > 30


def test_wrong_submission_shows_hints_after_publishing(unpacked, reference):
    """Does a mistake lose points, with its hint, hidden until grades are published?"""
    mistake = mistakes(ASSIGNMENT)["manual_forward_no_bias"]
    results = _grade(unpacked, {**reference, mistake.exercise: mistake.source})
    _valid(results)
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert failed and all(t["name"].startswith("manual_forward") for t in failed)
    assert all(t["visibility"] == "after_published" for t in failed)
    assert any(mistake.expected_hint in t["output"] for t in failed)
    assert results["score"] == sum(POINTS.values()) - 6 + 2.31  # what autograder grade records


def test_untouched_release_scores_zero(unpacked):
    """Does the untouched release score 0 without crashing the run?"""
    results = _grade(unpacked, {})
    _valid(results)
    assert results["score"] == 0
