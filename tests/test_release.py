"""The release: generated from the source notebook by command, in sync, and free of answers."""

import ast
import filecmp
import json
import shutil
from pathlib import Path

import pytest

from autograder.catalog.mistakes import grade_answers
from autograder.course.layout import CONFIG_FILE, KIT_ROOT, Course
from autograder.course.release import release
from autograder.engine.notebook import cells_by_grade_id, read_notebook
from autograder.grading.references import reference_sources
from autograder.model.draws import Identity
from tests.conftest import CLASS_SECRET

KIT = Course(KIT_ROOT)
ASSIGNMENTS = [a.name for a in KIT.assignments()]


def _without_ids(path) -> dict:
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        cell.pop("id", None)
    return nb


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_is_what_nbgrader_generates_now(tmp_path, name):
    """Is the committed release exactly what `autograder release` makes from the source now?"""
    (tmp_path / "course").mkdir()
    shutil.copy(KIT_ROOT / CONFIG_FILE, tmp_path / "course")
    course = Course(tmp_path / "course")
    shutil.copytree(KIT.source_dir(name), course.source_dir(name))
    fresh = release(course, name)
    committed = KIT.release_dir(name)
    assert files(fresh) == files(committed)
    for path in fresh.iterdir():
        if path.suffix == ".ipynb":
            assert _without_ids(path) == _without_ids(committed / path.name), (
                f"the release of {name} is stale: run `autograder release {name}`"
            )
        else:
            assert filecmp.cmp(path, committed / path.name, shallow=False), path.name


def files(folder: Path) -> list[str]:
    """The names in ``folder`` that a release is made of (not what nbgrader itself ignores,
    such as the ``__pycache__`` a run of the notebook in place leaves)."""
    return sorted(p.name for p in folder.iterdir() if p.name not in ("__pycache__", ".ipynb_checkpoints"))


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_holds_no_answers(name):
    """Does the release hold no solution code, no nbgrader markers and no hidden check code?"""
    assignment = KIT.assignment(name)
    text = KIT.release_notebook(name).read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "autograder.cell", "grade("):
        assert marker not in text, marker
    source = read_notebook(KIT.source_notebook(name))
    solutions = {gid for gid in cells_by_grade_id(source) if gid in assignment.exercise_names}
    shown = {  # lines the source shows outside solution cells (say a demonstration's loop)
        ln.strip()
        for gid, cell in cells_by_grade_id(source).items()
        if gid not in solutions
        for ln in cell["source"].splitlines()
    }
    for exercise, code in reference_sources(KIT, assignment).items():
        body = [ln.strip() for ln in code.splitlines()[2:] if len(ln.strip()) > 12]
        leaked = [ln for ln in body if ln not in shown and json.dumps(ln)[1:-1] in text]
        assert leaked == [], f"{exercise}: {leaked}"
    released = set(files(KIT.release_dir(name)))
    checks = set(files(assignment.folder))
    assert released & checks == set(), "a file of the hidden checks' folder is in the release"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_carries_the_source_data(name):
    """Does the release carry the data files the assignment lists, exactly as source_data/ has them?"""
    for file in KIT.assignment(name).data:
        assert filecmp.cmp(KIT.source_data_dir() / file, KIT.release_dir(name) / file, shallow=False)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_notebook_points_match_the_manifest(name):
    """Do the notebook's intro table and graded cells state the points of the manifest?"""
    assignment = KIT.assignment(name)
    nb = read_notebook(KIT.source_notebook(name))
    cells = cells_by_grade_id(nb)
    intro = nb.cells[0]["source"]
    for exercise in assignment.exercises:
        assert f"`{exercise.name}` | {exercise.points:g} |" in intro, f"the intro misstates {exercise.name}"
        assert cells[exercise.name]["metadata"]["nbgrader"]["solution"] is True
        assert cells[exercise.test_cell]["metadata"]["nbgrader"]["points"] == exercise.points
    graded = {gid for gid, c in cells.items() if c["metadata"]["nbgrader"].get("points")}
    assert graded == {e.test_cell for e in assignment.exercises}, "graded cells and the manifest differ"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_solution_cells_hold_only_their_function(name):
    """Does each solution cell define exactly its function, so it can be graded on its own?"""
    for exercise, source in reference_sources(KIT, KIT.assignment(name)).items():
        tree = ast.parse(source)
        assert [type(n).__name__ for n in tree.body] == ["FunctionDef"], exercise
        assert tree.body[0].name == exercise


def _released_functions(name: str) -> list[tuple[str, str]]:
    """(module, function) for each public function of the release's Python files."""
    found = []
    for path in sorted(KIT.release_dir(name).glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                found.append((path.stem, node.name))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_no_released_helper_answers_an_exercise(name):
    """Does every public function of the release's helper files, imported as an exercise's
    answer, score less than full marks on that exercise (no file hands out an answer)?"""
    assignment = KIT.assignment(name)
    scored = {}
    for module, function in _released_functions(name):
        for exercise in assignment.exercises:
            answer = f"from {module} import {function} as {exercise.name}\n"
            graded = grade_answers(KIT, assignment, {exercise.name: answer}, Identity(CLASS_SECRET, "helper"))
            scored[f"{module}.{function} as {exercise.name}"] = (graded.exercises[0].points, exercise.points)
    assert scored, f"{name}'s release has no helper functions to try"
    full = [pair for pair, (points, most) in scored.items() if points >= most]
    assert full == [], f"released helpers that answer an exercise: {full}"
