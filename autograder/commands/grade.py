"""``autograder grade``: a whole class, graded in parallel, each submission in a sandbox of its own."""

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.course import gradebook, stamps
from autograder.course.collect import Submission, from_course, import_lms, read_file
from autograder.course.layout import KIT_ROOT, Course
from autograder.course.secret import read_secret
from autograder.engine.notebook import Node, cells_by_grade_id, parse_notebook, read_notebook
from autograder.engine.plan import Plan, make_plan
from autograder.engine.pool import JudgeSpec, Pool
from autograder.engine.result import ExerciseResult, SubmissionResult
from autograder.errors import GraderError, KitError
from autograder.model.assignment import Assignment
from autograder.model.draws import Identity
from autograder.reports import class_report, records
from autograder.reports.class_report import UNSANDBOXED
from autograder.reports.progress import Progress
from autograder.reports.table import render_table
from autograder.sandbox.policy import Choice, Isolation, Limits, choose

#: Files ``nbgrader submit`` adds beside the notebook; release_feedback needs them.
SUBMISSION_FILES = ("timestamp.txt", "submission_secret.txt")


@dataclass
class Options:
    """How to grade: parallelism, limits, isolation, and whether to regrade everything, or
    only some students (changed or not)."""

    jobs: int = os.cpu_count() or 1
    force: bool = False
    students: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    sandbox: Isolation = Isolation.AUTO


@dataclass
class Outcome:
    """What a grading run did, student by student."""

    assignment: Assignment
    isolation: Choice
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    faults: dict[str, list[str]] = field(default_factory=dict)
    not_attempted: dict[str, list[str]] = field(default_factory=dict)  # student -> exercises
    flagged: dict[str, str] = field(default_factory=dict)
    grader_failures: dict[str, str] = field(default_factory=dict)
    mismatches: dict[str, str] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    graded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    not_selected: list[str] = field(default_factory=list)  # left alone: others were named
    paths: dict[str, Path] = field(default_factory=dict)


def private_paths(course: Course) -> tuple[Path, ...]:
    """Folders the sandbox must never show, even where they lie inside the runtime it sees."""
    return (KIT_ROOT, course.root, Path.home(), Path(tempfile.gettempdir()))


def grade_class(
    course: Course, name: str, source: Path | None = None, options: Options | None = None
) -> Outcome:
    """Grade every submission of assignment ``name`` in ``course`` (or those in ``source``).

    Raises:
        KitError: the course, assignment, source or sandbox is not usable (nothing was changed).
    """
    options = options or Options()
    assignment = course.assignment(name)
    gradebook.require_assignment(course, name)
    isolation = choose(options.sandbox)
    if source is not None and options.students:
        raise KitError(
            "--student regrades submissions already collected, not an LMS download",
            f"import {source} with `autograder grade {name} {source}` first, then name the students",
        )
    if source is not None:
        import_lms(source, course, name)
    submissions, refused = from_course(course, name)
    if not submissions:
        raise KitError(f"no submissions of {name} in {course.root}", "collect them first")
    _require_students(options.students, submissions, course, name)
    outcome = Outcome(assignment, isolation, refused=refused)
    secret = read_secret(course.secret_file)
    grader = stamps.fingerprint(assignment, secret)
    recorder = Records(course, assignment, grader, secret, outcome)
    if options.students:  # exactly those; everyone else's records stay as they are
        todo = [s for s in submissions if s.student in options.students]
        outcome.not_selected = [s.student for s in submissions if s not in todo]
    else:
        todo = [
            s for s in submissions if options.force or stamps.changed(course, assignment, s, grader, secret)
        ]
        outcome.skipped = [s.student for s in submissions if s not in todo]
        recorder.verify(outcome.skipped)
    _run(course, assignment, todo, options, isolation, secret, recorder)
    all_scores = gradebook.scores(course, assignment)
    kept = [s.student for s in submissions if s.student not in outcome.grader_failures | outcome.flagged]
    outcome.scores = {s: all_scores[s] for s in kept if s in all_scores}
    _write_reports(course, outcome)
    return outcome


def _require_students(
    students: tuple[str, ...], submissions: list[Submission], course: Course, name: str
) -> None:
    """Refuse, before anything changes, to regrade a student who has no submission."""
    unknown = sorted(set(students) - {s.student for s in submissions})
    if unknown:
        where = course.submitted_dir("<student>", name).parent.parent
        raise KitError(
            f"{len(unknown)} of the students named have no submission of {name} in {where}: "
            f"{', '.join(unknown)}; nothing was graded",
            "check the ids against that folder (they are case-sensitive), or collect their work first",
        )


def _run(course, assignment, todo, options, isolation, secret, recorder) -> None:
    release = read_notebook(course.release_notebook(assignment.name))
    work, todo_by_student, plans = [], {s.student: s for s in todo}, {}
    for sub in todo:
        plans[sub.student], problem = _plan(sub, release, assignment)
        if problem:  # nothing to run: the notebook is missing or unreadable
            exercises = [ExerciseResult(e.name, e.points, problem=problem) for e in assignment.exercises]
            recorder.write(sub, plans[sub.student], SubmissionResult(assignment.name, sub.student, exercises))
        else:
            work.append((sub.student, plans[sub.student], Identity(secret, sub.student)))
    if not work:
        return
    progress = Progress(len(work))
    spec = JudgeSpec(course.root, assignment.name, isolation, options.limits, private_paths(course))

    def done(student: str, result: SubmissionResult | GraderError) -> None:
        if isinstance(result, GraderError):
            recorder.failed(student, str(result))
        else:
            recorder.write(todo_by_student[student], plans[student], result)
        progress.step()

    Pool(spec, options.jobs).grade(work, len(assignment.exercises), done)
    progress.close()


