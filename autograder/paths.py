"""Where the kit's files live, relative to the package (the repository is the course root)."""

from pathlib import Path

from autograder.errors import KitError
from autograder.exercises import ASSIGNMENT

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
CHECKS_DIR = PACKAGE_DIR / "checks"
SOURCE_DATA_DIR = REPO_ROOT / "source_data"
SAMPLES_DIR = PACKAGE_DIR / "samples"


def source_notebook(root: Path = REPO_ROOT, assignment: str = ASSIGNMENT) -> Path:
    """Return the path of the instructor's source notebook under course ``root``."""
    return root / "solutions" / assignment / f"{assignment}.ipynb"


def release_notebook(root: Path = REPO_ROOT, assignment: str = ASSIGNMENT) -> Path:
    """Return the path of the released student notebook under course ``root``."""
    return root / "assignments" / assignment / f"{assignment}.ipynb"


def course_root(start: Path | None = None) -> Path:
    """Return the nbgrader course folder: ``start`` (default: the current folder) or the
    nearest folder above it that holds ``nbgrader_config.py``.

    Raises:
        KitError: no folder on the way up is a course.
    """
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "nbgrader_config.py").is_file():
            return folder
    raise KitError(
        f"{start} is not in an nbgrader course (no nbgrader_config.py in it or above it)",
        f"cd to the course root first: the kit's repository ({REPO_ROOT}) or your copy of it",
    )
