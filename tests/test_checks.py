"""The hidden checks in-process: verdicts on the reference, stubs and mistakes, and fail-closed."""

import sys
import warnings

import numpy as np
import pytest

from autograder import runner
from autograder.cell import grade
from autograder.checks.support import blog, blog_weights
from autograder.errors import GraderError
from autograder.exercises import EXERCISES, POINTS
from autograder.reference import reference_functions
from autograder.runner import run_checks


def _stub(*args, **kwargs):
    raise NotImplementedError()


@pytest.mark.parametrize("exercise", EXERCISES)
def test_reference_passes_every_check(exercise):
    """Does the reference solution pass every hidden check of its exercise?"""
    report = run_checks(exercise, reference_functions()[exercise])
    assert report.failed == [], report.render()
    assert report.points == POINTS[exercise]


@pytest.mark.parametrize("exercise", EXERCISES)
def test_stub_scores_zero(exercise):
    """Does the release's NotImplementedError stub score zero, with the error named?"""
    report = run_checks(exercise, _stub)
    assert report.points == 0.0
    assert all("NotImplementedError" in r.hint for r in report.results), report.render()


def test_blog_output_reproduced():
    """Does the reference forward pass give the blog's 0.93015909 within 1e-6?"""
    out = reference_functions()["manual_forward"](blog_weights(), np.array([blog()["x"]]))
    assert abs(float(out[0, 0]) - 0.93015909) < 1e-6


def test_grade_cell_is_quiet_for_a_noisy_correct_function(capfd):
    """Does a correct function that prints and warns keep full points and leave stderr empty?"""
    reference = reference_functions()["make_dataset"]

    def make_dataset(*args, **kwargs):
        print("making data")
        print("debug", file=sys.stderr)
        warnings.warn("a student's warning", stacklevel=1)
        return reference(*args, **kwargs)

    points = grade("make_dataset", {"make_dataset": make_dataset})
    out, err = capfd.readouterr()
    assert points == POINTS["make_dataset"]
    assert err == ""
    assert out.startswith("make_dataset: 4 / 4 points")


def test_grade_cell_missing_function_scores_zero(capsys):
    """Does a missing function give 0 points with a reason, not a crash?"""
    assert grade("build_model", {}) == 0.0
    assert "not defined" in capsys.readouterr().out


def test_grade_cell_fails_closed_when_the_grader_breaks(monkeypatch, tmp_path):
    """Does a broken grader raise a GRADER FAILURE error (0 points) instead of going silent?"""
    monkeypatch.setattr(runner, "CHECKS_DIR", tmp_path)  # the hidden checks are missing
    with pytest.raises(GraderError, match="GRADER FAILURE"):
        grade("make_dataset", {"make_dataset": reference_functions()["make_dataset"]})
