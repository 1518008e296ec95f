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

from autograder.catalog.mistakes import grade_answers, mistakes, valid_styles
from autograder.course.layout import KIT_ROOT, Course
from autograder.dev.scratch import make_course
from autograder.engine.answers import build_submission
from autograder.engine.notebook import Node, read_notebook
from autograder.grading.references import reference_sources
from autograder.model.draws import Identity
from autograder.sandbox import policy
from autograder.sandbox.policy import Isolation
from tests import deployments
from tests.conftest import CLASS_SECRET, NOTEBOOK_CASES, notebook_case
from tests.helpers import constants, readable_python

KIT = Course(KIT_ROOT)
ASSIGNMENT = KIT.assignment("keras_weights")
POINTS = ASSIGNMENT.points
#: Per assignment: a valid style with cross-cell answers, and a catalogued mistake in an
#: exercise the style leaves alone. One submission holds both (a Gradescope run costs seconds).
CASES = {
    "keras_weights": ("oracle_from_build_model_and_helper", "manual_forward_no_bias"),
    "keras_training": ("train_by_hand_own_helpers", "hinge_loss_sum_not_mean"),
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


def _grade(root, answers: dict, *args: str, name: str = "keras_weights", prefix: list[str] = ()) -> dict:
    """Run the zip's run_autograder on a notebook with these answers (or this notebook: a Node)
    in the deployment of the command ``prefix``; return results.json."""
    submission = root / "submission"
    submission.mkdir(exist_ok=True)
    for old in submission.glob("*"):
        old.unlink()
    released = read_notebook(KIT.release_notebook(name))
    nb = answers if isinstance(answers, Node) else build_submission(answers, released)
    (submission / "hw.ipynb").write_text(json.dumps(nb, ensure_ascii=True))  # as JupyterLab writes
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"id": 4711}]}))
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
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


_MIXED: dict[str, dict] = {}


def mixed(tmp_path_factory, name: str) -> dict:
    """results.json of the reference with ``name``'s CASES in it: the valid style's cross-cell
    answers (say an oracle from the student's own build_model and a helper in an added cell)
    and the mistake (graded once per assignment)."""
    if name not in _MIXED:
        assignment = KIT.assignment(name)
        style, mistake = valid_styles(assignment)[CASES[name][0]], mistakes(assignment)[CASES[name][1]]
        assert mistake.exercise not in style, "the case's style and mistake must be in different exercises"
        answers = {**reference_sources(KIT, assignment), **style, mistake.exercise: mistake.source}
        _MIXED[name] = _grade(export(tmp_path_factory, name), answers, name=name)
    return _MIXED[name]


@pytest.mark.parametrize("name", sorted(CASES))
def test_results_hold_one_valid_entry_per_check(tmp_path_factory, name):
    """Is results.json what Gradescope's specification allows, with one entry per check?"""
    results = mixed(tmp_path_factory, name)
    _valid(results)
    assert len(results["tests"]) == check_count(KIT.assignment(name))


@pytest.mark.parametrize("name", sorted(CASES))
def test_valid_answers_pass_every_check(tmp_path_factory, name):
    """Does every check outside the mistake's exercise pass with full points, the valid style's
    cross-cell answers among them?"""
    mistake = mistakes(KIT.assignment(name))[CASES[name][1]]
    others = [t for t in mixed(tmp_path_factory, name)["tests"] if not t["name"].startswith(mistake.exercise)]
    assert others and all(t["status"] == "passed" and t["score"] == t["max_score"] for t in others)


