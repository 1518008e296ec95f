"""``autograder grade``: a whole class, graded in parallel, with student code kept out of reach."""

import concurrent.futures as futures
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import feedback, gradebook, summary
from autograder.collect import Submission, from_course, import_lms
from autograder.errors import KitError
from autograder.exercises import ASSIGNMENT, EXERCISES, POINTS
from autograder.judge import Judge, Limits
from autograder.notebook_io import cells_by_grade_id, read_notebook, solution_sources
from autograder.paths import CHECKS_DIR, release_notebook
from autograder.release import require_assignment
from autograder.runner import ExerciseReport
from autograder.sandbox.client import bwrap_available
from autograder.scores import render_table, write_exercise_csv
from autograder.variants import Identity, read_secret

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

    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    faults: dict[str, list[str]] = field(default_factory=dict)
    grader_failures: dict[str, str] = field(default_factory=dict)
    graded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)
    isolated: bool = False


# ----------------------------------------------------------------- judge processes
_judge: Judge | None = None


def _start_judge(root: str, isolate: bool, limits: Limits) -> None:
    global _judge
    from autograder.quiet import import_keras_quietly

    import_keras_quietly()  # the checks' own models, imported once per judge process
    _judge = Judge(Path(root), isolate, limits)
    _judge.warm_up()


def _grade_one(answers: dict, problems: dict, identity: Identity) -> list[ExerciseReport]:
    return _judge.grade(answers, problems, identity)


# ----------------------------------------------------------------- the run
def grade_class(
    root: Path, assignment: str = ASSIGNMENT, source: Path | None = None, options: Options = None
) -> Outcome:
    """Grade every submission of ``assignment`` in course ``root`` (or those in ``source``).

    Raises:
        KitError: the course, assignment or source is not usable (nothing was changed).
    """
    options = options or Options()
    root = Path(root).resolve()
    require_assignment(assignment, root)
    gradebook.require_assignment(root, assignment)
    isolate = _isolation(options.sandbox)
    if source is not None:
        import_lms(source, root, assignment)
    submissions = from_course(root, assignment)
    if not submissions:
        raise KitError(f"no submissions in {root / 'submitted'}", "collect them first")
    outcome = Outcome(isolated=isolate)
    fingerprint = _fingerprint(read_secret(root))
    todo = [s for s in submissions if options.force or _changed(root, assignment, s, fingerprint)]
    outcome.skipped = [s.student for s in submissions if s not in todo]
    _run(root, assignment, todo, options, isolate, fingerprint, outcome)
    outcome.scores = _scores(root, assignment, [s.student for s in submissions], outcome)
    _write_reports(root, assignment, outcome)
    return outcome


def _isolation(mode: str) -> bool:
    if mode == "none":
        return False
    available = bwrap_available()
    if mode == "bwrap" and not available:
        raise KitError("bubblewrap (bwrap) is not usable here", "install Debian's bubblewrap package")
    return available


def _run(root, assignment, todo, options, isolate, fingerprint, outcome) -> None:
    if not todo:
        return
    secret = read_secret(root)
    progress = Progress(len(todo))
    context = multiprocessing.get_context("spawn")
    jobs = max(1, min(options.jobs, len(todo)))
    with futures.ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_judge, initargs=(str(root), isolate, options.limits)
    ) as pool:
        pending = {}
        for sub in todo:
            answers, problems = _answers(sub)
            future = pool.submit(_grade_one, answers, problems, Identity(secret, sub.student))
            pending[future] = (sub, answers)
        for future in futures.as_completed(pending):
            sub, answers = pending[future]
            try:
                reports = future.result()
            except Exception as exc:  # the grader's failure, never the student's zero
                outcome.grader_failures[sub.student] = f"{type(exc).__name__}: {exc}"
            else:
                _record(root, assignment, sub, answers, reports, fingerprint, outcome)
            progress.step()
    progress.close()


def _answers(sub: Submission) -> tuple[dict[str, str], dict[str, str]]:
    """The student's solution cells, and why any exercise cannot be graded."""
    if sub.notebook is None:
        return {}, dict.fromkeys(EXERCISES, sub.problem)
    try:
        nb = read_notebook(sub.notebook)
    except KitError as exc:
        return {}, dict.fromkeys(EXERCISES, f"the notebook could not be read: {exc.problem}")
    answers = solution_sources(nb)
    problems = {
        e: f"the notebook has no cell with grade_id '{e}' (was it deleted?)"
        for e in EXERCISES
        if e not in answers
    }
    return answers, problems


