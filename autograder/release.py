"""Make the student release from the source notebook: ``nbgrader generate_assignment``, by command."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from autograder.errors import KitError
from autograder.exercises import ASSIGNMENT
from autograder.paths import REPO_ROOT, SOURCE_DATA_DIR
from autograder.quiet import quiet_environment


def known_assignments(root: Path = REPO_ROOT) -> list[str]:
    """Return the assignments that have a source folder under ``root/solutions``."""
    return sorted(p.name for p in (root / "solutions").iterdir() if p.is_dir())


def require_assignment(name: str, root: Path = REPO_ROOT) -> None:
    """Raise ``KitError`` unless ``name`` is an assignment of this course."""
    known = known_assignments(root) if (root / "solutions").is_dir() else []
    if name not in known:
        raise KitError(
            f"unknown assignment {name!r}: the course has {', '.join(known) or 'none'}",
            f"use one of those names (this kit's assignment is {ASSIGNMENT!r})",
        )


def sync_source_data(root: Path = REPO_ROOT, assignment: str = ASSIGNMENT) -> list[Path]:
    """Copy the kit's fixed data next to the source notebook, so nbgrader releases it."""
    copied = []
    for src in sorted(SOURCE_DATA_DIR.glob("*.json")):
        dest = root / "solutions" / assignment / src.name
        if not dest.exists() or dest.read_bytes() != src.read_bytes():
            shutil.copyfile(src, dest)
        copied.append(dest)
    return copied


def run_nbgrader(args: list[str], root: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run an nbgrader command in course ``root``; raise ``KitError`` with its log if it fails."""
    full_env = {**os.environ, **quiet_environment(), **(env or {})}
    # nbgrader runs the `alembic` script of its own environment: put that environment first.
    full_env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), full_env.get("PATH", "")])
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=root,
        env=full_env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise KitError(f"nbgrader {args[0]} failed in {root}:\n{tail}", "read nbgrader's log above")
    return proc


def release(assignment: str = ASSIGNMENT, root: Path = REPO_ROOT) -> Path:
    """Regenerate ``assignments/<assignment>/`` from ``solutions/<assignment>/``.

    Returns:
        The folder of the released assignment.
    Raises:
        KitError: the assignment is unknown or nbgrader failed.
    """
    require_assignment(assignment, root)
    sync_source_data(root, assignment)
    run_nbgrader(["generate_assignment", assignment, "--force"], root)
    return root / "assignments" / assignment
