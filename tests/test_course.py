"""The course object: every folder and file of a course, from its nbgrader config, in one place."""

import shutil

import pytest

from autograder.course.layout import GRADING_FOLDER, KIT_ROOT, Course
from autograder.errors import KitError

CUSTOM = """
c = get_config()
c.CourseDirectory.source_directory = "masters"
c.CourseDirectory.release_directory = "handouts"
c.CourseDirectory.submitted_directory = "inbox"
c.CourseDirectory.autograded_directory = "marked"
c.CourseDirectory.db_url = "sqlite:///records/grades.db"
"""


@pytest.fixture
def custom(tmp_path) -> Course:
    """A course whose nbgrader config renames every folder."""
    (tmp_path / "nbgrader_config.py").write_text(CUSTOM)
    return Course(tmp_path)


def test_folders_follow_the_nbgrader_config(custom):
    """Do the paths use the folder names and gradebook the course's nbgrader config sets?"""
    root = custom.root
    assert custom.source_notebook("hw1") == root / "masters" / "hw1" / "hw1.ipynb"
    assert custom.release_notebook("hw1") == root / "handouts" / "hw1" / "hw1.ipynb"
    assert custom.submitted_dir("ann", "hw1") == root / "inbox" / "ann" / "hw1"
    assert custom.autograded_dir("ann", "hw1") == root / "marked" / "ann" / "hw1"
    assert custom.db_url == f"sqlite:///{root / 'records' / 'grades.db'}"


def test_students_are_found_where_nbgrader_puts_them(custom):
    """Does the course list each student's submitted folder of an assignment, and only those?"""
    for student in ("ann", "bob"):
        custom.submitted_dir(student, "hw1").mkdir(parents=True)
    custom.submitted_dir("cid", "hw2").mkdir(parents=True)
    assert [s for s, _ in custom.submitted_students("hw1")] == ["ann", "bob"]
    assert custom.student_of_autograded(custom.autograded_dir("ann", "hw1")) == ("ann", "hw1")
    assert custom.student_of_autograded(custom.root) is None


def test_find_walks_up_to_the_course(custom):
    """Is the course found from a folder inside it, and a clear error given outside any?"""
    inner = custom.root / "deep" / "er"
    inner.mkdir(parents=True)
    assert Course.find(inner).root == custom.root
    with pytest.raises(KitError, match="not in an nbgrader course"):
        Course.find(custom.root.parent)


def test_a_course_adds_assignments_as_folders(custom):
    """Does a course see the kit's assignments and one it adds as a folder of its own?"""
    names = {a.name for a in custom.assignments()}
    assert "keras_weights" in names
    shutil.copytree(KIT_ROOT / GRADING_FOLDER / "keras_weights", custom.root / GRADING_FOLDER / "mine")
    assert custom.assignment("mine").folder == custom.root / GRADING_FOLDER / "mine"


def test_an_unknown_assignment_names_the_known_ones(custom):
    """Does asking for an assignment the course lacks say which it has?"""
    with pytest.raises(KitError, match="unknown assignment 'nope': the course has .*keras_weights"):
        custom.assignment("nope")


@pytest.mark.parametrize(("line", "keras"), [("", True), ("keras = false", False), ('keras = "no"', None)])
def test_the_manifest_says_whether_an_assignment_uses_keras(custom, line, keras):
    """Does an assignment use Keras unless its manifest says `keras = false`, and is any other
    value refused, naming the key?"""
    folder = custom.root / GRADING_FOLDER / "mine"
    shutil.copytree(KIT_ROOT / GRADING_FOLDER / "keras_weights", folder)
    manifest = folder / "assignment.toml"
    manifest.write_text(f"{line}\n{manifest.read_text()}")
    if keras is None:
        with pytest.raises(KitError, match="keras must be true or false"):
            custom.assignment("mine")
    else:
        assert custom.assignment("mine").keras is keras
