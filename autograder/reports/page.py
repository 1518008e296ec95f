"""The class report as one HTML file: no server, no network, pictures inside (for the instructor:
it names students)."""

import base64
import html
from pathlib import Path

from autograder.engine.result import PAGE_STYLE
from autograder.reports.analytics import ClassAnalytics, in_words

_STYLE = (
    PAGE_STYLE
    + """
td.n{text-align:right;font-variant-numeric:tabular-nums} .ids{color:#555;font-size:.9em} img{max-width:100%}
"""
)


def _image(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"<img alt='{html.escape(alt)}' src='data:image/png;base64,{data}'>"


def _table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(f"<td class='n'>{c}</td>" if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def render(analytics: ClassAnalytics, chart: Path, histogram: Path, notes: list[str] = ()) -> str:
    """The page: the top misconceptions in words, the chart, the exercises, the checks, the
    misconceptions with their students, the grader's failures, the histogram."""
    e, a = html.escape, analytics
    parts = [
        f"<!doctype html><meta charset='utf-8'><title>{e(a.assignment.name)}: class report</title>",
        f"<style>{_STYLE}</style><h1>{e(a.assignment.title)}: what the class got wrong</h1>",
        *(f"<p class='note'><strong>WARNING: {e(n)}</strong></p>" for n in notes),
        f"<p>{a.students} students graded. For the instructor: this page names students.</p>",
        "<ol>" + "".join(f"<li>{e(line.split('. ', 1)[1])}</li>" for line in in_words(a)[1:]) + "</ol>"
        if a.misconceptions
        else f"<p>{e(in_words(a)[0])}</p>",
        _image(chart, "bar chart of the misconceptions"),
        "<h2>Exercises</h2>",
        _table(
            [
                "exercise",
                "full marks",
                "mean",
                "not attempted",
                "attempted, wrong",
                "no known cause",
                "not graded",
            ],
            [
                [e(r.name), str(r.full_marks), f"{r.mean:g} / {r.points:g}", *map(_count, _lists(r))]
                for r in a.exercises
            ],
            {1, 2, 3, 4, 5, 6},
        ),
        "<h2>Misconceptions</h2>",
        _table(
            ["cause", "exercise", "misconception", "students", "share", "who"],
            [
                [
                    e(m.id),
                    e(m.exercise),
                    e(m.label),
                    str(len(m.students)),
                    f"{a.share(m):.0%}",
                    _ids(m.students),
                ]
                for m in a.misconceptions
            ],
            {3, 4},
        ),
        "<h2>Checks</h2>",
        _table(
            ["exercise", "check", "passed", "of the students who attempted it"],
            [
                [e(c.exercise), e(c.description), f"{c.passed / max(c.checked, 1):.0%}", str(c.checked)]
                for c in a.checks
            ],
            {2, 3},
        ),
    ]
    if a.grader_failures or a.flagged:
        parts += ["<h2>Not graded</h2>", "<p>Grader failures are the grader's, not the students'.</p>"]
        rows = [[e(s), "grader failure", e(why)] for s, why in sorted(a.grader_failures.items())]
        rows += [[e(s), "flagged for the instructor", e(why)] for s, why in sorted(a.flagged.items())]
        parts.append(_table(["student", "why", "detail"], rows))
    parts += ["<h2>Scores</h2>", _image(histogram, "histogram of the total scores")]
    return "\n".join(parts) + "\n"


def _ids(students: list[str]) -> str:
    return f"<span class='ids'>{html.escape(', '.join(students))}</span>"


def _lists(row) -> list[list[str]]:
    return [row.not_attempted, row.wrong, row.unexplained, row.not_graded]


def _count(students: list[str]) -> str:
    return str(len(students))
