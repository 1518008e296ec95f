"""``autograder kill-matrix``: an assignment's catalog of typical mistakes and valid styles,
graded, and the kill matrix that records which check catches which mistake (the hidden ones,
and the notebook's visible check cells).

An assignment's ``catalog/mistakes/`` holds one wrong function per file, written as a student
would write it; its docstring names the misconception and ``EXPECTED_HINT`` is what its
feedback must say; ``CAUSES`` the misconceptions (``causes.toml``) it shows, its own name
unless it says otherwise. ``catalog/valid/`` holds correct answers in other styles; each must earn
full marks. ``kill_matrix.md`` beside them is generated from a fresh grading, and so is the
course's ``source_data/hints_<assignment>.json``: what each mistake gives at the visible check
that fails it, with the hint the hidden checks give it, for the check cells to show.
"""

import ast
import json
from dataclasses import dataclass
from pathlib import Path

from autograder.course.layout import Course
from autograder.course.scratch import build_submission, reference_sources, sources_from_file
from autograder.engine.inprocess import grade_functions, load_functions
from autograder.engine.notebook import read_notebook
from autograder.engine.plan import make_plan
from autograder.engine.result import ExerciseResult, SubmissionResult
from autograder.engine.visible import VisibleChecks
from autograder.model.assignment import Assignment
from autograder.model.draws import Identity
from autograder.text import clean

#: The course secret the catalog is graded under; each entry is graded as the student named
#: after it (any fixed identity would do: verdicts must not depend on it).
CATALOG_SECRET = "catalog"


@dataclass(frozen=True)
class Mistake:
    """One wrong answer: which exercise, its code, the misconception and the hint it must earn."""

    name: str
    exercise: str
    source: str
    misconception: str
    expected_hint: str
    causes: tuple[str, ...]  # the ids (causes.toml) its feedback must name


def _constant(tree: ast.Module, name: str, default: object = LookupError) -> object:
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == name:
            return ast.literal_eval(node.value)
    if default is LookupError:
        raise LookupError(name)
    return default


def mistakes(assignment: Assignment) -> dict[str, Mistake]:
    """Every catalogued mistake of ``assignment``, by name."""
    found = {}
    for path in sorted((assignment.folder / "catalog" / "mistakes").glob("*.py")):
        tree = ast.parse(path.read_text())
        ((exercise, source),) = sources_from_file(path).items()
        doc = ast.get_docstring(tree).removeprefix("Misconception: ").rstrip(".")
        causes = tuple(_constant(tree, "CAUSES", (path.stem,)))
        found[path.stem] = Mistake(path.stem, exercise, source, doc, _constant(tree, "EXPECTED_HINT"), causes)
    return found


def valid_styles(assignment: Assignment) -> dict[str, dict[str, str]]:
    """Every catalogued correct answer of ``assignment``: name -> {exercise: source}."""
    return {
        p.stem: sources_from_file(p) for p in sorted((assignment.folder / "catalog" / "valid").glob("*.py"))
    }


def grade_answers(
    course: Course, assignment: Assignment, answers: dict[str, str], identity: Identity
) -> SubmissionResult:
    """Grade, in this process as ``autograder check`` does, the release with the reference
    solutions and then ``answers`` in their cells (helpers in a cell of their own); only the
    exercises ``answers`` holds are graded."""
    release = read_notebook(course.release_notebook(assignment.name))
    references = reference_sources(course, assignment)  # the cells around, and any stand-in helper
    nb = build_submission({**references, **answers}, release)
    plan = make_plan(nb, release, assignment)
    functions, problems = load_functions(plan, assignment, course.release_dir(assignment.name))
    data, cells = course.source_data_dir(), plan.cells
    graded = [
        grade_functions(assignment, functions, problems, identity, data, e, cells, references)
        for e in assignment.exercise_names
        if e in answers
    ]
    results = [r.exercises[0] for r in graded]
    return SubmissionResult(assignment.name, identity.student, results)


def grade_catalog(course: Course, assignment: Assignment) -> dict[str, ExerciseResult]:
    """Grade every catalogued mistake (its exercise only), each as the student named after it."""
    return {
        m.name: grade_answers(
            course, assignment, {m.exercise: m.source}, Identity(CATALOG_SECRET, m.name)
        ).exercises[0]
        for m in mistakes(assignment).values()
    }


def kill_matrix_file(assignment: Assignment) -> Path:
    return assignment.folder / "kill_matrix.md"


Verdicts = dict[str, dict[str, str]]
Seen = dict[str, list[tuple[str, dict]]]


def visible_run(course: Course, assignment: Assignment) -> tuple[Verdicts, Seen]:
    """What the release's visible check cells say of every catalog entry (each mistake by its
    name, each valid style as ``valid_<name>``): exercise -> "" where the cell passes, else what
    it raised; and, per mistake, the (exercise, signature) of each value a failing check cell
    asked a hint for."""
    release = read_notebook(course.release_notebook(assignment.name))
    checks = VisibleChecks(
        assignment, release, reference_sources(course, assignment), course.release_dir(assignment.name)
    )
    said, seen = {}, {}
    for m in mistakes(assignment).values():
        said[m.name] = checks.verdict({m.exercise: m.source})
        seen[m.name] = checks.seen
    said |= {f"valid_{s}": checks.verdict(answers) for s, answers in valid_styles(assignment).items()}
    return said, seen


