"""``autograder grade``'s report: the class table, what went wrong, where the files are."""

from autograder.grading.batch import Outcome
from autograder.reports.class_report import UNSANDBOXED
from autograder.reports.table import render_table
from autograder.sandbox.policy import Isolation


def render_outcome(outcome: Outcome) -> str:
    """The end-of-run report: the class table, what went wrong, where the files are."""
    lines = [render_table(outcome.scores, outcome.assignment), ""]
    lines.append(
        f"graded {len(outcome.graded)}, unchanged and skipped {len(outcome.skipped)}, "
        + (f"not selected {len(outcome.not_selected)}, " if outcome.not_selected else "")
        + f"flagged {len(outcome.flagged)}, grader failures {len(outcome.grader_failures)}"
        f"  (isolation: {outcome.isolation})"
    )
    if outcome.isolation.isolation == Isolation.NONE:
        lines.append(f"WARNING: {UNSANDBOXED}")
    for student, reasons in sorted(outcome.faults.items()):
        lines.append(f"  {student}: {'; '.join(reasons)}")
    for student, reason in sorted(outcome.flagged.items()):
        lines.append(f"  {student}: FLAGGED, not graded: {reason}")
    for student, reason in sorted(outcome.mismatches.items()):
        lines.append(f"  {student}: GRADEBOOK CHANGED: {reason}")
    for student, reason in sorted(outcome.grader_failures.items()):
        lines.append(f"  {student}: NOT GRADED, grader failure (not the student's): {reason}")
    lines += [f"  skipped: {line}" for line in outcome.refused]
    lines += [
        "",
        f"grades per exercise:  {outcome.paths['csv']}",
        f"class summary:        {outcome.paths['summary']} (histogram: {outcome.paths['histogram']})",
        f"class report:         {outcome.paths['page']} (misconceptions: {outcome.paths['misconceptions']})",
        f"feedback per student: {outcome.paths['pages']}",
    ]
    return "\n".join(lines)
