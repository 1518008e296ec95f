"""Errors the kit reports to people: what is wrong, and what to do about it."""


class KitError(Exception):
    """A problem with the user's input that a command reports in one clear message."""

    def __init__(self, problem: str, fix: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.problem}\n  what to do: {self.fix}" if self.fix else self.problem


class GraderError(RuntimeError):
    """The grader itself failed: the student is not to blame and must not get a silent zero."""
