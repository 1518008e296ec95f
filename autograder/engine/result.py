"""What grading a submission found: one result object, rendered for every reader.

Points are computed here, once, and every view (the self-check's text, the graded cell in the
autograded notebook, the feedback page, JSON, Gradescope's entries, the gradebook) reads them
from the same object. Every text in it that came from student code was cleaned at the
sandbox boundary (``autograder.text``) before it got here.
"""

import html
import json
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from autograder.engine.notebook import Node

if TYPE_CHECKING:
    from autograder.model.causes import Causes

#: What a check saw when the function is the release's untouched stub, and what to do.
NOT_WRITTEN = "NotImplementedError (not written yet)"
NOT_WRITTEN_FIX = "replace `raise NotImplementedError()` with your code"


@dataclass
class CheckResult:
    """The verdict of one hidden check."""

    name: str
    description: str
    weight: float
    passed: bool
    hint: str = ""
    error: str = ""  # what the student's function raised, when that failed the check
    cause: str = ""  # its likely cause and fix, where one is known
    causes: list[str] = field(default_factory=list)  # the ids of the misconceptions it names


@dataclass
class ExerciseResult:
    """The verdicts of one exercise's checks and the points they earn."""

    exercise: str
    max_points: float
    checks: list[CheckResult] = field(default_factory=list)
    problem: str = ""  # why the function could not be checked at all
    note: str = ""  # how it was graded where that is not plain (a helper it calls fails its checks)
    causes: list[str] = field(default_factory=list)  # the misconceptions its problem names

    @property
    def cause_ids(self) -> list[str]:
        """Every misconception its feedback names, once each, in order."""
        return list(dict.fromkeys([*self.causes, *(i for c in self.checks for i in c.causes)]))

    @property
    def points(self) -> float:
        """The exercise's points: its share of passed check weight, rounded as nbgrader shows it."""
        total = sum(c.weight for c in self.checks)
        earned = sum(c.weight for c in self.checks if c.passed)
        return round(self.max_points * earned / total, 2) if total and not self.problem else 0.0

    @property
    def failed(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]

    @property
    def attempted(self) -> bool:
        """False where every check found the release's stub untouched (it raised
        ``NotImplementedError`` with no message)."""
        return self.problem != "" or not self.checks or any(c.error != NOT_WRITTEN for c in self.checks)

    def share(self, check: CheckResult) -> float:
        """The points ``check`` is worth within the exercise (unrounded)."""
        total = sum(c.weight for c in self.checks)
        return self.max_points * check.weight / total if total else 0.0

    def rows(self) -> list[tuple[str, str, str]]:
        """(PASS or FAIL, what, hint): a row per check, except that checks which failed for the
        same cause share one row (one cause, one message): the function raised the same error,
        or their hints end naming the same misconception."""
        if not self.attempted:
            return [("FAIL", f"not attempted: {self.exercise} still raises {NOT_WRITTEN}", NOT_WRITTEN_FIX)]
        alike: dict[str, list[CheckResult]] = {}
        for c in self.failed:
            alike.setdefault(_same_cause(c), []).append(c)
        rows = []
        for c in self.checks:
            group = [] if c.passed else alike[_same_cause(c)]
            if len(group) < 2:
                rows.append(("PASS", c.description, "") if c.passed else ("FAIL", c.description, c.hint))
            elif c is group[0]:
                which = ", ".join(g.name.removeprefix("test_").replace("_", " ") for g in group)
                who = (
                    f"all {len(group)} checks"
                    if len(group) == len(self.checks)
                    else f"{len(group)} checks ({which})"
                )
                if c.error:
                    said = c.hint.removesuffix(f"; {c.cause}") if c.cause else c.hint
                    rows.append(("FAIL", f"{who} failed: {said}", c.cause))
                else:  # the first one's hint, with what it saw, names the cause for all
                    rows.append(("FAIL", f"{who} failed for one cause", c.hint))
        return rows

    def to_text(self) -> str:
        """A line per check (or per shared cause) and a hint for each failure: what the graded
        cell shows."""
        lines = [f"{self.exercise}: {self.points:g} / {self.max_points:g} points"]
        if self.problem:
            return "\n".join([*lines, f"  not graded: {self.problem}"])
        if self.note:
            lines.append(f"  note: {self.note}")
        for status, what, hint in self.rows():
            lines.append(f"  {status}  {what}")
            if hint:
                lines.append(f"        hint: {hint}")
        return "\n".join(lines)

    def notebook_outputs(self) -> list[Node]:
        """The graded cell's outputs: the report on stdout, then the points as its value,
        which nbgrader reads as partial credit."""
        return [
            Node(output_type="stream", name="stdout", text=self.to_text() + "\n"),
            Node(
                output_type="execute_result",
                data=Node({"text/plain": repr(self.points)}),
                metadata=Node(),
                execution_count=None,
            ),
        ]