def visible_verdicts(course: Course, assignment: Assignment) -> Verdicts:
    """What the release's visible check cells say of every catalog entry (``visible_run``)."""
    return visible_run(course, assignment)[0]


def hints_file(course: Course, assignment: Assignment) -> Path:
    return course.source_data_dir() / f"hints_{assignment.name}.json"


def cause(mistake: Mistake, result: ExerciseResult) -> str:
    """The hidden checks' hint for ``mistake`` without what the check saw: the known cause of
    what it raised, or the hint from the clause that holds its expected hint to the end; ""
    where no failing check's says it."""
    for check in result.failed:
        if mistake.expected_hint in check.cause:  # the known cause of what the function raised
            return check.cause
        at = check.hint.find(mistake.expected_hint)
        if at >= 0:
            start = max(check.hint.rfind(": ", 0, at), check.hint.rfind("; ", 0, at))
            return check.hint[start + 2 if start >= 0 else 0 :]
    return ""


def visible_hints(
    assignment: Assignment, results: dict[str, ExerciseResult], seen: Seen
) -> dict[str, list[dict]]:
    """exercise -> the signatures a visible check meets for a known mistake, each with that
    mistake's hint; a signature two mistakes with different hints share is left out."""
    hints: dict[tuple[str, str], set[str]] = {}
    for m in mistakes(assignment).values():
        phrase = cause(m, results[m.name])
        for exercise, signature in seen[m.name]:
            if phrase and exercise == m.exercise:
                hints.setdefault((exercise, json.dumps(signature, sort_keys=True)), set()).add(phrase)
    table: dict[str, list[dict]] = {}
    for (exercise, signature), phrases in sorted(hints.items()):
        if len(phrases) == 1:
            table.setdefault(exercise, []).append({"signature": json.loads(signature), "hint": phrases.pop()})
    return table


def hints_json(table: dict[str, list[dict]]) -> str:
    return json.dumps(table, indent=1, sort_keys=True) + "\n"


def kill_matrix(
    assignment: Assignment, results: dict[str, ExerciseResult], visible: dict[str, dict[str, str]]
) -> str:
    """Render which check catches which mistake, whether the notebook's visible checks do, and
    the hint each mistake is shown."""
    catalog = mistakes(assignment)
    lines = [
        f"# Kill matrix of {assignment.name}: which hidden check catches which typical mistake",
        "",
        f"Generated by `autograder kill-matrix {assignment.name}` (a test fails when it is stale).",
        "Each row is a wrong submission from `catalog/mistakes/`, graded with the hidden checks;",
        "**x** marks a check that fails it. Every mistake scores less than full on its exercise;",
        "the hint column is the first hint its feedback shows, and the causes its feedback names",
        "(the ids of `causes.toml`, which the class reports count). The **visible** column marks the",
        "mistakes the notebook's own check cell already catches, and the last column says what",
        "that cell says of each. Every valid style of `catalog/valid/` passes the check cells.",
    ]
    from autograder.commands.mutation import recorded_score  # it grades with this module

    score = recorded_score(assignment)
    if score:
        lines += ["", f"Mutation testing of the same checks ([mutation.md](mutation.md)): {score}."]
    for exercise in assignment.exercise_names:
        rows = [m for m in catalog.values() if m.exercise == exercise]
        checks = [c.name for c in max((results[m.name] for m in rows), key=lambda r: len(r.checks)).checks]
        lines += ["", f"## {exercise}", ""]
        header = ["mistake", "misconception", "points", *(c.removeprefix("test_") for c in checks), "visible"]
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for m in rows:
            result = results[m.name]
            marks = ["x" if not c.passed else "" for c in result.checks] or ["x"] * len(checks)  # not run
            marks.append("x" if visible[m.name][exercise] else "")
            points = f"{result.points:g}/{result.max_points:g}"
            lines.append("| " + " | ".join([m.name, m.misconception, points, *marks]) + " |")
        lines += [
            "",
            "| mistake | causes named | first hint shown | the visible check cell says |",
            "|---|---|---|---|",
        ]
        for m in rows:
            shown = results[m.name].failed[0].hint if results[m.name].failed else results[m.name].problem
            hint = shown.replace("|", "\\|")
            said = clean(visible[m.name][exercise], 160).replace("|", "\\|") or "(passes)"
            named = ", ".join(results[m.name].cause_ids) or "none"
            lines.append(f"| {m.name} | {named} | {hint} | {said} |")
    return "\n".join(lines) + "\n"


def write_kill_matrix(course: Course, assignment: Assignment) -> Path:
    """Release the assignment, grade the catalog, run the visible checks on it, rewrite the
    hints they show and release them, then rewrite the kill matrix with what the check cells
    now say."""
    from autograder.commands.release import release  # the hints travel with the release

    path = kill_matrix_file(assignment)
    release(course, assignment.name)  # the check cells as the source notebook has them now
    results = grade_catalog(course, assignment)
    _, seen = visible_run(course, assignment)
    hints_file(course, assignment).write_text(hints_json(visible_hints(assignment, results, seen)))
    release(course, assignment.name)
    path.write_text(kill_matrix(assignment, results, visible_verdicts(course, assignment)))
    return path