def _record(root, assignment, sub, answers, reports, fingerprint, outcome) -> None:
    points = {r.exercise: r.points for r in reports}
    submitted = root / "submitted" / sub.student / assignment
    gradebook.record(root, assignment, sub.student, points, gradebook.submission_time(submitted))
    folder = root / "autograded" / sub.student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name in SUBMISSION_FILES:  # what nbgrader's feedback commands read in autograded/
        if (submitted / name).is_file() and not (submitted / name).is_symlink():
            shutil.copyfile(submitted / name, folder / name)
    nbformat.write(_autograded_notebook(root, assignment, answers, reports), folder / f"{assignment}.ipynb")
    feedback.write(feedback_path(root, assignment, sub.student), sub.student, assignment, reports)
    faults = [f"{r.exercise}: {r.problem}" for r in reports if r.problem]
    if faults:
        outcome.faults[sub.student] = faults
    stamp = {"notebook": _digest(sub), "grader": fingerprint, "points": points}
    path = stamp_path(root, assignment, sub.student)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stamp, indent=1))
    outcome.graded.append(sub.student)


def feedback_path(root: Path, assignment: str, student: str) -> Path:
    """Where a student's check-by-check feedback goes (apart from nbgrader's feedback/)."""
    return root / "grading_reports" / assignment / "feedback" / f"{student}.html"


def _autograded_notebook(root, assignment, answers, reports) -> nbformat.NotebookNode:
    """The release with the student's answers and each graded cell's report and points."""
    nb = read_notebook(release_notebook(root, assignment))
    cells = cells_by_grade_id(nb)
    for name, source in answers.items():
        cells[name]["source"] = source
    for report in reports:
        cell = cells[f"test_{report.exercise}"]
        cell["outputs"] = [
            nbformat.v4.new_output("stream", name="stdout", text=report.render() + "\n"),
            nbformat.v4.new_output(
                "execute_result", data={"text/plain": repr(report.points)}, execution_count=None
            ),
        ]
    return nb


def _scores(root, assignment, students, outcome) -> dict[str, dict[str, float]]:
    from autograder.scores import gradebook_scores

    recorded = gradebook_scores(root, assignment)
    return {s: recorded[s] for s in students if s in recorded and s not in outcome.grader_failures}


def _write_reports(root: Path, assignment: str, outcome: Outcome) -> None:
    folder = root / "grading_reports" / assignment
    outcome.paths["csv"] = write_exercise_csv(outcome.scores, folder / "grades_by_exercise.csv")
    outcome.paths["summary"] = summary.write(outcome.scores, outcome.faults, folder)
    outcome.paths["histogram"] = folder / "histogram.png"
    outcome.paths["feedback"] = feedback_path(root, assignment, "<student>")


# ----------------------------------------------------------------- re-grading only what changed
def _digest(sub: Submission) -> str:
    """Changes when the notebook or its submission time changes (a resubmission)."""
    if sub.notebook is None:
        return "missing"
    stamp = sub.notebook.parent / "timestamp.txt"
    extra = stamp.read_bytes() if stamp.is_file() else b""
    return hashlib.sha256(sub.notebook.read_bytes() + b"\0" + extra).hexdigest()


def _fingerprint(secret: str) -> str:
    """Changes whenever the checks, the points or the secret change."""
    h = hashlib.sha256(json.dumps(POINTS).encode() + secret.encode())
    for path in sorted(CHECKS_DIR.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def stamp_path(root: Path, assignment: str, student: str) -> Path:
    """What was graded for a student, and with which checks (kept out of nbgrader's folders,
    whose files nbgrader's feedback commands copy around)."""
    return root / "grading_reports" / assignment / "stamps" / f"{student}.json"


def _changed(root: Path, assignment: str, sub: Submission, fingerprint: str) -> bool:
    if not (root / "autograded" / sub.student / assignment / f"{assignment}.ipynb").is_file():
        return True  # the graded notebook was removed: grade again
    try:
        saved = json.loads(stamp_path(root, assignment, sub.student).read_text())
    except (OSError, ValueError):
        return True
    return saved.get("notebook") != _digest(sub) or saved.get("grader") != fingerprint


# ----------------------------------------------------------------- what the instructor sees
class Progress:
    """A progress bar with an ETA on stderr (a line per tenth when stderr is not a terminal)."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.start = total, 0, time.monotonic()
        self.tty = sys.stderr.isatty()
        self._last_tenth = -1

    def step(self) -> None:
        self.done += 1
        elapsed = time.monotonic() - self.start
        eta = elapsed / self.done * (self.total - self.done)
        bar = "#" * (30 * self.done // self.total)
        line = f"grading [{bar:<30}] {self.done}/{self.total}  {elapsed:.0f} s, about {eta:.0f} s left"
        if self.tty:
            print("\r" + line, end="", file=sys.stderr, flush=True)
        elif 10 * self.done // self.total != self._last_tenth:
            self._last_tenth = 10 * self.done // self.total
            print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.tty:
            print(file=sys.stderr)


def render_outcome(outcome: Outcome) -> str:
    """The end-of-run report: the class table, what went wrong, where the files are."""
    lines = [render_table(outcome.scores), ""]
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
