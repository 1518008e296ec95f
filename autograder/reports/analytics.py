"""What the class got wrong: per exercise and per check the pass rate, per misconception the
students who showed it, counted from the students' records (``reports.records``)."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from autograder.model.assignment import Assignment
from autograder.reports.records import Record
from autograder.reports.table import Scores

#: How many misconceptions the summary opens with.
TOP = 3


@dataclass
class Misconception:
    """One cause and the students whose feedback named it."""

    id: str
    exercise: str
    label: str
    students: list[str] = field(default_factory=list)


@dataclass
class CheckRate:
    """How many of the students who attempted an exercise passed one of its checks."""

    exercise: str
    check: str
    description: str
    passed: int = 0
    checked: int = 0


@dataclass
class ExerciseRow:
    """An exercise across the class."""

    name: str
    points: float
    full_marks: int = 0
    mean: float = 0.0
    not_attempted: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)  # attempted, lost points
    unexplained: list[str] = field(default_factory=list)  # lost points, no known cause named
    not_graded: list[str] = field(default_factory=list)  # the notebook could not be run


@dataclass
class ClassAnalytics:
    """The class at a glance, computed once from scores and records; every report reads it."""

    assignment: Assignment
    graded: list[str]  # every student with a score
    exercises: list[ExerciseRow]
    checks: list[CheckRate]
    misconceptions: list[Misconception]  # most frequent first, none shown by nobody
    grader_failures: dict[str, str]
    flagged: dict[str, str]
    unrecorded: list[str]  # scored, but no record says what their checks found

    @property
    def students(self) -> int:
        return len(self.graded)

    @property
    def top(self) -> list[Misconception]:
        return self.misconceptions[:TOP]

    def share(self, m: Misconception) -> float:
        return len(m.students) / max(self.students, 1)

    def to_dict(self) -> dict:
        """Plain data, for JSON: an LMS or a notebook reads the same figures as the page."""
        return {
            "assignment": self.assignment.name,
            "students": self.students,
            "graded": self.graded,
            "unrecorded": self.unrecorded,
            "exercises": [vars(e) for e in self.exercises],
            "checks": [vars(c) for c in self.checks],
            "misconceptions": [{**vars(m), "share": round(self.share(m), 4)} for m in self.misconceptions],
            "grader_failures": self.grader_failures,
            "flagged": self.flagged,
        }


def analyse(assignment: Assignment, scores: Scores, records: dict[str, Record]) -> ClassAnalytics:
    """Count, for the students in ``scores``, what their records say."""
    graded = {s: records[s].result for s in scores if s in records and records[s].result is not None}
    rows = [_exercise_row(e.name, e.points, scores, graded) for e in assignment.exercises]
    causes = {c.id: Misconception(c.id, c.exercise, c.label) for c in assignment.causes.causes}
    rates: dict[tuple[str, str], CheckRate] = {}
    for student, result in graded.items():
        for e in result.exercises:
            for id in e.cause_ids:
                if id in causes:
                    causes[id].students.append(student)
            if e.problem or not e.attempted:
                continue
            for c in e.checks:
                rate = rates.setdefault((e.exercise, c.name), CheckRate(e.exercise, c.name, c.description))
                rate.checked += 1
                rate.passed += c.passed
    order = {name: i for i, name in enumerate(assignment.exercise_names)}
    shown = sorted((m for m in causes.values() if m.students), key=lambda m: (-len(m.students), m.id))
    return ClassAnalytics(
        assignment,
        sorted(scores),
        rows,
        sorted(rates.values(), key=lambda r: order.get(r.exercise, len(order))),
        shown,
        {s: r.grader_failure for s, r in records.items() if r.grader_failure},
        {s: r.result.flag for s, r in records.items() if r.result is not None and r.result.flag},
        sorted(set(scores) - set(graded)),
    )


def _exercise_row(name: str, points: float, scores: Scores, graded: dict) -> ExerciseRow:
    row = ExerciseRow(name, points)
    row.full_marks = sum(s[name] == points for s in scores.values())
    row.mean = round(sum(s[name] for s in scores.values()) / max(len(scores), 1), 2)
    for student, result in graded.items():
        e = next((x for x in result.exercises if x.exercise == name), None)
        if e is None:
            continue
        if e.problem:
            row.not_graded.append(student)
        elif not e.attempted:
            row.not_attempted.append(student)
        elif e.points < e.max_points:
            row.wrong.append(student)
            if not e.cause_ids:
                row.unexplained.append(student)
    return row


def write_csv(analytics: ClassAnalytics, path: Path) -> Path:
    """One row per misconception shown: id, exercise, label, count, share, the students."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["cause_id", "exercise", "misconception", "students", "share", "student_ids"])
        for m in analytics.misconceptions:
            share = f"{analytics.share(m):.4f}"
            writer.writerow([m.id, m.exercise, m.label, len(m.students), share, " ".join(m.students)])
    return path


def bar_chart(analytics: ClassAnalytics, path: Path) -> Path:
    """Draw the misconceptions as horizontal bars, the most frequent on top (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    shown = analytics.misconceptions[::-1]
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.38 * max(len(shown), 1)))
    labels = [_short(f"{m.exercise}: {m.label}") for m in shown]
    counts = [len(m.students) for m in shown]
    bars = ax.barh(range(len(shown)), counts, color="tab:red")
    ax.bar_label(bars, [f"{c} ({c / max(analytics.students, 1):.0%})" for c in counts], padding=3)
    ax.set_yticks(range(len(shown)), labels)
    ax.set_xlim(0, max(counts, default=1) * 1.25 + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(xlabel=f"students (of {analytics.students})", title="Misconceptions in the class")
    if not shown:
        ax.text(0.5, 0.5, "no known misconception was shown", ha="center", transform=ax.transAxes)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _short(text: str, most: int = 70) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def in_words(analytics: ClassAnalytics) -> list[str]:
    """The most frequent misconceptions, one sentence each."""
    if not analytics.misconceptions:
        return ["No known misconception was shown by anyone in the class."]
    lines = [f"The {len(analytics.top)} most frequent misconceptions:"]
    for i, m in enumerate(analytics.top, 1):
        n = len(m.students)
        who = "student" if n == 1 else "students"
        lines.append(f"{i}. {m.exercise}: {m.label}: {n} {who} ({analytics.share(m):.0%}).")
    return lines
