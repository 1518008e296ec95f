"""``autograder mutation-report``: mutation testing of an assignment's hidden checks.

Every reference solution and every valid style of the catalog is mutated by cosmic-ray's
operators (one change at a time: an operator swapped, a number or a comparison changed, a
loop that runs zero times...), and each mutant is graded, on its exercise, as ``autograder
check`` grades. A mutant that loses points is killed. One that keeps full marks is graded
again under ``SWEEP`` other students' draws (other sizes, thresholds, seeds, batch sizes,
momenta); one that still keeps them there is listed as equivalent, with its change, for a
person to read. The report (``mutation.md`` beside the kill matrix) holds a fingerprint of
what it was made from, so a test knows when it is stale without running cosmic-ray.
"""

import contextlib
import difflib
import hashlib
import importlib.metadata
import signal
from dataclasses import dataclass
from pathlib import Path

from autograder.catalog.mistakes import CATALOG_SECRET, grade_answers, valid_styles
from autograder.course.layout import Course
from autograder.errors import KitError
from autograder.grading.references import reference_sources
from autograder.model.assignment import Assignment
from autograder.model.draws import Identity

#: How many other students' draws a mutant that survives the first grading faces.
SWEEP = 6
#: The student the first grading draws for.
FIRST = Identity(CATALOG_SECRET, "mutant")


@dataclass
class Mutant:
    """One change to one solution, and what grading made of it."""

    solution: str  # "reference" or the valid style's name
    exercise: str
    operator: str
    occurrence: int
    diff: str
    verdict: str = ""  # "killed", "killed by the sweep", "equivalent", "does not run"


#: How the report states its overall score (the kill matrix quotes that line).
SCORE_LINE = "Mutation score over every exercise:"


def recorded_score(assignment: Assignment) -> str:
    """The overall score line of the committed report ("" if there is none)."""
    path = report_file(assignment)
    text = path.read_text() if path.is_file() else ""
    return next(
        (ln.removeprefix(SCORE_LINE).strip() for ln in text.splitlines() if ln.startswith(SCORE_LINE)), ""
    )


def report_file(assignment: Assignment) -> Path:
    return assignment.folder / "mutation.md"


def solutions(course: Course, assignment: Assignment) -> dict[str, dict[str, str]]:
    """What is mutated: name -> {exercise: source}, the reference and each valid style (its
    exercise sources only; its helpers stay as written)."""
    found = {"reference": reference_sources(course, assignment)}
    for name, answers in valid_styles(assignment).items():
        found[name] = {e: src for e, src in answers.items() if e in assignment.exercise_names}
    return found


