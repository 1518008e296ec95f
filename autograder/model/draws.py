"""Per-student checks: parameters and held-out inputs drawn from the course secret and student id.

One student's hard-coded answer does not fit another's checks, and the same student always
gets the same checks, so regrading is reproducible. Checks receive a ``Draws`` (the ``draws``
fixture) and draw everything from it; nothing here reads files, the environment or globals.
"""

import hashlib
from dataclasses import dataclass

import numpy as np

#: The secret of a learner who has none: the draws are then public.
PUBLIC_SECRET = "public"
#: The student id ``autograder check`` draws for unless told another.
DEFAULT_STUDENT = "self-check"


@dataclass(frozen=True)
class Identity:
    """Who is graded, under which course secret: the seed of every drawn check."""

    secret: str = PUBLIC_SECRET
    student: str = DEFAULT_STUDENT


@dataclass(frozen=True)
class Draws:
    """The random choices of one student's checks."""

    identity: Identity = Identity()

    def rng(self, *key: object) -> np.random.Generator:
        """Return a generator seeded by the identity and ``key`` (the check's own name)."""
        text = "|".join([self.identity.secret, self.identity.student, *map(str, key)])
        return np.random.default_rng(int.from_bytes(hashlib.sha256(text.encode()).digest()[:8]))


def away_from(gen: np.random.Generator, low: float, high: float, avoid: float, gap: float) -> float:
    """Draw a value in [low, high) at least ``gap`` from ``avoid``, rounded to 2 decimals."""
    while True:
        value = round(float(gen.uniform(low, high)), 2)
        if abs(value - avoid) >= gap:
            return value
