"""The class's scores per student and exercise, as a fixed-width table and as CSV."""

import csv
from pathlib import Path

from autograder.model.assignment import Assignment

Scores = dict[str, dict[str, float]]


def render_table(scores: Scores, assignment: Assignment) -> str:
    """Return a fixed-width table: one row per student, one column per exercise, the total."""
    names = assignment.exercise_names
    headers = ["student", *names, "total"]
    rows = [
        [
            student,
            *(f"{row[e]:g}/{assignment.points[e]:g}" for e in names),
            f"{round(sum(row.values()), 2):g}/{assignment.max_points:g}",
        ]
        for student, row in scores.items()
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*headers), fmt.format(*("-" * w for w in widths))] + [fmt.format(*r) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def write_exercise_csv(scores: Scores, assignment: Assignment, path: Path) -> Path:
    """Write ``student_id, exercise, score, max_score`` rows to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student_id", "exercise", "score", "max_score"])
        for student, row in scores.items():
            for exercise in assignment.exercise_names:
                writer.writerow([student, exercise, f"{row[exercise]:g}", f"{assignment.points[exercise]:g}"])
    return path