def _plan(sub: Submission, release: Node, assignment: Assignment) -> tuple[Plan, str]:
    """What of the submission runs, or why nothing can."""
    if sub.notebook is None:
        return Plan(), sub.problem
    try:
        nb = parse_notebook(read_file(sub.notebook), sub.notebook.name)
    except KitError as exc:
        return Plan(), f"the notebook could not be read: {exc.problem}"
    return make_plan(nb, release, assignment), ""


class Records:
    """Everything a graded submission leaves behind: the gradebook row, the autograded
    notebook nbgrader's feedback commands read, the feedback page, the signed stamp and the
    record the class reports read.
    One student's records never stop the others': a failure here is reported as the
    grader's, for that student alone."""

    def __init__(
        self, course: Course, assignment: Assignment, grader: str, secret: str, outcome: Outcome
    ) -> None:
        self.course, self.assignment, self.grader, self.secret = course, assignment, grader, secret
        self.outcome = outcome

    def write(self, sub: Submission, plan: Plan, result: SubmissionResult) -> None:
        student = sub.student
        try:
            if result.flag:
                self.outcome.flagged[student] = result.flag
                records.save(self.course, result)
                return
            self._write(sub, plan, result)
        except Exception as exc:  # the grader's own failure (disk full, a broken gradebook...)
            self.failed(student, f"recording the grades failed: {type(exc).__name__}: {exc}")
            return
        if result.problems:
            self.outcome.faults[student] = result.problems
        if result.not_attempted:
            self.outcome.not_attempted[student] = result.not_attempted
        self.outcome.graded.append(student)

    def _write(self, sub: Submission, plan: Plan, result: SubmissionResult) -> None:
        name, student = self.assignment.name, sub.student
        submitted = self.course.submitted_dir(student, name)
        gradebook.record(
            self.course, self.assignment, student, result.points, gradebook.submission_time(submitted)
        )
        self._autograded(sub, plan, result)
        records.atomic_text(self.course.feedback_page(name, student), result.to_html())
        records.save(self.course, result)
        stamps.write(self.course, self.assignment, sub, self.grader, result.points, self.secret)

    def failed(self, student: str, why: str) -> None:
        """The grader could not grade ``student``: say so, and in their record."""
        self.outcome.grader_failures[student] = why
        try:
            records.save_failure(self.course, self.assignment.name, student, why)
        except OSError as exc:
            self.outcome.grader_failures[student] = f"{why}; keeping that failed too: {exc}"

    def _autograded(self, sub: Submission, plan: Plan, result: SubmissionResult) -> None:
        """The release with each graded cell's report and points, and the student's code."""
        name = self.assignment.name
        folder = self.course.autograded_dir(sub.student, name)
        folder.mkdir(parents=True, exist_ok=True)
        submitted = self.course.submitted_dir(sub.student, name)
        for file in SUBMISSION_FILES:  # what nbgrader's feedback commands read in autograded/
            if os.path.lexists(submitted / file):
                try:
                    (folder / file).write_bytes(read_file(submitted / file, 1 << 16))
                except KitError:
                    pass  # a link or a special file: not copied
        nb = read_notebook(self.course.release_notebook(name))
        cells = cells_by_grade_id(nb)
        for exercise, index in plan.solution_cell.items():
            cells[exercise]["source"] = plan.cells[index]
        for exercise in result.exercises:
            cells[self.assignment.exercise(exercise.exercise).test_cell]["outputs"] = (
                exercise.notebook_outputs()
            )
        records.atomic_text(folder / f"{name}.ipynb", nbformat.writes(nb))

    def verify(self, students: list[str]) -> None:
        """Compare the gradebook with the signed stamps of unchanged submissions; record again
        (and report) any row that differs from what the grader recorded."""
        if not students:
            return
        recorded = gradebook.scores(self.course, self.assignment, auto=True)
        for student in students:
            stamp = stamps.read(self.course, self.assignment, student, self.secret)
            if stamp is not None and recorded.get(student) != stamp["points"]:
                shown = recorded.get(student, "no row")
                submitted = self.course.submitted_dir(student, self.assignment.name)
                time = gradebook.submission_time(submitted)
                gradebook.record(self.course, self.assignment, student, stamp["points"], time)
                given = stamp["points"]
                self.outcome.mismatches[student] = (
                    f"the gradebook held {shown}, not what the grader recorded ({given}): recorded again"
                )


def _write_reports(course: Course, outcome: Outcome) -> None:
    name = outcome.assignment.name
    outcome.paths = class_report.write(course, outcome.assignment)
    outcome.paths["pages"] = course.feedback_page(name, "<student>")


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
