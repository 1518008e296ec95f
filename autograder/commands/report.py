"""``autograder report``, ``autograder similarity`` and ``autograder export grades``: the class
reports, the similar solutions and the LMS's grade file, from what grading left (records,
autograded notebooks, the gradebook), whichever path graded the class."""

from pathlib import Path

from autograder.course.layout import Course
from autograder.reports import class_report, lms, similarity


def class_reports(course: Course, name: str) -> dict[str, Path]:
    """Rewrite every class report of assignment ``name``; return their paths.

    Raises:
        KitError: no such assignment, or the gradebook does not know it.
    """
    return class_report.write(course, course.assignment(name))


def similar_solutions(course: Course, name: str) -> Path:
    """Write the similarity report of assignment ``name``; return its page.

    Raises:
        KitError: no such assignment, or nothing of it graded yet.
    """
    return similarity.write(course, course.assignment(name))


def render_reports(paths: dict[str, Path]) -> str:
    return "\n".join(f"{key + ':':<16}{path}" for key, path in paths.items())


def export_grades(
    course: Course, name: str, fmt: str, out: Path | None, roster: Path | None, column: str | None
) -> lms.Export:
    """Write the grades of ``name`` as ``fmt`` imports them (``reports.lms``).

    Raises:
        KitError: an unknown assignment or format, or an unreadable roster (nothing written).
    """
    out = out or course.reports_dir(name) / f"{fmt}.csv"
    return lms.export_grades(course, name, fmt, out, roster, column)


def render_export(done: lms.Export) -> str:
    """What was written, and each student left without a grade, with why."""
    lines = [f"wrote {done.written} grades to {done.path}"]
    if done.missing:
        lines.append(f"{len(done.missing)} students have no grade (their cell is empty, not 0):")
        lines += [f"  {student}: {why}" for student, why in sorted(done.missing.items())]
    if done.unknown:
        lines.append(
            f"{len(done.unknown)} graded students are not on the roster and were left out: "
            + ", ".join(done.unknown)
        )
    return "\n".join(lines)
