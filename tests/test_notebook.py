"""The source notebooks as learning artifacts: they run top to bottom, cleanly, with pictures,
and every number they state is computed there (asserted here from what they print)."""

import functools
import re
import time

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.assignments.keras_training.support import TRAIN_ATOL
from autograder.course.layout import KIT_ROOT, Course

pytestmark = pytest.mark.slow
ARTIFACTS = KIT_ROOT / "test_artifacts"
KIT = Course(KIT_ROOT)
#: Pictures each notebook draws: keras_weights the data, the loss curve and two decision
#: boundaries; keras_training the two loss curves and three decision boundaries.
PICTURES = {"keras_weights": 3, "keras_training": 2}


@functools.cache
def execute(name: str) -> nbformat.NotebookNode:
    """The source notebook of ``name``, executed once, top to bottom, in a real kernel (saved as
    an artifact); prints how long it took."""
    source = KIT.source_notebook(name)
    nb = nbformat.read(source, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(source.parent)}}
    ).execute()
    print(f"\nthe {name} notebook ran in {time.perf_counter() - start:.1f} s")
    ARTIFACTS.mkdir(exist_ok=True)
    nbformat.write(nb, ARTIFACTS / f"{name}_executed.ipynb")
    return nb


@pytest.fixture(scope="module")
def executed() -> nbformat.NotebookNode:
    """The executed keras_weights notebook."""
    return execute("keras_weights")


@pytest.fixture(scope="module")
def training() -> nbformat.NotebookNode:
    """The executed keras_training notebook."""
    return execute("keras_training")


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_runs_without_errors_or_stderr(name):
    """Does every cell run with no error and nothing on stderr (no TensorFlow noise)?"""
    noisy = [
        (i, out.get("name") or out["output_type"], out.get("text", out.get("evalue", ""))[:200])
        for i, cell in enumerate(execute(name).cells)
        for out in cell.get("outputs", [])
        if out["output_type"] == "error" or out.get("name") == "stderr"
    ]
    assert noisy == []


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_shows_pictures(name):
    """Does it draw its pictures (see PICTURES), as images in the notebook?"""
    images = [
        out
        for cell in execute(name).cells
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    ]
    assert len(images) == PICTURES[name]


def _printed(executed, grade_id: str) -> str:
    """What the cell with ``grade_id`` printed."""
    cell = next(c for c in executed.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return "".join(out.get("text", "") for out in cell.get("outputs", []))


def _percent(text: str, label: str) -> float:
    return float(re.search(re.escape(label) + r"\s*([\d.]+)%", text).group(1))


def test_reproduces_the_blog_output(executed):
    """Does the notebook print Keras' output for the blog's weights (0.930159, within float32
    round-off of the blog's 0.93015909) and the oracle's 100 %?"""
    assert "model.predict with the blog's weights: 0.930159 " in _printed(executed, "blog_by_hand")
    assert "oracle 100.0%" in _printed(executed, "trained_vs_chosen")


def test_a_falling_loss_learned_a_constant(executed):
    """Does the loss fall while the trained model, like the blog's, answers +1 everywhere
    (the blog's weights output at least 0.767 over the square)?"""
    first, last = map(
        float,
        re.search(
            r"([\d.]+) after the first epoch, ([\d.]+) after the last",
            _printed(executed, "train_like_the_blog"),
        ).groups(),
    )
    assert last < first
    text = _printed(executed, "what_accuracy_means")
    assert "the blog's weights output at least 0.767 over the square" in text
    assert _percent(text, "it says +1 on") == 100.0


def test_every_accuracy_is_the_share_of_plus_one_labels(executed):
    """Do Keras 3's and Keras 1's accuracy and the sign accuracy of the trained model all equal
    the share of +1 labels, while on a perfect prediction Keras 1 gives 100 % and Keras 3 that share?"""
    text = _printed(executed, "what_accuracy_means")
    share = _percent(text, "share of +1 labels in this sample of 250:")
    for label in ("by Keras 3's rule:", "model.evaluate:", "by Keras 1's rule:", "its sign accuracy:"):
        assert _percent(text, label) == share, label
    assert _percent(text, "a PERFECT prediction by Keras 1's rule:") == 100.0
    assert _percent(text, "by Keras 3's:") == share


def test_hinge_loss_is_the_same_on_0_1_and_plus_minus_1_labels(executed):
    """Does the notebook show Keras 3's hinge loss equal on 0/1 and on -1/+1 labels?"""
    text = _printed(executed, "what_accuracy_means")
    pm, zero_one = re.search(r"labels -1/\+1: ([\d.]+); with labels 0/1: ([\d.]+)", text).groups()
    assert pm == zero_one


def _number(text: str, label: str) -> float:
    """The number printed after ``label``."""
    return float(re.search(re.escape(label) + r"\s*([-+\d.e]+)", text).group(1))


def test_gradient_check_agrees(training):
    """Do the reference gradients agree with finite differences (relative error below 1e-6),
    and does the cell say so?"""
    text = _printed(training, "gradient_check")
    assert _number(text, "between your gradients and finite differences:") < 1e-6
    assert "your gradients are float64; below 1e-06 is round-off, so they agree" in text


def _run_down_to(name: str, last: str, answers: dict[str, str]) -> nbformat.NotebookNode:
    """The source notebook with ``answers`` in their cells, run in a real kernel down to the
    cell ``last``, as a learner running the notebook with those answers would."""
    source = KIT.source_notebook(name)
    nb = nbformat.read(source, as_version=4)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    nb.cells = nb.cells[: ids.index(last) + 1]
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(source.parent)}}
    ).execute()
    return nb


