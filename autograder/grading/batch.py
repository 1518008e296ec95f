"""A whole class graded in parallel, each submission in a sandbox of its own (``autograder grade``):
which submissions to grade, their plans, the pool of judges, and each result applied to the
class's outputs (``grading/sinks/``)."""

import os
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course import gradebook, stamps
from autograder.course.collect import Submission, from_course, import_lms
from autograder.course.layout import Course
from autograder.course.secret import read_secret
from autograder.engine.notebook import Node, read_notebook
from autograder.engine.plan import Plan
from autograder.engine.pool import Pool
from autograder.engine.result import ExerciseResult, SubmissionResult
from autograder.errors import GraderError, KitError
from autograder.grading import judges
from autograder.grading.sinks import Graded, Sink
from autograder.grading.sinks.autograded_notebook import AutogradedNotebook
from autograder.grading.sinks.feedback_page import FeedbackPage
from autograder.grading.sinks.gradebook_row import GradebookRow
from autograder.grading.sinks.result_record import ResultRecord
from autograder.grading.sinks.stamp import Stamp
from autograder.grading.submission import plan_of
from autograder.model.assignment import Assignment
from autograder.model.draws import Identity
from autograder.reports import class_report, records
from autograder.reports.progress import Progress
from autograder.sandbox.policy import Choice, Isolation, Limits, choose


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
    checks_digest = stamps.fingerprint(assignment, secret)
    recorder = Records(course, assignment, checks_digest, secret, outcome)
    if options.students:  # exactly those; everyone else's records stay as they are
        todo = [s for s in submissions if s.student in options.students]
        outcome.not_selected = [s.student for s in submissions if s not in todo]
    else:
        todo = [
            s
            for s in submissions
            if options.force or stamps.changed(course, assignment, s, checks_digest, secret)
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
    setup = judges.setup(course, assignment, isolation, options.limits)

    def done(student: str, result: SubmissionResult | GraderError) -> None:
        if isinstance(result, GraderError):
            recorder.failed(student, str(result))
        else:
            recorder.write(todo_by_student[student], plans[student], result)
        progress.step()

    Pool(setup, options.jobs).grade(work, len(assignment.exercises), done)
    progress.close()


def _plan(sub: Submission, release: Node, assignment: Assignment) -> tuple[Plan, str]:
    """What of the submission runs, or why nothing can."""
    if sub.notebook is None:
        return Plan(), sub.problem
    try:
        return plan_of(sub.notebook, release, assignment), ""
    except KitError as exc:
        return Plan(), f"the notebook could not be read: {exc.problem}"


class Records:
    """Everything a graded submission leaves behind (``SINKS``: the gradebook row, the
    autograded notebook nbgrader's feedback commands read, the feedback page, the record the
    class reports read and the signed stamp); a flagged one leaves its record alone.
    One student's records never stop the others': a failure here is reported as the
    grader's, for that student alone."""

    def __init__(
        self, course: Course, assignment: Assignment, checks_digest: str, secret: str, outcome: Outcome
    ) -> None:
        self.course, self.assignment, self.checks_digest, self.secret = (
            course,
            assignment,
            checks_digest,
            secret,
        )
        self.outcome = outcome
        self.sinks: list[Sink] = [
            GradebookRow(course),
            AutogradedNotebook(course),
            FeedbackPage(course),
            ResultRecord(course),
            Stamp(course, checks_digest, secret),
        ]

    def write(self, sub: Submission, plan: Plan, result: SubmissionResult) -> None:
        student, graded = sub.student, Graded(self.assignment, result, plan, sub)
        try:
            if result.flag:
                self.outcome.flagged[student] = result.flag
                ResultRecord(self.course).write(graded)
                return
            for sink in self.sinks:
                sink.write(graded)
        except Exception as exc:  # the grader's own failure (disk full, a broken gradebook...)
            self.failed(student, f"recording the grades failed: {type(exc).__name__}: {exc}")
            return
        if result.problems:
            self.outcome.faults[student] = result.problems
        if result.not_attempted:
            self.outcome.not_attempted[student] = result.not_attempted
        self.outcome.graded.append(student)

    def failed(self, student: str, why: str) -> None:
        """The grader could not grade ``student``: say so, and in their record."""
        self.outcome.grader_failures[student] = why
        try:
            records.save_failure(self.course, self.assignment.name, student, why)
        except OSError as exc:
            self.outcome.grader_failures[student] = f"{why}; keeping that failed too: {exc}"

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
