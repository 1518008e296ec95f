"""The source notebook as a learning artifact: it runs top to bottom, cleanly, with pictures."""

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


def test_reproduces_the_blog_output(executed):
    """Does the notebook print Keras' 0.93015909 for the blog's weights?"""
    text = "".join(out.get("text", "") for c in executed.cells for out in c.get("outputs", []))
    assert "model.predict with the blog's weights: 0.93015909" in text
    assert "oracle 100.0%" in text