def test_the_gradient_check_agrees_with_correct_float32_gradients():
    """Does the finite-difference cell tell a learner whose correct gradients compute in float32
    (full marks from the hidden checks) that they agree, not that they differ?"""
    style = (
        KIT.assignment("keras_training").folder / "catalog" / "valid" / "manual_gradients_float32.py"
    ).read_text()
    nb = _run_down_to("keras_training", "gradient_check", {"manual_gradients": style})
    text = _printed(nb, "gradient_check")
    assert "your gradients are float32; below 0.0001 is round-off, so they agree" in text, text
    assert _number(text, "between your gradients and finite differences:") < 1e-4


def test_the_practice_cell_skipped_stops_nothing():
    """Does Run All of keras_weights with every exercise done but the practice cell left as
    released go on past it, its check cell saying it is not done instead of failing?"""
    release = nbformat.read(KIT.release_notebook("keras_weights"), as_version=4)
    stub = next(
        c for c in release.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "practice_sign_accuracy"
    )
    nb = _run_down_to(
        "keras_weights", "check_practice_sign_accuracy", {"practice_sign_accuracy": stub.source}
    )
    assert "not done yet" in _printed(nb, "practice_sign_accuracy")
    assert "The practice cell is not done yet" in _printed(nb, "check_practice_sign_accuracy")
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors == []


def test_the_blogs_85_percent_is_computed_as_the_share(executed):
    """Does the notebook compute that the blog's "about 85 %" on 50 validation points lies
    within one standard deviation of the share of +1 labels, as its text says?"""
    text = _printed(executed, "what_accuracy_means")
    assert _number(text, "the share is 87.5 % ±") == 4.7
    assert _number(text, "about 85 % lies") < 1.0


def test_the_fading_gradient_is_measured(training):
    """Does the blog's run print tanh's mean slope at the output, far below 1 (a faded
    gradient), as the text says?"""
    text = _printed(training, "blog_settings")
    assert 0 < _number(text, "1 - out², over the training points:") < 0.1


def test_hand_loop_lies_on_model_fit(training):
    """Do the hand-written loop's losses and final weights equal model.fit's over 30 epochs
    (losses within 1e-5, weights within the checks' tolerance)?"""
    text = _printed(training, "loss_curves")
    assert _number(text, "largest loss difference over the 30 epochs:") < 1e-5
    assert _number(text, "largest difference from model.fit's") < TRAIN_ATOL
    assert "(your loop's float64 against model.fit's float32)" in text


def test_blog_settings_answer_plus_one_everywhere(training):
    """Does the blog's model.fit end up answering +1 everywhere, no better than always +1,
    with the hinge flat on no training point?"""
    text = _printed(training, "blog_settings")
    accuracy, always = re.search(r"sign accuracy ([\d.]+)%.*always answering \+1: ([\d.]+)%", text).groups()
    assert accuracy == always
    assert _percent(text, "it answers +1 on") == 100.0
    assert "(y * out >= 1, no pull): 0%" in text


def _row(text: str, label: str) -> tuple[int, float]:
    """(starts beating +1, mean sign accuracy) of the experiment table's row ``label``."""
    beats, mean = re.search(re.escape(label) + r"\s+(\d) of 5\s+([\d.]+)%", text).groups()
    return int(beats), float(mean)


def test_a_change_beats_the_baseline(training):
    """Does the SGD loop at a blog-like rate stay at the baseline from every start, while the
    squared error beats it from every start, and a 100 times larger rate from some?"""
    text = _printed(training, "what_beats_the_baseline")
    baseline = _percent(text, "(always answering +1)")
    assert _row(text, "hinge, rate 0.01, 150 epochs") == (0, baseline)
    beats, mean = _row(text, "squared error, rate 0.01, 150 epochs")
    assert beats == 5 and mean > baseline + 5
    assert _row(text, "hinge, rate 1 (100 times)")[0] >= 1
