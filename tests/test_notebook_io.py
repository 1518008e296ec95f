"""Reading notebooks without nbformat: the same notebook nbformat's own reader gives."""

import json

import nbformat
import pytest

from autograder.course.layout import KIT_ROOT, Course
from autograder.engine.notebook import read_notebook

KIT = Course(KIT_ROOT)


def _with_outputs(path):
    """A notebook as Jupyter saves one after a run: outputs split into lines, images, JSON."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)\nprint(2)")])
    nb.cells[0].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="1\n2\n"),
        nbformat.v4.new_output(
            "execute_result",
            data={"text/plain": "a\nb", "application/json": {"k": ["x", "y"]}, "image/png": "iVBO\nRw0"},
            execution_count=1,
        ),
    ]
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("which", ["source", "release", "outputs"])
def test_reads_what_nbformat_reads(tmp_path, which):
    """Does read_notebook return exactly what nbformat.read returns, outputs included?"""
    paths = {"source": KIT.source_notebook, "release": KIT.release_notebook}
    path = paths[which]("keras_weights") if which in paths else _with_outputs(tmp_path / "run.ipynb")
    expected = json.loads(json.dumps(nbformat.read(path, as_version=4)))
    assert json.loads(json.dumps(read_notebook(path))) == expected


def test_what_it_reads_writes_back_unchanged(tmp_path):
    """Does nbformat.write take what read_notebook returns and write the same notebook?"""
    path = _with_outputs(tmp_path / "run.ipynb")
    nbformat.write(read_notebook(path), tmp_path / "copy.ipynb")
    assert (tmp_path / "copy.ipynb").read_text() == path.read_text()
