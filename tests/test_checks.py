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
from tests.conftest import MISTAKES


def _stub(*args, **kwargs):
    raise NotImplementedError()


def _define(source: str):
    from autograder.quiet import import_keras_quietly

    namespace = {"np": np, "keras": import_keras_quietly()}
    exec(source, namespace)
    return namespace


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


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_mistake_loses_points_with_a_hint(mistake):
    """Does each typical mistake fail at least one check, each failure with a hint?"""
    exercise, source = MISTAKES[mistake]
    report = run_checks(exercise, _define(source)[exercise])
    assert report.points < POINTS[exercise]
    assert all(r.hint for r in report.failed)


def test_hints_name_the_misconception():
    """Do the hints name what the outputs show, e.g. missing biases and 0/1 labels?"""
    wanted = {
        "manual_forward_no_bias": "biases are missing",
        "make_dataset_labels_01": "0/1",
        "build_model_relu_hidden": "relu",
        "oracle_wrong_bias_sign": "wrong sign",
        "make_dataset_threshold_ignored": "threshold argument",
    }
    for mistake, phrase in wanted.items():
        exercise, source = MISTAKES[mistake]
        hints = " ".join(r.hint for r in run_checks(exercise, _define(source)[exercise]).failed)
        assert phrase in hints, f"{mistake}: {hints}"


def test_keras_inside_manual_forward_is_caught():
    """Does a manual_forward that asks a Keras model fail the NumPy-only check?"""
    source = """
def manual_forward(weights, x):
    n_features, units = weights[0].shape
    inputs = keras.Input(shape=(n_features,))
    h = keras.layers.Dense(units, activation="tanh")(inputs)
    if len(weights) == 4:
        h = keras.layers.Dense(1, activation="tanh")(h)
    model = keras.Model(inputs, h)
    model.set_weights(weights)
    return model.predict(x, verbose=0)
"""
    report = run_checks("manual_forward", _define(source)["manual_forward"])
    failed = {r.name for r in report.failed}
    assert failed == {"test_numpy_only"}, report.render()


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
