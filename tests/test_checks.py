"""The hidden checks in-process: verdicts on the reference, stubs and mistakes, and fail-closed."""

import subprocess
import sys
import warnings

import numpy as np
import pytest

from autograder.catalog.mistakes import mistakes, valid_styles
from autograder.cell import grade
from autograder.course.layout import KIT_ROOT, Course
from autograder.dev.scratch import reference_functions
from autograder.engine import checks
from autograder.engine.checks import run_checks
from autograder.errors import GraderError
from autograder.model.draws import Identity
from tests.helpers import check_module

KIT = Course(KIT_ROOT)
ASSIGNMENT = KIT.assignment("keras_weights")
DATA = KIT.source_data_dir()
REFERENCE = reference_functions(KIT, ASSIGNMENT)


def _stub(*args, **kwargs):
    raise NotImplementedError()


@pytest.mark.parametrize("exercise", ASSIGNMENT.exercise_names)
def test_reference_passes_every_check(exercise):
    """Does the reference solution pass every hidden check of its exercise?"""
    result = run_checks(ASSIGNMENT, exercise, REFERENCE[exercise], Identity(), DATA)
    assert result.failed == [], result.to_text()
    assert result.points == ASSIGNMENT.points[exercise]


@pytest.mark.parametrize("exercise", ASSIGNMENT.exercise_names)
def test_stub_scores_zero(exercise):
    """Does the release's NotImplementedError stub score zero, with the error named?"""
    result = run_checks(ASSIGNMENT, exercise, _stub, Identity(), DATA)
    assert result.points == 0.0
    assert all("NotImplementedError" in c.hint for c in result.checks), result.to_text()


def test_blog_output_reproduced():
    """Does the reference forward pass give the blog's 0.93015909 within 1e-6?"""
    module = check_module(ASSIGNMENT, "manual_forward")
    out = REFERENCE["manual_forward"](module.blog_weights(DATA), np.array([module.blog(DATA)["x"]]))
    assert abs(float(out[0, 0]) - 0.93015909) < 1e-6


def test_grade_cell_is_quiet_for_a_noisy_correct_function(capfd):
    """Does a correct function that prints and warns keep full points and leave stderr empty?"""
    reference = REFERENCE["make_dataset"]

    def make_dataset(*args, **kwargs):
        print("making data")
        print("debug", file=sys.stderr)
        warnings.warn("a student's warning", stacklevel=1)
        return reference(*args, **kwargs)

    points = grade("make_dataset", {"make_dataset": make_dataset})
    out, err = capfd.readouterr()
    assert points == ASSIGNMENT.points["make_dataset"]
    assert err == ""
    assert out.startswith("make_dataset: 4 / 4 points")


def test_grade_cell_missing_function_scores_zero(capsys):
    """Does a missing function give 0 points with a reason, not a crash?"""
    assert grade("build_model", {}) == 0.0
    assert "not defined" in capsys.readouterr().out


def test_grade_cell_blames_a_helper_called_through_globals(capsys):
    """Does the graded cell in a kernel give train_by_hand full marks where it calls the
    student's failing manual_gradients through ``globals()[...]``, graded with the reference
    in its place, and say which helper to fix?"""
    training = KIT.assignment("keras_training")
    style = valid_styles(training)["train_by_hand_own_helpers"]
    broken = mistakes(training)["manual_gradients_sum_not_mean"].source
    loop = style["train_by_hand"].replace("manual_gradients(", 'globals()["manual_gradients"](')
    namespace = {"__name__": "__main__"}
    exec("\n".join(["import numpy as np", broken, style["sgd_step"], loop]), namespace)
    assert grade("train_by_hand", namespace, "keras_training") == training.points["train_by_hand"]
    said = "train_by_hand calls your manual_gradients, which fails its own checks: fix that first"
    assert said in capsys.readouterr().out


def test_grade_cell_fails_closed_when_the_grader_breaks(monkeypatch, tmp_path):
    """Does a broken grader raise a GRADER FAILURE error (0 points) instead of going silent?"""
    monkeypatch.setattr(checks, "PYTEST_INI", tmp_path / "missing.ini")  # the checks cannot run
    with pytest.raises(GraderError, match="GRADER FAILURE"):
        grade("make_dataset", {"make_dataset": REFERENCE["make_dataset"]})


def test_causes_are_named_only_where_the_error_shows_them():
    """Is a shape error from the blog's column form on a [W, b] model explained by the kernels'
    shapes, and an unpacking error on [W, b] by its two arrays, never the other way round?"""

    def transposed(weights, x):
        return np.tanh(x @ weights[0].T + weights[1])

    def unpacking(weights, x):
        w1, b1, w2, b2 = weights
        return np.tanh(np.tanh(x @ w1 + b1) @ w2 + b2)

    checks = {
        f.__name__: {c.name: c for c in run_checks(ASSIGNMENT, "manual_forward", f, Identity(), DATA).checks}
        for f in (transposed, unpacking)
    }
    shapes = checks["transposed"]["test_matches_predict_no_hidden"]
    assert "multiply them in the order their shapes allow" in shapes.cause and "[W, b]" not in shapes.hint
    structure = checks["unpacking"]["test_matches_predict_no_hidden"]
    assert "without a hidden layer the weights are [W, b]" in structure.cause


def _by_hand(*options: str) -> subprocess.CompletedProcess:
    """make_dataset's hidden checks run by hand with pytest, as the README shows."""
    module = str(ASSIGNMENT.check_module("make_dataset"))
    command = [sys.executable, "-m", "pytest", "-c", str(checks.PYTEST_INI), "-q", *options, module]
    return subprocess.run(command, cwd=KIT_ROOT, capture_output=True, text=True, timeout=300)


def test_checks_run_by_hand_pass_on_the_reference():
    """Do an exercise's hidden checks, run by hand with the dev plugin, judge the course's
    reference solution and pass?"""
    proc = _by_hand("-p", "autograder.dev.by_hand")
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert " passed" in proc.stdout and "failed" not in proc.stdout, proc.stdout[-2000:]


def test_checks_run_by_hand_judge_a_notebook():
    """Does ``--submission NOTEBOOK`` judge that notebook's function (the untouched release
    fails, saying its stub raised)?"""
    release = KIT.release_notebook(ASSIGNMENT.name)
    proc = _by_hand("-p", "autograder.dev.by_hand", "--submission", str(release))
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "NotImplementedError" in proc.stdout, proc.stdout[-2000:]


def test_checks_run_without_anything_to_judge_say_how():
    """Do the checks, run by hand without the grader or the dev plugin, fail saying how to run
    them (not with a missing fixture or a stack trace of the kit)?"""
    proc = _by_hand()
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "run them by hand with `-p autograder.dev.by_hand`" in proc.stdout, proc.stdout[-2000:]