def fingerprint(course: Course, assignment: Assignment) -> str:
    """A digest of what the report depends on: the solutions mutated, the hidden checks (every
    Python file of the assignment's folder but its catalog of mistakes), the sweep and the
    operators' version."""
    digest = hashlib.sha256(f"{SWEEP} {_version()}".encode())
    for name, answers in sorted(solutions(course, assignment).items()):
        for exercise, source in sorted(answers.items()):
            digest.update(f"{name}/{exercise}\n{source}\n".encode())
    for path in sorted(assignment.folder.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _version() -> str:
    try:
        return importlib.metadata.version("cosmic-ray")
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def _operators() -> list[tuple[str, object]]:
    """cosmic-ray's core operators that need no arguments, by name."""
    try:
        from cosmic_ray.plugins import get_operator, operator_names
    except ImportError as exc:
        raise KitError(
            f"mutation testing needs cosmic-ray, which is not installed ({exc})",
            "install the kit's dev extra: .venv/bin/pip install -e '.[dev]'",
        ) from None
    found = []
    for name in operator_names():
        try:
            found.append((name, get_operator(name)()))
        except TypeError:  # an operator that needs settings of its own
            continue
    return found


def mutants(source: str, operators: list[tuple[str, object]]) -> list[tuple[str, int, str]]:
    """(operator, occurrence, mutated source) for every single change the operators make."""
    from cosmic_ray.mutating import MutationVisitor

    found = []
    for name, operator in operators:
        occurrence = 0
        while (mutated := MutationVisitor.mutate_code(source, operator, occurrence)) is not None:
            if mutated != source:
                found.append((name, occurrence, mutated))
            occurrence += 1
    return found


class _TimedOut(BaseException):
    """A mutant ran past ``SECONDS`` (a loop that no longer ends, say)."""


#: How long one grading of a mutant may take: a mutant that runs longer is killed, as the
#: sandbox's time limit kills it in a real grading.
SECONDS = 60


def _verdict(course: Course, assignment: Assignment, exercise: str, source: str) -> str:
    """What grading makes of one mutated function."""
    try:
        compile(source, "<mutant>", "exec")
    except SyntaxError:
        return "does not run"
    for k in range(SWEEP + 1):
        identity = FIRST if k == 0 else Identity(CATALOG_SECRET, f"sweep-{k}")
        try:
            with _time_limit(SECONDS):
                result = grade_answers(course, assignment, {exercise: source}, identity).exercises[0]
        except _TimedOut:
            return "killed" if k == 0 else "killed by the sweep"
        if result.points < result.max_points:
            return "killed" if k == 0 else "killed by the sweep"
    return "equivalent"


@contextlib.contextmanager
def _time_limit(seconds: int):
    """Raise ``_TimedOut`` in this (the main) thread after ``seconds``, and every second after
    that until the block ends (the checks may catch one and call the mutant again)."""

    def expire(signum, frame):
        raise _TimedOut()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_mutants(course: Course, assignment: Assignment, progress=print) -> list[Mutant]:
    """Every mutant of every solution of ``assignment``, graded."""
    operators, found = _operators(), []
    for name, answers in solutions(course, assignment).items():
        for exercise, source in answers.items():
            for operator, occurrence, mutated in mutants(source, operators):
                diff = "\n".join(
                    line
                    for line in difflib.unified_diff(
                        source.splitlines(), mutated.splitlines(), lineterm="", n=0
                    )
                    if line[:1] in "+-" and line[:3] not in ("+++", "---")
                )
                mutant = Mutant(name, exercise, operator, occurrence, diff)
                mutant.verdict = _verdict(course, assignment, exercise, mutated)
                found.append(mutant)
            done = sum(m.solution == name and m.exercise == exercise for m in found)
            progress(f"{assignment.name}: {name}/{exercise}: {done} mutants")
    return found


def render(course: Course, assignment: Assignment, found: list[Mutant]) -> str:
    """The report: the score per exercise, then every equivalent mutant with its change."""
    lines = [
        f"# Mutation testing of {assignment.name}'s hidden checks",
        "",
        f"Generated by `autograder mutation-report {assignment.name}` (cosmic-ray {_version()}'s core",
        "operators, one change at a time, on the reference solution and every valid style); a test",
        "fails when what it was made from changes. A mutant is **killed** when it loses points on its",
        f"exercise; one that keeps full marks is graded again under {SWEEP} other students' draws",
        "(killed by the sweep); one that keeps them there is **equivalent** and listed below, to read.",
        "The score is killed / (mutants that run - equivalent ones).",
        "",
        f"fingerprint: {fingerprint(course, assignment)}",
        "",
        "| exercise | mutants | do not run | killed | killed by the sweep | equivalent | score |",
        "|---|---|---|---|---|---|---|",
    ]
    for exercise in assignment.exercise_names:
        mine = [m for m in found if m.exercise == exercise]
        count = {
            v: sum(m.verdict == v for m in mine)
            for v in ("does not run", "killed", "killed by the sweep", "equivalent")
        }
        killed = count["killed"] + count["killed by the sweep"]
        scored = len(mine) - count["does not run"] - count["equivalent"]
        score = f"{killed / scored:.0%}" if scored else "-"
        lines.append(
            f"| {exercise} | {len(mine)} | {count['does not run']} | {count['killed']} | "
            f"{count['killed by the sweep']} | {count['equivalent']} | {score} |"
        )
    runs = [m for m in found if m.verdict not in ("does not run", "equivalent")]
    killed = sum(m.verdict.startswith("killed") for m in runs)
    lines += ["", f"{SCORE_LINE} {killed / max(len(runs), 1):.1%} ({killed} of {len(runs)} mutants killed)"]
    lines += ["", "## Killed only by the sweep", ""]
    lucky = [m for m in found if m.verdict == "killed by the sweep"]
    lines += [_line(m) for m in lucky] or ["None: the first student's draws kill every one of them."]
    lines += ["", "## Equivalent mutants", ""]
    equivalent = [m for m in found if m.verdict == "equivalent"]
    lines += [_line(m) for m in equivalent] or ["None."]
    return "\n".join(lines) + "\n"


def _line(m: Mutant) -> str:
    change = m.diff.replace("\n", " / ").replace("|", "\\|")
    return f"- `{m.solution}/{m.exercise}` ({m.operator} #{m.occurrence}): `{change}`"


def write_report(course: Course, assignment: Assignment) -> Path:
    """Run every mutant and rewrite the assignment's mutation report."""
    path = report_file(assignment)
    path.write_text(render(course, assignment, run_mutants(course, assignment)))
    return path


def recorded_fingerprint(assignment: Assignment) -> str:
    """The fingerprint the committed report was made from ("" if there is none)."""
    path = report_file(assignment)
    text = path.read_text() if path.is_file() else ""
    return next((ln.split(": ", 1)[1] for ln in text.splitlines() if ln.startswith("fingerprint: ")), "")
