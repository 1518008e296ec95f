"""The release: generated from solutions/ by command, in sync, and free of answers."""

import filecmp
import json
import shutil

import pytest

from autograder.exercises import EXERCISES, POINTS
from autograder.notebook_io import cells_by_grade_id, read_notebook
from autograder.paths import REPO_ROOT, SOURCE_DATA_DIR, release_notebook, source_notebook
from autograder.release import release
from autograder.submissions import reference_sources


def _without_ids(path) -> dict:
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        cell.pop("id", None)
    return nb


@pytest.mark.slow
def test_release_is_what_nbgrader_generates_now(tmp_path):
    """Is assignments/ exactly what `nbgrader generate_assignment` makes from solutions/ now?"""
    course = tmp_path / "course"
    shutil.copytree(REPO_ROOT / "solutions", course / "solutions")
    shutil.copy(REPO_ROOT / "nbgrader_config.py", course)
    fresh = release(root=course)
    committed = REPO_ROOT / "assignments" / "keras_weights"
    assert sorted(p.name for p in fresh.iterdir()) == sorted(p.name for p in committed.iterdir())
    for path in fresh.iterdir():
        if path.suffix == ".ipynb":
            assert _without_ids(path) == _without_ids(committed / path.name), (
                "assignments/ is stale: run `autograder release`"
            )
        else:
            assert filecmp.cmp(path, committed / path.name, shallow=False), path.name


def test_release_holds_no_answers():
    """Does the release hold no solution code, no nbgrader markers and no hidden check code?"""
    text = release_notebook().read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "autograder"):
        assert marker not in text, marker
    for exercise, source in reference_sources().items():
        body = [ln.strip() for ln in source.splitlines()[2:] if len(ln.strip()) > 12]
        leaked = [ln for ln in body if json.dumps(ln)[1:-1] in text]
        assert leaked == [], f"{exercise}: {leaked}"


def test_release_carries_the_source_data():
    """Does the release carry the blog's weights exactly as source_data/ has them?"""
    for src in SOURCE_DATA_DIR.glob("*.json"):
        assert filecmp.cmp(src, release_notebook().parent / src.name, shallow=False)


def test_notebook_points_match_the_table():
    """Do the notebook's table and graded cells state the points the grader scales to?"""
    nb = read_notebook(source_notebook())
    cells = cells_by_grade_id(nb)
    intro = nb.cells[0]["source"]
    for exercise in EXERCISES:
        assert f"`{exercise}` | {POINTS[exercise]} |" in intro, f"the intro misstates {exercise}"
        assert cells[exercise]["metadata"]["nbgrader"]["solution"] is True
        assert cells[f"test_{exercise}"]["metadata"]["nbgrader"]["points"] == POINTS[exercise]
        assert cells[f"check_{exercise}"]["metadata"]["nbgrader"]["points"] == 0


def test_solution_cells_hold_only_their_function():
    """Does each solution cell define exactly its function, so it can be graded on its own?"""
    import ast

    for exercise, source in reference_sources().items():
        tree = ast.parse(source)
        assert [type(n).__name__ for n in tree.body] == ["FunctionDef"], exercise
        assert tree.body[0].name == exercise
