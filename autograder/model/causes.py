"""An assignment's misconceptions as data: each cause a stable id, the words its hint says
and a label; every failing check is named by the causes its hint says, so the same mistake is
counted as one across students, runs and grading paths.

``causes.toml`` beside the manifest::

    [step_uphill]                     # the id: what the class reports count
    exercise = "step"                 # the exercise whose checks name it
    label = "the step goes up the gradient"   # what the reports call it
    says = "goes uphill"              # a regular expression a failing check's hint matches
    implies = ["..."]                 # causes that follow from this one: not counted beside it

The catalog's mistakes are the causes' evidence: each is graded and must be named by exactly
the causes it declares (``CAUSES``, its own name by default), and every cause is some
mistake's (``tests/test_catalog.py``).
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import KitError

CAUSES_FILE = "causes.toml"


@dataclass(frozen=True)
class Cause:
    """One misconception the checks recognise."""

    id: str
    exercise: str
    label: str
    says: re.Pattern
    implies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Causes:
    """The misconceptions of one assignment."""

    causes: tuple[Cause, ...] = ()

    @classmethod
    def load(cls, folder: Path) -> "Causes":
        """Read ``causes.toml`` in ``folder`` (none there: no causes).

        Raises:
            KitError: the file is malformed or a pattern is not a regular expression.
        """
        path = Path(folder) / CAUSES_FILE
        if not path.is_file():
            return cls()
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
            found = tuple(
                Cause(
                    id,
                    str(c["exercise"]),
                    str(c["label"]),
                    re.compile(str(c["says"])),
                    tuple(str(i) for i in c.get("implies", ())),
                )
                for id, c in table.items()
            )
        except (OSError, ValueError, KeyError, TypeError, re.error) as exc:
            raise KitError(
                f"{path} is not a readable table of causes ({type(exc).__name__}: {exc})",
                "write it as described in autograder/model/causes.py",
            ) from None
        return cls(found)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.causes)

    def cause(self, id: str) -> Cause:
        return next(c for c in self.causes if c.id == id)

    def identify(self, exercise: str, text: str) -> tuple[str, ...]:
        """The causes of ``exercise`` that ``text`` (a failed check's hint) says; a cause whose
        words lie inside another's found there is left out (the longer one is more precise)."""
        spans = {}
        for c in self.causes:
            if c.exercise == exercise and (m := c.says.search(text)):
                spans[c.id] = m.span()
        return tuple(
            id
            for id, (a, b) in spans.items()
            if not any(o != id and x <= a and b <= y and (x, y) != (a, b) for o, (x, y) in spans.items())
        )

    def implied(self, ids: set[str]) -> set[str]:
        """Those of ``ids`` that another of them implies (a consequence, not a cause of its own)."""
        return {i for c in self.causes if c.id in ids for i in c.implies}
