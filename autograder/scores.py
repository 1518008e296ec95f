"""Scores per student and exercise, read from nbgrader's gradebook, as tables and CSV."""

import csv
from pathlib import Path

from nbgrader.api import Gradebook

from autograder.exercises import ASSIGNMENT, EXERCISES, POINTS


def exercise_of(grade_id: str) -> str | None:
    """Return the exercise a graded cell belongs to (its grade_id names the function)."""
    for name in sorted(EXERCISES, key=len, reverse=True):
        if name in grade_id:
            return name
    return None


def gradebook_scores(root: Path, assignment: str = ASSIGNMENT) -> dict[str, dict[str, float]]:
    """Return ``{student: {exercise: score}}`` from the gradebook of course ``root``."""
    scores: dict[str, dict[str, float]] = {}
    with Gradebook(f"sqlite:///{Path(root) / 'gradebook.db'}") as gb:
        for submission in gb.assignment_submissions(assignment):
            row = dict.fromkeys(EXERCISES, 0.0)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    name = exercise_of(grade.name)
                    if name is not None:
                        row[name] += float(grade.score or 0.0)
            scores[submission.student.id] = {k: round(v, 2) for k, v in row.items()}
    return dict(sorted(scores.items()))


def render_table(scores: dict[str, dict[str, float]]) -> str:
    """Return a fixed-width table: one row per student, one column per exercise, the total."""
    headers = ["student", *EXERCISES, "total"]
    rows = [
        [
            student,
            *(f"{row[e]:g}/{POINTS[e]}" for e in EXERCISES),
            f"{sum(row.values()):g}/{sum(POINTS.values())}",
        ]
        for student, row in scores.items()
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*headers), fmt.format(*("-" * w for w in widths))] + [fmt.format(*r) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def write_exercise_csv(scores: dict[str, dict[str, float]], path: Path) -> Path:
    """Write ``student_id, exercise, score, max_score`` rows to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student_id", "exercise", "score", "max_score"])
        for student, row in scores.items():
            for exercise in EXERCISES:
                writer.writerow([student, exercise, f"{row[exercise]:g}", POINTS[exercise]])
    return path
