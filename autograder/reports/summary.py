"""The class at a glance: per-exercise pass rates, a score histogram, the faults."""

from pathlib import Path

from autograder.course.assignment import Assignment
from autograder.reports.table import Scores


def pass_rates(scores: Scores, assignment: Assignment) -> dict[str, float]:
    """Share of students with full marks, per exercise."""
    n = max(len(scores), 1)
    return {e.name: sum(row[e.name] == e.points for row in scores.values()) / n for e in assignment.exercises}


def histogram(scores: Scores, most: float, path: Path) -> Path:
    """Draw the distribution of total scores to ``path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    totals = [sum(row.values()) for row in scores.values()]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(totals, bins=range(0, int(most) + 2), color="tab:blue", edgecolor="white", align="left")
    ax.set(xlabel=f"total points (of {most:g})", ylabel="students", title="Class scores")
    ax.set_xlim(-0.5, most + 0.5)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def write(
    scores: Scores,
    faults: dict[str, list[str]],
    assignment: Assignment,
    folder: Path,
    notes: list[str] = (),
    isolation: str = "",
    not_attempted: dict[str, list[str]] | None = None,
) -> Path:
    """Write ``summary.md`` and ``histogram.png`` into ``folder``; return the summary's path.
    ``notes`` are warnings that head the summary; ``isolation`` says how the code was sandboxed;
    ``not_attempted`` which exercises each student left as the release's stub."""
    folder.mkdir(parents=True, exist_ok=True)
    histogram(scores, assignment.max_points, folder / "histogram.png")
    rates = pass_rates(scores, assignment)
    lines = [
        "# Class summary",
        "",
        *(f"**WARNING: {note}**\n" for note in notes),
        f"{len(scores)} students graded." + (f" Isolation: {isolation}." if isolation else ""),
        "",
    ]
    untouched = [e for names in (not_attempted or {}).values() for e in names]
    lines += ["| exercise | full marks | mean score | not attempted |", "|---|---|---|---|"]
    for e in assignment.exercises:
        mean = sum(row[e.name] for row in scores.values()) / max(len(scores), 1)
        lines.append(
            f"| {e.name} | {rates[e.name]:.0%} | {mean:.2f} / {e.points:g} | {untouched.count(e.name)} |"
        )
    lines += ["", "![score histogram](histogram.png)", ""]
    if faults:
        lines += ["## What went wrong", ""]
        lines += [f"- **{s}**: {'; '.join(reasons)}" for s, reasons in sorted(faults.items())]
    path = folder / "summary.md"
    path.write_text("\n".join(lines) + "\n")
    return path
