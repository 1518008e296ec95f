"""The course secret that seeds per-student checks: one random file per course, never released."""

import secrets
from pathlib import Path

from autograder.model.draws import PUBLIC_SECRET


def read_secret(path: Path) -> str:
    """Return the secret stored at ``path``, or the public one when there is no such file."""
    path = Path(path)
    return path.read_text().strip() if path.is_file() else PUBLIC_SECRET


def create_secret(path: Path) -> Path:
    """Write a new random secret to ``path`` unless one exists (owner-only); return the path."""
    path = Path(path)
    if not path.exists():
        path.write_text(secrets.token_hex(16) + "\n")
        path.chmod(0o600)
    return path
