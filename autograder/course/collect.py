"""Find the submissions to grade: nbgrader's submitted folder, or an LMS folder or zip.

A submission is a file, not a link: a notebook that is a symbolic link (to the source
notebook, say), sits in a linked folder, or is a device or pipe is refused with a clear
problem, and every file is opened with ``O_NOFOLLOW``. Student ids are checked before they
name a folder, a gradebook row or a line of the report.
"""

import os
import re
import stat
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from autograder.course.layout import Course
from autograder.errors import KitError
from autograder.text import clean

#: The characters a student id may hold (it names the course's folders and files).
ID_CHARS = "A-Za-z0-9._@+-"
STUDENT_ID = re.compile(rf"^[A-Za-z0-9][{ID_CHARS}]{{0,99}}$")


def student_id(text: str) -> str:
    """``text`` (a platform's user id or email) with every character a student id may not
    hold made an underscore."""
    return re.sub(rf"[^{ID_CHARS}]", "_", text)


#: The largest notebook the grader reads (a notebook with many images is a few MB).
MAX_NOTEBOOK = 64 * 1024 * 1024


@dataclass(frozen=True)
class Submission:
    """One student's notebook, or the reason there is none."""

    student: str
    notebook: Path | None
    problem: str = ""


def from_course(course: Course, assignment: str) -> tuple[list[Submission], list[str]]:
    """Every student's submitted folder for ``assignment``, with its notebook if it has one.

    Returns:
        ``(submissions, refused)``: the submissions, and a line for each folder whose name
        is not a student id (nothing of those is graded).
    """
    found, refused = [], []
    for student, folder in course.submitted_students(assignment):
        if not STUDENT_ID.match(student):
            refused.append(
                f"{clean(student, 120)!r} is not a student id (letters, digits, ._@+- only): not graded"
            )
            continue
        found.append(_submission(course, student, folder, assignment))
    return found, refused


def _submission(course: Course, student: str, folder: Path, assignment: str) -> Submission:
    if _linked(course.root, folder):
        return Submission(
            student, None, "the submission folder is a symbolic link, not a folder: submit the notebook"
        )
    path = folder / f"{assignment}.ipynb"
    others = sorted(p for p in folder.glob("*.ipynb"))
    chosen = path if os.path.lexists(path) else (others[0] if others else None)
    if chosen is None:
        return Submission(student, None, "the submission holds no notebook (.ipynb)")
    if chosen.is_symlink():
        return Submission(
            student, None, "the submitted notebook is a symbolic link, not a file: submit the notebook"
        )
    return Submission(student, chosen)


def _linked(root: Path, folder: Path) -> bool:
    """Is any folder between the course root and ``folder`` a symbolic link?"""
    for part in [folder, *folder.parents]:
        if part == root:
            return False
        if part.is_symlink():
            return True
    return False


def read_file(path: Path, limit: int = MAX_NOTEBOOK) -> bytes:
    """The bytes of the regular file at ``path``, never through a link.

    Raises:
        KitError: it is a link, not a regular file, unreadable or larger than ``limit``.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise KitError(f"{clean(path.name, 120)} cannot be opened ({clean(exc.strerror or exc)})") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise KitError(f"{clean(path.name, 120)} is not a regular file")
        if info.st_size > limit:
            raise KitError(f"{clean(path.name, 120)} is larger than {limit >> 20} MB")
        return fh.read(limit + 1)[:limit]


def import_lms(source: Path, course: Course, assignment: str) -> list[str]:
    """Copy ``<student>.ipynb`` files from a folder or zip into the submitted folder; return the ids.

    A notebook already submitted that differs is kept beside the new one as
    ``<name>.ipynb.replaced-<time>``, so nothing is lost.

    Raises:
        KitError: ``source`` is missing, not a folder or zip, unsafe, or holds no notebooks.
    """
    source = Path(source)
    if not source.exists():
        raise KitError(f"no folder or zip at {source}", "give the path of the LMS download")
    with tempfile.TemporaryDirectory() as tmp:
        folder = _unpacked(source, Path(tmp)) if source.is_file() else source
        notebooks = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        if not notebooks:
            raise KitError(f"{source} holds no .ipynb files", "LMS downloads name each <student>.ipynb")
        return [_place(nb, course, assignment) for nb in notebooks]


def _unpacked(path: Path, dest: Path) -> Path:
    if not zipfile.is_zipfile(path):
        raise KitError(f"{path} is neither a folder nor a zip file", "unzip it or give the folder")
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            target = (dest / member).resolve()
            if not target.is_relative_to(dest.resolve()):
                raise KitError(f"{path} holds an unsafe path {clean(member, 120)!r}", "re-download the zip")
        archive.extractall(dest)
    return dest


def _place(notebook: Path, course: Course, assignment: str) -> str:
    student = notebook.stem.split("_")[0] if not STUDENT_ID.match(notebook.stem) else notebook.stem
    if not STUDENT_ID.match(student):
        shown = clean(notebook.name, 120)
        raise KitError(f"cannot tell the student id from {shown!r}", "name it <student>.ipynb")
    data = read_file(notebook)  # a link in the LMS folder is refused, not followed
    dest = course.submitted_dir(student, assignment) / f"{assignment}.ipynb"
    dest.parent.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(dest) and (dest.is_symlink() or read_file(dest) != data):
        dest.rename(dest.with_name(f"{dest.name}.replaced-{time.strftime('%Y%m%d-%H%M%S')}"))
    dest.write_bytes(data)
    return student
