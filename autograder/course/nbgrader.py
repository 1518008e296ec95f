"""nbgrader's own commands, run in a course folder with the kit's quiet environment."""

import os
import subprocess
import sys
from pathlib import Path

from autograder.errors import KitError
from autograder.quiet import quiet_environment


def run_nbgrader(args: list[str], root: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in course ``root``.

    Raises:
        KitError: nbgrader failed (the message ends with its last log lines).
    """
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
