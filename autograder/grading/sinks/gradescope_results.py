"""Gradescope's ``results/results.json``: one entry per check, the score, and notices where the
submission could not be graded (which say whose fault that was)."""

import json
from dataclasses import dataclass
from pathlib import Path

from autograder.grading.sinks import Graded
from autograder.sandbox.policy import Choice


@dataclass(frozen=True)
class GradescopeResults:
    root: Path  # Gradescope's /autograder
    visibility: str
    isolation: Choice

    def write(self, graded: Graded) -> None:
        result = graded.result
        tests = result.gradescope_tests(self.visibility)
        if result.flag:
            tests = [notice("not graded", f"flagged for the instructor: {result.flag}")]
        self.write_tests(tests, result.total)

    def write_tests(self, tests: list[dict], score: float) -> None:
        """Write ``tests`` and ``score`` as the submission's results."""
        results = {
            # The kit's score (each exercise rounded to 2 decimals, as nbgrader records it); the
            # unrounded per-check shares may add up to a few thousandths less or more.
            "score": score,
            "tests": tests,
            "visibility": "visible",
            "stdout_visibility": "hidden",
            "output": f"graded in the kit's sandbox: {self.isolation}",
        }
        write_results(self.root, results)


def write_results(root: Path, results: dict) -> None:
    (root / "results").mkdir(parents=True, exist_ok=True)
    (root / "results" / "results.json").write_text(json.dumps(results, indent=2))


def not_graded(why: str) -> dict:
    """What the student sees where the grader failed: no score (not a zero), and why."""
    text = f"NOT GRADED (the autograder's failure, not yours): {why}. Your instructor must fix it."
    return {"tests": [notice("not graded", text)], "output": text, "visibility": "visible"}


def notice(name: str, text: str) -> dict:
    """A visible entry worth nothing that tells the student ``text``."""
    return {
        "name": name,
        "score": 0,
        "max_score": 0,
        "status": "failed",
        "output": text,
        "visibility": "visible",
    }
