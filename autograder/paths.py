"""Where the kit's files live, relative to the package (the repository is the course root)."""

from pathlib import Path

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