def check_count(assignment) -> int:
    """How many checks (test functions) the assignment's hidden check modules hold."""
    return sum(
        len(re.findall(r"^def test_", (assignment.folder / f"test_{e}.py").read_text(), re.M))
        for e in assignment.exercise_names
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_mistake_shows_its_hint_after_publishing(tmp_path_factory, name):
    """Does the mistake fail checks of its exercise only, with its hint, hidden until grades
    are published?"""
    mistake = mistakes(KIT.assignment(name))[CASES[name][1]]
    failed = [t for t in mixed(tmp_path_factory, name)["tests"] if t["status"] == "failed"]
    assert failed and all(t["name"].startswith(mistake.exercise) for t in failed)
    assert all(t["visibility"] == "after_published" for t in failed)
    assert any(mistake.expected_hint in t["output"] for t in failed)


@pytest.mark.parametrize("name", sorted(CASES))
def test_score_is_what_autograder_grade_gives(tmp_path_factory, name):
    """Is the total every point but what the mistake loses when graded for the same student?"""
    assignment = KIT.assignment(name)
    mistake = mistakes(assignment)[CASES[name][1]]
    mine = grade_answers(KIT, assignment, {mistake.exercise: mistake.source}, IDENTITY).exercises[0]
    assert mine.points < mine.max_points
    assert mixed(tmp_path_factory, name)["score"] == assignment.max_points - mine.max_points + mine.points


#: Mistakes learners found that no check caught at first, graded as one submission per
#: assignment (each in an exercise of its own).
FOUND = {
    "keras_weights": ("manual_forward_imported_helper",),
    "keras_training": ("train_by_hand_empty_last_batch", "hinge_loss_shape_one"),
}


@pytest.mark.parametrize("name", sorted(FOUND))
def test_found_mistakes_score_as_autograder_check_gives(tmp_path_factory, name):
    """Does each mistake found beyond the first catalog (an empty last batch, a released helper
    imported as the answer, a hinge of shape (1,)) lose points in Gradescope, exactly what
    `autograder check` gives it, exercise by exercise?"""
    assignment = KIT.assignment(name)
    found = [mistakes(assignment)[m] for m in FOUND[name]]
    answers = {**reference_sources(KIT, assignment), **{m.exercise: m.source for m in found}}
    results = _grade(export(tmp_path_factory, name), answers, name=name)
    _valid(results)
    for mistake in found:
        mine = grade_answers(KIT, assignment, {mistake.exercise: mistake.source}, IDENTITY).exercises[0]
        got = sum(t["score"] for t in results["tests"] if t["name"].startswith(mistake.exercise))
        assert mine.points < mine.max_points, f"{mistake.name} should lose points in autograder check"
        assert got == pytest.approx(mine.points, abs=0.01), f"{mistake.name}: {got} in Gradescope"


@pytest.mark.parametrize(
    ("name", "student"), [(a, s) for a, students in NOTEBOOK_CASES.items() for s in students]
)
def test_a_notebook_case_scores_as_in_notebook_order(tmp_path_factory, name, student):
    """Does each notebook case (a scratch redefinition at the end, a helper below its use, a lone
    surrogate) score what nbgrader gives it (tests/test_autograde.py asserts the same)?"""
    assignment = KIT.assignment(name)
    nb = notebook_case(
        student, reference_sources(KIT, assignment), assignment, read_notebook(KIT.release_notebook(name))
    )
    results = _grade(export(tmp_path_factory, name), nb, name=name)
    _valid(results)
    want = assignment.points | NOTEBOOK_CASES[name][student]
    assert results["score"] == sum(want.values()), [t for t in results["tests"] if t["status"] == "failed"]


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


#: Where the attacks are graded: the sandbox asked for, the deployment (a command prefix) and
#: the isolation results.json must name. Gradescope runs as root in a container; its Python
#: (/autograder/venv) is readable by other users, as ``readable_python`` makes this one.
GRADESCOPE_DEPLOYMENTS = {
    "bare host, auto": ("auto", lambda: [], "namespaces (auto: the strongest)"),
    "bare host, uid": ("uid", readable_python, f"uid, {policy.walls(Isolation.UID)} (asked for)"),
    "docker default profile, auto": (
        "auto",
        lambda: deployments.docker(user=False),
        deployments.landlock_chosen(),
    ),
}


@pytest.mark.parametrize("deployment", sorted(GRADESCOPE_DEPLOYMENTS))
def test_attacks_gain_nothing(unpacked, reference, deployment):
    """Do attacks on the grader's modules, IPython, stderr and the autograder's files (course
    secret, checks, reference solutions) score exactly their honest mistakes, on a bare host
    (namespaces, and as a user of its own) and in a container under Docker's default profile
    (landlock), saying which in results.json?"""
    sandbox, prefix, isolation = GRADESCOPE_DEPLOYMENTS[deployment]
    if os.geteuid() != 0:
        pytest.fail("Gradescope's root is emulated as root (CI runs as root)")
    results = _grade(unpacked, {**reference, **_attacks(unpacked)}, "--sandbox", sandbox, prefix=prefix())
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
    assert results["output"] == f"graded in the kit's sandbox: {isolation}"


def test_no_sandbox_is_no_grade(unpacked, reference):
    """Where the container allows no sandbox, does run_autograder fail (Gradescope then flags
    the autograder) and still write a results.json that tells the student it is not graded,
    nor their fault, with no score?"""
    submission = unpacked / "submission"
    submission.mkdir(exist_ok=True)
    released = read_notebook(KIT.release_notebook("keras_weights"))
    nbformat.write(build_submission(reference, released), submission / "hw.ipynb")
    results_file = unpacked / "results" / "results.json"
    results_file.unlink(missing_ok=True)
    env = {**os.environ, "AUTOGRADER_ROOT": str(unpacked), "AUTOGRADER_PYTHON": sys.executable}
    cmd = [*deployments.no_sandbox(), "bash", str(unpacked / "source" / "run_autograder")]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert proc.returncode != 0, proc.stdout
    results = json.loads(results_file.read_text())
    assert "score" not in results
    assert results["output"].startswith("NOT GRADED (the autograder's failure, not yours)")
    assert "student code cannot be isolated here" in results["output"]
    results_file.unlink()
