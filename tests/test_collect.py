"""Submissions are files, not links; LMS downloads are imported safely; reruns see what changed."""

import os
import zipfile

import pytest

from autograder.course import stamps
from autograder.course.collect import Submission, from_course, import_lms, read_file
from autograder.course.layout import KIT_ROOT, Course
from autograder.errors import KitError

RELEASE = Course(KIT_ROOT).release_notebook("keras_weights")


@pytest.fixture
def course(tmp_path) -> Course:
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    return Course(tmp_path)


def _submit(course: Course, student: str, data: bytes = b"{}") -> None:
    folder = course.submitted_dir(student, "hw")
    folder.mkdir(parents=True)
    (folder / "hw.ipynb").write_bytes(data)


def test_links_and_odd_names_are_refused(course, tmp_path):
    """Is a notebook that is a link, or a linked folder, refused with a reason, and a folder
    whose name is not a student id left out with a line saying so?"""
    _submit(course, "ann")
    linked = course.submitted_dir("bob", "hw")
    linked.mkdir(parents=True)
    (linked / "hw.ipynb").symlink_to(RELEASE)
    (tmp_path / "elsewhere").mkdir()
    course.submitted_dir("cid", "hw").parent.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere" / "hw").mkdir()
    course.submitted_dir("x\x1b[2J", "hw").mkdir(parents=True)
    found, refused = from_course(course, "hw")
    by = {s.student: s for s in found}
    assert by["ann"].notebook is not None
    assert by["bob"].notebook is None and "symbolic link" in by["bob"].problem
    assert by["cid"].notebook is None and "symbolic link" in by["cid"].problem
    assert len(refused) == 1 and "\x1b" not in refused[0] and "not a student id" in refused[0]


def test_read_file_opens_only_regular_files(tmp_path):
    """Does reading a submission refuse a link, a pipe and a file over the size limit?"""
    (tmp_path / "real").write_bytes(b"data")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    os.mkfifo(tmp_path / "pipe")
    assert read_file(tmp_path / "real") == b"data"
    for name, reason in [("link", "cannot be opened"), ("pipe", "not a regular file")]:
        with pytest.raises(KitError, match=reason):
            read_file(tmp_path / name)
    with pytest.raises(KitError, match="larger than"):
        read_file(tmp_path / "real", limit=2)


def test_lms_zip_and_folder_are_imported(course, tmp_path):
    """Are <student>.ipynb files from a zip or folder placed as submissions, and a different
    notebook already there kept aside rather than lost?"""
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("ann.ipynb", "one")
        zf.writestr("sub/bob.ipynb", "two")
    assert sorted(import_lms(archive, course, "hw")) == ["ann", "bob"]
    (tmp_path / "again").mkdir()
    (tmp_path / "again" / "ann.ipynb").write_text("three")
    import_lms(tmp_path / "again", course, "hw")
    folder = course.submitted_dir("ann", "hw")
    assert (folder / "hw.ipynb").read_text() == "three"
    assert [p.read_text() for p in folder.glob("hw.ipynb.replaced-*")] == ["one"]


@pytest.mark.parametrize(
    ("member", "reason"), [("../escape.ipynb", "unsafe path"), ("/abs.ipynb", "unsafe path")]
)
def test_unsafe_zips_are_refused(course, tmp_path, member, reason):
    """Is a zip whose paths leave the unpacking folder refused, with nothing placed?"""
    archive = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(member, "x")
    with pytest.raises(KitError, match=reason):
        import_lms(archive, course, "hw")
    assert not list(course.root.glob("submitted/*"))


def test_a_linked_notebook_in_an_lms_folder_is_refused(course, tmp_path):
    """Is a link among an LMS folder's notebooks refused rather than followed?"""
    (tmp_path / "lms").mkdir()
    (tmp_path / "lms" / "eve.ipynb").symlink_to(RELEASE)
    with pytest.raises(KitError, match="cannot be opened"):
        import_lms(tmp_path / "lms", course, "hw")


def test_change_detection_and_signed_stamps(course):
    """Is a submission regraded when its notebook, its submission time or the grader changes,
    or its stamp was forged, and skipped otherwise?"""
    from autograder.model.assignment import Assignment

    assignment = Assignment.load(KIT_ROOT / "autograder" / "assignments" / "keras_weights")
    assignment = type(assignment)(**{**assignment.__dict__, "name": "hw"})
    _submit(course, "ann", b"v1")
    sub = Submission("ann", course.submitted_dir("ann", "hw") / "hw.ipynb")
    graded = course.autograded_dir("ann", "hw") / "hw.ipynb"
    graded.parent.mkdir(parents=True)
    graded.write_text("{}")
    assert stamps.changed(course, assignment, sub, "g1", "secret")  # never graded
    stamps.write(course, assignment, sub, "g1", {"make_dataset": 4.0}, "secret")
    assert not stamps.changed(course, assignment, sub, "g1", "secret")
    assert stamps.changed(course, assignment, sub, "g2", "secret")  # the checks changed
    assert stamps.changed(course, assignment, sub, "g1", "other secret")  # signed by another secret
    (sub.notebook.parent / "timestamp.txt").write_text("2026-11-29 10:00:00 UTC")
    assert stamps.changed(course, assignment, sub, "g1", "secret")  # resubmitted
    stamps.write(course, assignment, sub, "g1", {"make_dataset": 4.0}, "secret")
    path = course.stamp_file("hw", "ann")
    path.write_text(path.read_text().replace("4.0", "0.0"))
    assert stamps.read(course, assignment, "ann", "secret") is None  # edited: no longer signed
