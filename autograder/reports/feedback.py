"""Feedback a student can read: each check's result and hint, no check code, no hidden values."""

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autograder.engine.result import SubmissionResult

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem} h2{font-size:1.15rem;margin-top:2rem} table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
.pass{color:#1a7f37;font-weight:600} .fail{color:#cf222e;font-weight:600} .hint{color:#555}
.problem{background:#fff4e5;padding:.5rem .75rem;border-left:4px solid #f0ad4e}
"""


def render(result: "SubmissionResult") -> str:
    """Return the student's feedback page (every student-made text escaped)."""
    e = html.escape
    title = f"{e(result.assignment)}: {e(result.student)}"
    parts = [
        f"<!doctype html><meta charset='utf-8'><title>{title}</title>",
        f"<style>{_STYLE}</style><h1>{e(result.assignment)}: feedback for {e(result.student)}</h1>",
        f"<p><strong>Total: {result.total:g} / {result.max_total:g} points</strong></p>",
    ]
    for r in result.exercises:
        parts.append(f"<h2>{e(r.exercise)}: {r.points:g} / {r.max_points:g} points</h2>")
        if r.problem:
            parts.append(f"<p class='problem'>Not graded: {e(r.problem)}</p>")
            continue
        rows = "".join(
            f"<tr><td class='{'pass' if c.passed else 'fail'}'>{'PASS' if c.passed else 'FAIL'}</td>"
            f"<td>{e(c.description)}"
            + ("" if c.passed else f"<div class='hint'>hint: {e(c.hint)}</div>")
            + "</td></tr>"
            for c in r.checks
        )
        parts.append(f"<table><tr><th>result</th><th>check</th></tr>{rows}</table>")
    return "\n".join(parts) + "\n"
