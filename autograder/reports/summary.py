"""The class at a glance in Markdown: the top misconceptions, per-exercise pass rates, a score
histogram, the notebooks that could not be graded."""

from pathlib import Path

from autograder.reports.analytics import ClassAnalytics, in_words
from autograder.reports.records import Record
from autograder.reports.table import Scores


def histogram(scores: Scores, most: float, path: Path) -> Path:
    """Draw the distribution of total scores to ``path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    totals = [sum(row.values()) for row in scores.values()]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(totals, bins=range(0, int(most) + 2), color="tab:blue", edgecolor="white", align="left")
    ax.set(xlabel=f"total points (of {most:g})", ylabel="students", title="Class scores")
    ax.set_xlim(-0.5, most + 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def render(
    analytics: ClassAnalytics, records: dict[str, Record], notes: list[str] = (), isolation: str = ""
) -> str:
    """``summary.md``: warnings, the three most frequent misconceptions in words, a row per
    exercise, the histogram, and the notebooks that could not be graded, with why."""
    a = analytics
    lines = [
        "# Class summary",
        "",
        *(f"**WARNING: {note}**\n" for note in notes),
        *in_words(a),
        "",
        f"{a.students} students graded." + (f" Isolation: {isolation}." if isolation else ""),
        "",
        "| exercise | full marks | mean score | not attempted |",
        "|---|---|---|---|",
    ]
    for r in a.exercises:
        share = r.full_marks / max(a.students, 1)
        lines.append(f"| {r.name} | {share:.0%} | {r.mean:.2f} / {r.points:g} | {len(r.not_attempted)} |")
    lines += ["", "![score histogram](histogram.png)", ""]
    faults = {
        s: r.result.problems
        for s, r in sorted(records.items())
        if r.result is not None and r.result.problems and s in a.graded
    }
    if faults:
        lines += ["## What went wrong", ""]
        lines += [f"- **{s}**: {'; '.join(reasons)}" for s, reasons in faults.items()]
    lines += ["", "The whole report, with each check and the students behind each figure: report.html."]
    return "\n".join(lines) + "\n"
