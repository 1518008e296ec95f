"""Which cells of a submission run, in which order: the notebook as Jupyter runs it."""

import copy

import nbformat

from autograder.course.layout import KIT_ROOT, Course
from autograder.engine.answers import build_submission
from autograder.engine.notebook import grade_id, read_notebook
from autograder.engine.plan import make_plan
from autograder.sandbox.inside import kernel

KIT = Course(KIT_ROOT)
ASSIGNMENT = KIT.assignment("keras_weights")
RELEASE = read_notebook(KIT.release_notebook("keras_weights"))
SETUP = next(c for c in RELEASE.cells if grade_id(c) == "setup")["source"]


def _submission(**answers):
    return build_submission(answers, RELEASE)


def test_setup_then_solution_cells_run_in_notebook_order():
    """Does the plan run the release's setup cell, then the solution cells in order, and none
    of the instructor's demonstration, check or test cells?"""
    plan = make_plan(_submission(), RELEASE, ASSIGNMENT)
    solutions = [c for c in RELEASE.cells if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    assert plan.cells[0] == SETUP
    assert list(plan.solution_cell) == list(ASSIGNMENT.exercise_names)
    assert plan.cells[1:] == tuple(c["source"] for c in solutions)  # exercises, and practice cells
    assert not any("plot_data" in c or "grade(" in c or "assert " in c for c in plan.cells[1:])


def test_an_edited_setup_cell_runs_as_released():
    """Does a student's edit of the (locked) setup cell change nothing?"""
    nb = _submission()
    next(c for c in nb.cells if grade_id(c) == "setup")["source"] = "import os; os.system('rm -rf /')"
    assert make_plan(nb, RELEASE, ASSIGNMENT).cells[0] == SETUP


def test_a_deleted_setup_cell_still_runs_first():
    """Does the setup cell run first even when the student deleted it?"""
    nb = _submission(make_dataset="def make_dataset(): pass")
    nb.cells = [c for c in nb.cells if grade_id(c) != "setup"]
    plan = make_plan(nb, RELEASE, ASSIGNMENT)
    assert (
        plan.cells[0] == SETUP
        and plan.cells[plan.solution_cell["make_dataset"]] == "def make_dataset(): pass"
    )


def test_added_cells_run_where_they_stand():
    """Does a cell the student added run between the cells around it, named for the student?"""
    nb = _submission(build_model="def build_model(): return helper()")
    position = next(i for i, c in enumerate(nb.cells) if grade_id(c) == "build_model")
    nb.cells.insert(position, nbformat.v4.new_code_cell("def helper(): return 1"))
    plan = make_plan(nb, RELEASE, ASSIGNMENT)
    i = plan.solution_cell["build_model"]
    assert plan.cells[i - 1] == "def helper(): return 1"
    assert plan.labels[i - 1] == f"cell {position + 1} (one you added)"


def test_a_pasted_copy_of_a_cell_is_the_students():
    """Does a second cell with an instructor's grade_id (pasted) run as the student's own, as
    nbgrader's DeduplicateIds has it, and a second solution cell too?"""
    nb = _submission(make_dataset="x = 1")
    setup = next(c for c in nb.cells if grade_id(c) == "setup")
    copy_of_setup, copy_of_solution = copy.deepcopy(setup), copy.deepcopy(nb.cells[5])
    copy_of_setup["source"] = "y = 2"
    nb.cells += [copy_of_setup, copy_of_solution]
    plan = make_plan(nb, RELEASE, ASSIGNMENT)
    assert plan.cells[-2:] == ("y = 2", nb.cells[5]["source"])


def test_ipython_syntax_runs_as_jupyter_runs_it():
    """Are magics and shell escapes turned into the calls Jupyter makes of them?"""
    plan = make_plan(_submission(make_dataset="%matplotlib inline\n!ls\nx = 1"), RELEASE, ASSIGNMENT)
    cell = plan.cells[plan.solution_cell["make_dataset"]]
    assert "run_line_magic('matplotlib', 'inline')" in cell and "system('ls')" in cell and "x = 1" in cell


def test_a_copy_of_the_source_notebook_is_flagged():
    """Is a notebook whose own cells carry nbgrader's solution markers flagged, not planned?"""
    source = read_notebook(KIT.source_notebook("keras_weights"))
    plan = make_plan(source, RELEASE, ASSIGNMENT)
    assert plan.cells == () and "### BEGIN SOLUTION" in plan.flag


def test_hidden_tests_nbgrader_restored_are_not_a_flag():
    """Are the markers nbgrader itself puts back into the test cells left alone?"""
    nb = _submission()
    next(c for c in nb.cells if grade_id(c) == "test_make_dataset")["source"] = "### BEGIN HIDDEN TESTS\n1\n"
    assert make_plan(nb, RELEASE, ASSIGNMENT).flag == ""


def test_why_a_function_is_missing_names_its_cell():
    """Does the plan say which cell should have defined a missing function, and what it did?"""
    plan = make_plan(_submission(), RELEASE, ASSIGNMENT)
    i = plan.solution_cell["build_model"]
    raised = plan.undefined("build_model", {i: "NameError: name 'keras' is not defined"}, {})
    assert raised == "the cell with grade_id 'build_model' raised NameError: name 'keras' is not defined"
    nb = _submission()
    nb.cells = [c for c in nb.cells if grade_id(c) != "build_model"]
    assert "no cell with grade_id 'build_model'" in make_plan(nb, RELEASE, ASSIGNMENT).undefined(
        "build_model", {}, {}
    )


def _kept_after(setup: str, later: str) -> tuple[dict, dict]:
    """The namespace kept after ``setup`` ran (as at a graded cell), and the live one after
    ``later`` ran too."""
    names = kernel.namespace()
    exec(setup, names)
    kept = kernel.snapshot(names)
    exec(later, names)
    return kept, names


def test_data_changed_in_place_later_is_kept_as_it_stood():
    """Does a function kept at its graded cell see a dict, a list, an array and a list in a
    tuple as they stood there, though a later cell changes them in place (as nbgrader's test
    cell would see them)?"""
    kept, names = _kept_after(
        "import numpy as np\nS = {'scale': 1.0}\nL = [1, 2]\nA = np.ones(3)\nT = ([1],)\n"
        "def f():\n    return S['scale'] * sum(L) * A.sum() * T[0][0]",
        "S['scale'] = 0.0\nL.append(10)\nA[:] = 5\nT[0][0] = 7",
    )
    assert kept["f"]() == 9.0, "f kept at its cell should read S, L, A and T as they stood there"
    assert names["f"]() == 0.0, "the live namespace should hold the later changes"


def test_names_for_one_value_still_share_it_when_kept():
    """Do two names for one list still name one list in the kept namespace?"""
    kept, _ = _kept_after("a = [1]\nb = a", "")
    assert kept["a"] is kept["b"], "a and b named one list; kept, they should name one copy"


def test_what_is_not_plain_data_or_too_big_is_shared():
    """Is a value that is not plain data (a generator, an object of the student's class) or too
    big to copy shared with the live namespace, not copied?"""
    big = kernel.COPY_BUDGET + 1
    kept, names = _kept_after(
        f"import numpy as np\nrng = np.random.default_rng(0)\nclass Box: pass\nbox = [Box()]\n"
        f"big = list(range({big}))\nsmall = [0]",
        "",
    )
    for name in ("rng", "box", "big"):
        assert kept[name] is names[name], f"{name} should be shared, not copied"
    assert kept["small"] is not names["small"], "a small list of numbers should be copied"
