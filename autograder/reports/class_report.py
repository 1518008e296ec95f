"""Every class report of an assignment, written from the scores and the students' records:
what ``autograder grade`` leaves after each run and ``autograder report`` writes on demand
(after ``nbgrader autograde``, say)."""

import json
from collections import Counter
from pathlib import Path

from autograder.course import gradebook
from autograder.course.layout import Course
from autograder.model.assignment import Assignment
from autograder.reports import analytics, page, records, summary
from autograder.reports.records import Record, atomic_text
from autograder.reports.table import Scores, write_exercise_csv

#: The files, by what they are, in the assignment's reports folder.
FILES = {
    "csv": "grades_by_exercise.csv",
    "summary": "summary.md",
    "histogram": "histogram.png",
    "misconceptions": "misconceptions.csv",
    "chart": "misconceptions.png",
    "json": "analytics.json",
    "page": "report.html",
}


#: Said wherever grades were made without a sandbox.
UNSANDBOXED = "graded WITHOUT a sandbox (--sandbox none): student code could read and change the course files"


def isolation_of(kept: dict[str, Record], students: list[str]) -> tuple[str, list[str]]:
    """How the students' code was isolated, as their records say, and the warnings that heads."""
    seen = Counter(kept[s].result.isolation for s in students if s in kept and kept[s].result)
    said = "; ".join(iso if len(seen) == 1 else f"{iso} ({n} students)" for iso, n in sorted(seen.items()))
    return said, [UNSANDBOXED] if any(iso.startswith("none") for iso in seen) else []


def graded_scores(scores: Scores, records: dict[str, Record]) -> Scores:
    """The scores of the students whose last grading graded them (not a grader failure, not
    flagged for the instructor)."""
    left_out = {s for s, r in records.items() if r.grader_failure or (r.result is not None and r.result.flag)}
    return {s: row for s, row in scores.items() if s not in left_out}


def write(course: Course, assignment: Assignment) -> dict[str, Path]:
    """Write every report of ``assignment`` from the gradebook's scores and the students'
    records; return their paths by ``FILES`` key.

    Raises:
        KitError: the gradebook does not know the assignment.
    """
    gradebook.require_assignment(course, assignment.name)
    kept = records.load(course, assignment.name)
    scores = graded_scores(gradebook.scores(course, assignment), kept)
    folder = course.reports_dir(assignment.name)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {key: folder / name for key, name in FILES.items()}
    found = analytics.analyse(assignment, scores, kept)
    sandbox, notes = isolation_of(kept, found.graded)
    write_exercise_csv(scores, assignment, paths["csv"])
    summary.histogram(scores, assignment.max_points, paths["histogram"])
    analytics.bar_chart(found, paths["chart"])
    analytics.write_csv(found, paths["misconceptions"])
    atomic_text(paths["json"], json.dumps(found.to_dict(), indent=1) + "\n")
    atomic_text(paths["summary"], summary.render(found, kept, notes, sandbox))
    atomic_text(paths["page"], page.render(found, paths["chart"], paths["histogram"], notes))
    return paths