@dataclass
class SubmissionResult:
    """Every exercise of one submission, graded."""

    assignment: str
    student: str
    exercises: list[ExerciseResult]
    flag: str = ""  # why the submission went to the instructor instead of being graded
    isolation: str = ""  # the sandbox the code ran in, and why that one ("" in-process)

    @property
    def points(self) -> dict[str, float]:
        return {e.exercise: e.points for e in self.exercises}

    @property
    def total(self) -> float:
        return round(sum(e.points for e in self.exercises), 2)

    @property
    def max_total(self) -> float:
        return sum(e.max_points for e in self.exercises)

    @property
    def passed(self) -> bool:
        return not self.flag and all(e.points == e.max_points for e in self.exercises)

    @property
    def problems(self) -> list[str]:
        """Why exercises could not be graded, one line per cause (the exercises it cost first)."""
        alike: dict[str, list[str]] = {}
        for e in self.exercises:
            if e.problem:
                alike.setdefault(e.problem, []).append(e.exercise)
        return [f"{', '.join(names)}: {problem}" for problem, names in alike.items()]

    @property
    def not_attempted(self) -> list[str]:
        """The exercises whose stub the student left untouched."""
        return [e.exercise for e in self.exercises if not e.attempted]

    def exercise(self, name: str) -> ExerciseResult:
        return next(e for e in self.exercises if e.exercise == name)

    def name_causes(self, causes: "Causes") -> "SubmissionResult":
        """Set the cause ids of each failed check, and of each exercise that could not be
        graded, from what its hint says (``Causes.identify``); a cause another one found in
        the same exercise implies is left out."""
        for e in self.exercises:
            e.causes = list(causes.identify(e.exercise, e.problem)) if e.problem else []
            for c in e.checks:
                c.causes = [] if c.passed else list(causes.identify(e.exercise, f"{c.hint}\n{c.cause}"))
            implied = causes.implied({*e.causes, *(i for c in e.checks for i in c.causes)})
            e.causes = [i for i in e.causes if i not in implied]
            for c in e.checks:
                c.causes = [i for i in c.causes if i not in implied]
        return self

    def to_text(self) -> str:
        """Each exercise's checks with hints, then a table of the exercises and the total."""
        if self.flag:
            return f"not graded, flagged for the instructor: {self.flag}"
        sections, first = [], {}
        for e in self.exercises:  # a cause that cost several exercises is told once
            if e.problem in first:
                sections.append(
                    f"{e.exercise}: 0 / {e.max_points:g} points\n  not graded: as {first[e.problem]}, above"
                )
                continue
            if e.problem:
                first[e.problem] = e.exercise
            sections.append(e.to_text())
        body = "\n\n".join(sections)
        return f"{body}\n\n{self._table()}\nTotal: {self.total:g} / {self.max_total:g} points"

    def _table(self) -> str:
        rows = [("exercise", "points", "failed checks")]
        for e in self.exercises:
            failed = "not graded" if e.problem else str(len(e.failed))
            failed = failed if e.attempted else "not attempted"
            rows.append((e.exercise, f"{e.points:g} / {e.max_points:g}", failed))
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        return "\n".join(f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c}".rstrip() for a, b, c in rows)

    def to_dict(self) -> dict:
        """Plain data, for JSON and for crossing process boundaries."""
        return {
            "assignment": self.assignment,
            "student": self.student,
            "flag": self.flag,
            "isolation": self.isolation,
            "total": self.total,
            "max_total": self.max_total,
            "exercises": [{**asdict(e), "points": e.points} for e in self.exercises],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "SubmissionResult":
        exercises = [
            ExerciseResult(
                e["exercise"],
                e["max_points"],
                [CheckResult(**c) for c in e["checks"]],
                e["problem"],
                e.get("note", ""),
                e.get("causes", []),
            )
            for e in data["exercises"]
        ]
        return cls(
            data["assignment"], data["student"], exercises, data.get("flag", ""), data.get("isolation", "")
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def to_html(self) -> str:
        """The student's feedback page: each check's result and hint (every text escaped), no
        check code, no hidden values."""
        e = html.escape
        title = f"{e(self.assignment)}: {e(self.student)}"
        parts = [
            f"<!doctype html><meta charset='utf-8'><title>{title}</title>",
            f"<style>{_STYLE}</style><h1>{e(self.assignment)}: feedback for {e(self.student)}</h1>",
            f"<p><strong>Total: {self.total:g} / {self.max_total:g} points</strong></p>",
        ]
        if self.isolation:
            parts.append(f"<p class='note'>Your code ran in the grader's sandbox: {e(self.isolation)}.</p>")
        for r in self.exercises:
            parts.append(f"<h2>{e(r.exercise)}: {r.points:g} / {r.max_points:g} points</h2>")
            if r.problem:
                parts.append(f"<p class='problem'>Not graded: {e(r.problem)}</p>")
                continue
            if r.note:
                parts.append(f"<p class='problem'>Note: {e(r.note)}</p>")
            rows = "".join(
                f"<tr><td class='{status.lower()}'>{status}</td><td>{e(what)}"
                + (f"<div class='hint'>hint: {e(hint)}</div>" if hint else "")
                + "</td></tr>"
                for status, what, hint in r.rows()
            )
            parts.append(f"<table><tr><th>result</th><th>check</th></tr>{rows}</table>")
        return "\n".join(parts) + "\n"

    def gradescope_tests(self, visibility: str) -> list[dict]:
        """Gradescope's test entries: one per check with its share of the points."""
        tests = []
        for e in self.exercises:
            if e.problem or not e.checks:
                tests.append(_gradescope_entry(e.exercise, 0.0, e.max_points, False, e.problem, "visible"))
                continue
            for c in e.checks:
                share = e.share(c)
                output = "" if c.passed else f"hint: {c.hint}"
                output = f"note: {e.note}\n{output}".strip() if e.note and c is e.checks[0] else output
                name = f"{e.exercise}: {c.description}"
                tests.append(
                    _gradescope_entry(name, share if c.passed else 0.0, share, c.passed, output, visibility)
                )
        return tests


#: The look every page of the kit shares (feedback, class report, similar solutions).
PAGE_STYLE = """
body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem} h2{font-size:1.15rem;margin-top:2rem} table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
.problem,.note,.lead{background:#fff4e5;padding:.5rem .75rem;border-left:4px solid #f0ad4e}
"""
_STYLE = (
    PAGE_STYLE
    + """
.pass{color:#1a7f37;font-weight:600} .fail{color:#cf222e;font-weight:600} .hint{color:#555}
"""
)


def _kind(error: str) -> str:
    """An error with its numbers left out: the same mistake met with other sizes is one cause."""
    return re.sub(r"\d+", "#", error)


#: A hint ends with the misconception it names, after its last ": " or "; " (what comes before
#: says what the check saw); an ending this long or longer is taken as a cause of its own.
CAUSE_CHARS = 20


def _same_cause(check: CheckResult) -> str:
    """What failed checks share when they failed for one cause (else something of their own)."""
    if check.error:
        return "error: " + _kind(check.error)
    ending = re.split(r": |; ", check.hint)[-1]
    return "hint: " + _kind(ending) if len(ending) >= CAUSE_CHARS else "check: " + check.name


def _gradescope_entry(
    name: str, score: float, most: float, passed: bool, output: str, visibility: str
) -> dict:
    return {
        "name": name,
        "score": score,
        "max_score": most,
        "status": "passed" if passed else "failed",
        "output": output,
        "visibility": visibility,
    }
