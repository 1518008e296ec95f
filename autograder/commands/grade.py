"""``autograder grade``: a whole class, graded in parallel, with student code kept out of reach."""

import concurrent.futures as futures
import multiprocessing
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.course import gradebook, stamps
from autograder.course.assignment import Assignment
from autograder.course.collect import Submission, from_course, import_lms
from autograder.course.layout import Course
from autograder.course.secret import read_secret
from autograder.engine.draws import Identity
from autograder.engine.judge import Judge, Limits
from autograder.engine.notebook import cells_by_grade_id, read_notebook, solution_sources
from autograder.engine.result import SubmissionResult
from autograder.errors import KitError
from autograder.reports import summary
from autograder.reports.progress import Progress
from autograder.reports.table import render_table, write_exercise_csv
from autograder.sandbox.client import bwrap_available

#: Files ``nbgrader submit`` adds beside the notebook; release_feedback needs them.
SUBMISSION_FILES = ("timestamp.txt", "submission_secret.txt")


@dataclass
class Options:
    """How to grade: parallelism, limits, isolation, and whether to regrade everything."""

    jobs: int = os.cpu_count() or 1
    force: bool = False
    limits: Limits = field(default_factory=Limits)
    sandbox: str = "auto"  # "auto", "bwrap" or "none"


@dataclass
class Outcome:
    """What a grading run did, student by student."""

    assignment: Assignment
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    faults: dict[str, list[str]] = field(default_factory=dict)
    grader_failures: dict[str, str] = field(default_factory=dict)
    graded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)
    isolated: bool = False


# ----------------------------------------------------------------- judge processes
_judge: Judge | None = None  # one per worker process of the pool


def _start_judge(root: str, name: str, isolate: bool, limits: Limits) -> None:
    global _judge
    from autograder.quiet import import_keras_quietly

    import_keras_quietly()  # the checks' own models, imported once per judge process
    course = Course(Path(root))
    _judge = Judge(course.assignment(name), course.root, course.source_data_dir(), isolate, limits)
    _judge.warm_up()


def _grade_one(answers: dict, problems: dict, identity: Identity) -> dict:
    return _judge.grade(answers, problems, identity).to_dict()


# ----------------------------------------------------------------- the run
def grade_class(
    course: Course, name: str, source: Path | None = None, options: Options | None = None
) -> Outcome:
    """Grade every submission of assignment ``name`` in ``course`` (or those in ``source``).

    Raises:
        KitError: the course, assignment or source is not usable (nothing was changed).
    """
    options = options or Options()
    assignment = course.assignment(name)
    gradebook.require_assignment(course, name)
    isolate = _isolation(options.sandbox)
    if source is not None:
        import_lms(source, course, name)
    submissions = from_course(course, name)
    if not submissions:
        raise KitError(f"no submissions of {name} in {course.root}", "collect them first")
    outcome = Outcome(assignment, isolated=isolate)
    secret = read_secret(course.secret_file)
    grader = stamps.fingerprint(assignment, secret)
    todo = [s for s in submissions if options.force or stamps.changed(course, assignment, s, grader)]
    outcome.skipped = [s.student for s in submissions if s not in todo]
    records = Records(course, assignment, grader, outcome)
    _run(course, assignment, todo, options, isolate, secret, records)
    all_scores = gradebook.scores(course, assignment)
    students = [s.student for s in submissions if s.student not in outcome.grader_failures]
    outcome.scores = {s: all_scores[s] for s in students if s in all_scores}
    _write_reports(course, outcome)
    return outcome


def _isolation(mode: str) -> bool:
    if mode == "none":
        return False
    available = bwrap_available()
    if mode == "bwrap" and not available:
        raise KitError("bubblewrap (bwrap) is not usable here", "install Debian's bubblewrap package")
    return available


def _run(course, assignment, todo, options, isolate, secret, records) -> None:
    if not todo:
        return
    progress = Progress(len(todo))
    context = multiprocessing.get_context("spawn")
    jobs = max(1, min(options.jobs, len(todo)))
    initargs = (str(course.root), assignment.name, isolate, options.limits)
    with futures.ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_judge, initargs=initargs
    ) as pool:
        pending = {}
        for sub in todo:
            answers, problems = _answers(sub, assignment)
            future = pool.submit(_grade_one, answers, problems, Identity(secret, sub.student))
            pending[future] = (sub, answers)
        for future in futures.as_completed(pending):
            sub, answers = pending[future]
            try:
                result = SubmissionResult.from_dict(future.result())
            except Exception as exc:  # the grader's failure, never the student's zero
                records.outcome.grader_failures[sub.student] = f"{type(exc).__name__}: {exc}"
            else:
                records.write(sub, answers, result)
            progress.step()
    progress.close()


