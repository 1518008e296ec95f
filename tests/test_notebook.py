"""The source notebook as a learning artifact: it runs top to bottom, cleanly, with pictures."""

import re
import time

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.course.layout import KIT_ROOT, Course

pytestmark = pytest.mark.slow
ARTIFACTS = KIT_ROOT / "test_artifacts"
SOURCE = Course(KIT_ROOT).source_notebook("keras_weights")


@pytest.fixture(scope="module")
def executed():
    """The source notebook, executed top to bottom in a real kernel (saved as an artifact)."""
    nb = nbformat.read(SOURCE, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(SOURCE.parent)}},
    ).execute()
    print(f"\nthe source notebook ran in {time.perf_counter() - start:.1f} s")
    ARTIFACTS.mkdir(exist_ok=True)
    nbformat.write(nb, ARTIFACTS / "keras_weights_executed.ipynb")
    return nb


def test_runs_without_errors_or_stderr(executed):
    """Does every cell run with no error and nothing on stderr (no TensorFlow noise)?"""
    noisy = [
        (i, out.get("name") or out["output_type"], out.get("text", out.get("evalue", ""))[:200])
        for i, cell in enumerate(executed.cells)
        for out in cell.get("outputs", [])
        if out["output_type"] == "error" or out.get("name") == "stderr"
    ]
    assert noisy == []


def test_shows_pictures(executed):
    """Does it draw the data, the loss curve and the two decision boundaries?"""
    images = [
        out
        for cell in executed.cells
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    ]
    assert len(images) == 3


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
