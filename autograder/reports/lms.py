"""Grades in the file an LMS imports: Canvas' gradebook CSV, Moodle's grade import CSV, or a
plain CSV, read from nbgrader's gradebook with its late penalties.

A student without a final grade (no submission, or a grade still waiting for manual grading)
gets an empty cell and is reported, never a 0; with a roster (the LMS's own export), a graded
student the roster does not know is reported and left out.

- Canvas (Grades > Import): ``Student, ID, SIS User ID, SIS Login ID, Section`` then one
  column per assignment, and a ``Points Possible`` row; the nbgrader id is the SIS Login ID
  and the Canvas ID is nbgrader's ``lms_user_id``. An assignment column ``Name (1234)``
  updates that Canvas assignment; a name alone makes a new one.
- Moodle (Grades > Import > CSV file): a ``Username`` column to map to the user's username,
  and the grade column, mapped to the grade item.
- csv: ``student_id, last_name, first_name, email, raw_score, late_penalty, score, max_score``.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course.layout import Course
from autograder.errors import KitError

FORMATS = ("canvas", "moodle", "csv")


@dataclass(frozen=True)
class Row:
    """One student's grade as the LMS gets it: None where there is no final grade."""

    student: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_user_id: str = ""
    raw: float | None = None
    penalty: float = 0.0
    why_missing: str = ""

    @property
    def score(self) -> float | None:
        return None if self.raw is None else round(max(self.raw - self.penalty, 0.0), 2)


@dataclass
class Export:
    """What an export wrote, and what it could not."""

    path: Path
    written: int = 0
    missing: dict[str, str] = field(default_factory=dict)  # student -> why there is no grade
    unknown: list[str] = field(default_factory=list)  # graded, not on the roster: left out


def rows(course: Course, assignment: str) -> tuple[list[Row], float]:
    """Every student of the gradebook with their grade of ``assignment``; its most points."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url) as gb:
        try:
            most = float(gb.find_assignment(assignment).max_score)
        except MissingEntry:
            raise KitError(
                f"the gradebook {course.db_url} has no assignment {assignment!r}",
                f"grade it first (`autograder grade {assignment}`)",
            ) from None
        found = []
        for s in gb.students:
            known = dict(
                first_name=s.first_name or "",
                last_name=s.last_name or "",
                email=s.email or "",
                lms_user_id=s.lms_user_id or "",
            )
            try:
                sub = gb.find_submission(assignment, s.id)
            except MissingEntry:
                found.append(Row(s.id, **known, why_missing="no submission"))
                continue
            if sub.needs_manual_grade:
                found.append(Row(s.id, **known, why_missing="waiting for manual grading"))
                continue
            penalty = float(sub.late_submission_penalty or 0.0)
            found.append(Row(s.id, **known, raw=float(sub.score), penalty=penalty))
    return sorted(found, key=lambda r: r.student), most


def read_roster(path: Path, key: str) -> list[str]:
    """The student ids in column ``key`` of the LMS's roster CSV ``path``.

    Raises:
        KitError: the file is unreadable or has no such column.
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if key not in (reader.fieldnames or []):
                raise KitError(
                    f"the roster {path} has no column {key!r} (it has {', '.join(reader.fieldnames or [])})",
                    f"export the roster from the LMS with its {key} column",
                )
            return [r[key].strip() for r in reader if r.get(key, "").strip()]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise KitError(
            f"the roster {path} cannot be read ({type(exc).__name__}: {exc})", "check the path"
        ) from None


#: The roster column that holds nbgrader's student id, per format.
ROSTER_KEY = {"canvas": "SIS Login ID", "moodle": "Username", "csv": "student_id"}


def render(fmt: str, graded: list[Row], most: float, column: str) -> str:
    """The file's text in ``fmt``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if fmt == "canvas":
        writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column])
        writer.writerow(["Points Possible", "", "", "", "", f"{most:g}"])
        for r in graded:
            name = ", ".join(p for p in (r.last_name, r.first_name) if p)
            writer.writerow([name, r.lms_user_id, "", r.student, "", _cell(r)])
    elif fmt == "moodle":
        writer.writerow(["Username", "Email address", column])
        for r in graded:
            writer.writerow([r.student, r.email, _cell(r)])
    else:
        writer.writerow(
            [
                "student_id",
                "last_name",
                "first_name",
                "email",
                "raw_score",
                "late_penalty",
                "score",
                "max_score",
            ]
        )
        for r in graded:
            raw = "" if r.raw is None else f"{r.raw:g}"
            row = [
                r.student,
                r.last_name,
                r.first_name,
                r.email,
                raw,
                f"{r.penalty:g}",
                _cell(r),
                f"{most:g}",
            ]
            writer.writerow(row)
    return out.getvalue()


def _cell(row: Row) -> str:
    return "" if row.score is None else f"{row.score:g}"


def export_grades(
    course: Course,
    assignment: str,
    fmt: str,
    out: Path,
    roster: Path | None = None,
    column: str | None = None,
) -> Export:
    """Write ``assignment``'s grades to ``out`` in ``fmt`` (see the module's docstring).

    Raises:
        KitError: an unknown format or assignment, or an unreadable roster (nothing written).
    """
    if fmt not in FORMATS:
        raise KitError(f"unknown format {fmt!r}", f"choose one of {', '.join(FORMATS)}")
    course.assignment(assignment)
    graded, most = rows(course, assignment)
    result = Export(out)
    if roster is not None:
        listed = read_roster(roster, ROSTER_KEY[fmt])
        result.unknown = [r.student for r in graded if r.student not in listed and r.score is not None]
        by_id = {r.student: r for r in graded}
        graded = [by_id.get(s, Row(s, why_missing="not in the gradebook")) for s in dict.fromkeys(listed)]
    result.missing = {r.student: r.why_missing for r in graded if r.score is None}
    result.written = sum(r.score is not None for r in graded)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(fmt, graded, most, column or assignment), encoding="utf-8")
    return result
