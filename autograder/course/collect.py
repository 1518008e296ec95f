"""Find the submissions to grade: nbgrader's submitted folder, or an LMS folder or zip."""

import re
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from autograder.course.layout import Course
from autograder.errors import KitError

_STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$")


@dataclass(frozen=True)
class Submission:
    """One student's notebook, or the reason there is none."""

    student: str
    notebook: Path | None
    problem: str = ""


def from_course(course: Course, assignment: str) -> list[Submission]:
    """Every student's submitted folder for ``assignment``, with its notebook if it has one."""
    found = []
    for student, folder in course.submitted_students(assignment):
        path = folder / f"{assignment}.ipynb"
        others = sorted(folder.glob("*.ipynb"))
        if path.is_file():
            found.append(Submission(student, path))
        elif others:
            found.append(Submission(student, others[0]))
        else:
            found.append(Submission(student, None, "the submission holds no notebook (.ipynb)"))
    return found


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
                raise KitError(f"{path} holds an unsafe path {member!r}", "re-download the zip")
        archive.extractall(dest)
    return dest


def _place(notebook: Path, course: Course, assignment: str) -> str:
    student = notebook.stem.split("_")[0] if not _STUDENT_ID.match(notebook.stem) else notebook.stem
    if not _STUDENT_ID.match(student):
        raise KitError(f"cannot tell the student id from {notebook.name!r}", "name it <student>.ipynb")
    dest = course.submitted_dir(student, assignment) / f"{assignment}.ipynb"
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() and dest.read_bytes() != notebook.read_bytes():
        shutil.copy2(dest, dest.with_name(f"{dest.name}.replaced-{time.strftime('%Y%m%d-%H%M%S')}"))
    shutil.copy2(notebook, dest)
    return student
