"""The course: where each of its folders and files lives, asked for in one place.

nbgrader's folders (source, release, submitted, autograded, feedback) and the gradebook come
from nbgrader's own ``CourseDirectory``, configured by the course's ``nbgrader_config.py``;
the kit's own files (grading reports, regrade stamps, the course secret) sit beside them.
Importing nbgrader takes about two seconds, so it happens only when a path needs it.
"""

import functools
import glob
import re
from collections.abc import Iterator
from pathlib import Path

from autograder.errors import KitError

CONFIG_FILE = "nbgrader_config.py"
#: The kit's repository: itself a course, whose assignments every course can use.
KIT_ROOT = Path(__file__).resolve().parents[2]
#: Where a course keeps the grading side of its assignments (manifest, hidden checks, catalog).
GRADING_FOLDER = Path("autograder") / "assignments"


class Course:
    """An nbgrader course folder and the paths of everything in it."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    @classmethod
    def find(cls, start: Path | None = None) -> "Course":
        """The course ``start`` (default: the current folder) is in: the nearest folder up
        that holds ``nbgrader_config.py``.

        Raises:
            KitError: no folder on the way up is a course.
        """
        start = Path(start or Path.cwd()).resolve()
        for folder in (start, *start.parents):
            if (folder / CONFIG_FILE).is_file():
                return cls(folder)
        raise KitError(
            f"{start} is not in an nbgrader course (no {CONFIG_FILE} in it or above it)",
            f"cd to the course root first: the kit's repository ({KIT_ROOT}) or your copy of it",
        )

    @classmethod
    def find_or_kit(cls, start: Path | None = None) -> "Course":
        """The course ``start`` is in, else the kit's own (for a learner's downloaded notebook)."""
        try:
            return cls.find(start)
        except KitError:
            return cls(KIT_ROOT)

    @functools.cached_property
    def nbgrader(self):
        """nbgrader's ``CourseDirectory`` for this course, configured by its config file."""
        from nbgrader.coursedir import CourseDirectory
        from traitlets.config.loader import PyFileConfigLoader

        config = PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config()
        return CourseDirectory(config=config, root=str(self.root))

    # ------------------------------------------------------------ nbgrader's folders
    def _step(self, folder: str, student: str, assignment: str) -> Path:
        dirs = self.nbgrader
        return Path(dirs.format_path(getattr(dirs, folder), student, assignment))

    def source_dir(self, assignment: str) -> Path:
        return self._step("source_directory", ".", assignment)

    def source_notebook(self, assignment: str) -> Path:
        """The instructor's notebook, with the reference solutions and hidden test cells."""
        return self.source_dir(assignment) / f"{assignment}.ipynb"

    def release_dir(self, assignment: str) -> Path:
        return self._step("release_directory", ".", assignment)

    def release_notebook(self, assignment: str) -> Path:
        """The student version, generated from the source notebook."""
        return self.release_dir(assignment) / f"{assignment}.ipynb"

    def submitted_dir(self, student: str, assignment: str) -> Path:
        return self._step("submitted_directory", student, assignment)

    def autograded_dir(self, student: str, assignment: str) -> Path:
        return self._step("autograded_directory", student, assignment)

    def feedback_dir(self, student: str, assignment: str) -> Path:
        return self._step("feedback_directory", student, assignment)

    def submitted_students(self, assignment: str) -> Iterator[tuple[str, Path]]:
        """Each ``(student id, folder)`` under the submitted folder for ``assignment``."""
        dirs = self.nbgrader
        pattern = dirs.format_path(dirs.submitted_directory, "*", assignment)
        regex = re.compile(
            dirs.format_path(dirs.submitted_directory, "(?P<student_id>[^/]+)", assignment, escape=True)
        )
        for path in sorted(glob.glob(glob.escape(pattern).replace(glob.escape("*"), "*"))):
            match = regex.fullmatch(path)
            if match and Path(path).is_dir():
                yield match.group("student_id"), Path(path)

    def student_of_autograded(self, folder: Path) -> tuple[str, str] | None:
        """``(student, assignment)`` when ``folder`` is one of nbgrader's autograded folders."""
        dirs = self.nbgrader
        regex = dirs.format_path(
            dirs.autograded_directory, "(?P<student_id>[^/]+)", "(?P<assignment_id>[^/]+)", escape=True
        )
        match = re.fullmatch(regex, str(Path(folder).resolve()))
        return (match.group("student_id"), match.group("assignment_id")) if match else None

    @property
    def db_url(self) -> str:
        """The gradebook's address (nbgrader's, made absolute for a relative SQLite path)."""
        url = self.nbgrader.db_url
        prefix = "sqlite:///"
        if url.startswith(prefix) and not Path(url[len(prefix) :]).is_absolute():
            return prefix + str(self.root / url[len(prefix) :])
        return url

    @property
    def gradebook_file(self) -> Path | None:
        """The gradebook's file when it is SQLite, else None."""
        url = self.db_url
        return Path(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else None

    # ------------------------------------------------------------ the kit's own files
    @property
    def secret_file(self) -> Path:
        """The course secret that seeds per-student checks (never committed or released)."""
        return self.root / ".autograder-secret"

    def reports_dir(self, assignment: str) -> Path:
        """What ``autograder grade`` writes for the instructor (kept out of nbgrader's folders,
        whose files nbgrader's feedback commands copy around)."""
        return self.root / "grading_reports" / assignment

    def feedback_page(self, assignment: str, student: str) -> Path:
        return self.reports_dir(assignment) / "feedback" / f"{student}.html"

    def result_file(self, assignment: str, student: str) -> Path:
        """What grading found for a student, check by check: what the class reports are made of."""
        return self.reports_dir(assignment) / "results" / f"{student}.json"

    def stamp_file(self, assignment: str, student: str) -> Path:
        """What was graded for a student, with which checks, and the points recorded."""
        return self.reports_dir(assignment) / "stamps" / f"{student}.json"

    def source_data_dir(self) -> Path:
        """Fixed data files that assignments release (the course's own, else the kit's)."""
        own = self.root / "source_data"
        return own if own.is_dir() else KIT_ROOT / "source_data"

    # ------------------------------------------------------------ assignments
    def grading_dirs(self) -> list[Path]:
        """Where assignments' grading folders are looked for: the course's, then the kit's."""
        return list(dict.fromkeys([self.root / GRADING_FOLDER, KIT_ROOT / GRADING_FOLDER]))

    def assignments(self) -> list:
        """Every assignment this course can grade: a grading folder with a manifest (the
        course's own first, then the kit's), in course order (``position``, then name)."""
        from autograder.model.assignment import MANIFEST, Assignment

        folders: dict[str, Path] = {}
        for grading in self.grading_dirs():
            for manifest in sorted(grading.glob(f"*/{MANIFEST}")):
                folders.setdefault(manifest.parent.name, manifest.parent)
        found = [Assignment.load(folder) for folder in folders.values()]
        return sorted(found, key=lambda a: (a.position, a.name))

    def assignment(self, name: str):
        """The assignment ``name`` of this course.

        Raises:
            KitError: the course has no such assignment (the message lists those it has).
        """
        found = [a for a in self.assignments() if a.name == name]
        if not found:
            known = ", ".join(a.name for a in self.assignments()) or "none"
            raise KitError(f"unknown assignment {name!r}: the course has {known}", "use one of those names")
        return found[0]