def _answers(sub: Submission, assignment: Assignment) -> tuple[dict[str, str], dict[str, str]]:
    """The student's solution cells, and why any exercise cannot be graded."""
    names = assignment.exercise_names
    if sub.notebook is None:
        return {}, dict.fromkeys(names, sub.problem)
    try:
        nb = read_notebook(sub.notebook)
    except KitError as exc:
        return {}, dict.fromkeys(names, f"the notebook could not be read: {exc.problem}")
    answers = solution_sources(nb, names)
    problems = {
        e: f"the notebook has no cell with grade_id '{e}' (was it deleted?)"
        for e in names
        if e not in answers
    }
    return answers, problems


class Records:
    """Everything a graded submission leaves behind: the gradebook row, the autograded
    notebook nbgrader's feedback commands read, the feedback page and the regrade stamp."""

    def __init__(self, course: Course, assignment: Assignment, grader: str, outcome: Outcome) -> None:
        self.course, self.assignment, self.grader, self.outcome = course, assignment, grader, outcome

    def write(self, sub: Submission, answers: dict[str, str], result: SubmissionResult) -> None:
        name, student = self.assignment.name, sub.student
        submitted = self.course.submitted_dir(student, name)
        gradebook.record(
            self.course, self.assignment, student, result.points, gradebook.submission_time(submitted)
        )
        self._autograded(sub, answers, result)
        page = self.course.feedback_page(name, student)
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(result.to_html())
        if result.problems:
            self.outcome.faults[student] = result.problems
        stamps.write(self.course, self.assignment, sub, self.grader, result.points)
        self.outcome.graded.append(student)

    def _autograded(self, sub: Submission, answers: dict[str, str], result: SubmissionResult) -> None:
        """The release with the student's answers and each graded cell's report and points."""
        name = self.assignment.name
        folder = self.course.autograded_dir(sub.student, name)
        folder.mkdir(parents=True, exist_ok=True)
        submitted = self.course.submitted_dir(sub.student, name)
        for file in SUBMISSION_FILES:  # what nbgrader's feedback commands read in autograded/
            if (submitted / file).is_file() and not (submitted / file).is_symlink():
                shutil.copyfile(submitted / file, folder / file)
        nb = read_notebook(self.course.release_notebook(name))
        cells = cells_by_grade_id(nb)
        for exercise, source in answers.items():
            cells[exercise]["source"] = source
        for exercise in result.exercises:
            cells[self.assignment.exercise(exercise.exercise).test_cell]["outputs"] = (
                exercise.notebook_outputs()
            )
        nbformat.write(nb, folder / f"{name}.ipynb")


def _write_reports(course: Course, outcome: Outcome) -> None:
    name = outcome.assignment.name
    folder = course.reports_dir(name)
    outcome.paths["csv"] = write_exercise_csv(
        outcome.scores, outcome.assignment, folder / "grades_by_exercise.csv"
    )
    outcome.paths["summary"] = summary.write(outcome.scores, outcome.faults, outcome.assignment, folder)
    outcome.paths["histogram"] = folder / "histogram.png"
    outcome.paths["feedback"] = course.feedback_page(name, "<student>")


def render_outcome(outcome: Outcome) -> str:
    """The end-of-run report: the class table, what went wrong, where the files are."""
    lines = [render_table(outcome.scores, outcome.assignment), ""]
    lines.append(
        f"graded {len(outcome.graded)}, unchanged and skipped {len(outcome.skipped)}, "
        f"grader failures {len(outcome.grader_failures)}"
        + ("" if outcome.isolated else "  (no sandbox: bubblewrap unavailable, see README)")
    )
    for student, reasons in sorted(outcome.faults.items()):
        lines.append(f"  {student}: {'; '.join(reasons)}")
    for student, reason in sorted(outcome.grader_failures.items()):
        lines.append(f"  {student}: NOT GRADED, grader failure (not the student's): {reason}")
    lines += [
        "",
        f"grades per exercise:  {outcome.paths['csv']}",
        f"class summary:        {outcome.paths['summary']} (histogram: {outcome.paths['histogram']})",
        f"feedback per student: {outcome.paths['feedback']}",
    ]
    return "\n".join(lines)
