"""Per-student checks: parameters and held-out inputs drawn from the course secret and student id.

One student's hard-coded answer does not fit another's checks, and the same student always
gets the same checks, so regrading is reproducible. The secret lives in ``.autograder-secret``
at the course root (git-ignored, never released; ``autograder secret`` makes one) or in the
``AUTOGRADER_SECRET`` environment variable. Without either, a public default is used.
"""

import contextlib
import hashlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SECRET_FILE = ".autograder-secret"
PUBLIC_SECRET = "public"
DEFAULT_STUDENT = "self-check"


@dataclass(frozen=True)
class Identity:
    """Who is graded, under which course secret: the seed of every drawn check."""

    secret: str = PUBLIC_SECRET
    student: str = DEFAULT_STUDENT


_current = Identity()


def read_secret(course_root: Path) -> str:
    """Return the course secret: ``AUTOGRADER_SECRET``, else the secret file, else the default."""
    if os.environ.get("AUTOGRADER_SECRET"):
        return os.environ["AUTOGRADER_SECRET"]
    path = Path(course_root) / SECRET_FILE
    return path.read_text().strip() if path.is_file() else PUBLIC_SECRET


def create_secret(course_root: Path) -> Path:
    """Write a new random course secret unless one exists; return its path."""
    path = Path(course_root) / SECRET_FILE
    if not path.exists():
        path.write_text(secrets.token_hex(16) + "\n")
        path.chmod(0o600)
    return path


def identity_from_cwd(cwd: Path | None = None) -> Identity:
    """Work out the identity inside ``nbgrader autograde``: it runs in autograded/<student>/<a>/."""
    cwd = Path(cwd or Path.cwd()).resolve()
    if cwd.parent.parent.name == "autograded":
        return Identity(read_secret(cwd.parents[2]), cwd.parent.name)
    return Identity(read_secret(cwd), os.environ.get("AUTOGRADER_STUDENT", DEFAULT_STUDENT))


@contextlib.contextmanager
def graded_as(identity: Identity) -> Iterator[Identity]:
    """Draw every check parameter for ``identity`` while the block runs."""
    global _current
    previous, _current = _current, identity
    try:
        yield identity
    finally:
        _current = previous


def rng(*key: object) -> np.random.Generator:
    """Return a generator seeded by the current identity and ``key`` (the check's own name)."""
    text = "|".join([_current.secret, _current.student, *map(str, key)])
    return np.random.default_rng(int.from_bytes(hashlib.sha256(text.encode()).digest()[:8]))


def away_from(gen: np.random.Generator, low: float, high: float, avoid: float, gap: float) -> float:
    """Draw a value in [low, high) at least ``gap`` from ``avoid``, rounded to 2 decimals."""
    while True:
        value = round(float(gen.uniform(low, high)), 2)
        if abs(value - avoid) >= gap:
            return value
