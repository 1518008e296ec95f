"""``autograder kill-matrix``: an assignment's catalog of typical mistakes and valid styles,
graded, and the kill matrix that records which check catches which mistake (the hidden ones,
and the notebook's visible check cells).

An assignment's ``catalog/mistakes/`` holds one wrong function per file, written as a student
would write it; its docstring names the misconception and ``EXPECTED_HINT`` is what its
feedback must say. ``catalog/valid/`` holds correct answers in other styles; each must earn
full marks. ``kill_matrix.md`` beside them is generated from a fresh grading.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

from autograder.course.assignment import Assignment
from autograder.course.layout import Course
from autograder.course.scratch import build_submission, reference_sources, sources_from_file
from autograder.engine.draws import Identity
from autograder.engine.inprocess import grade_functions, load_functions
from autograder.engine.notebook import read_notebook
from autograder.engine.plan import make_plan
from autograder.engine.result import ExerciseResult, SubmissionResult
from autograder.engine.visible import VisibleChecks
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


def _constant(tree: ast.Module, name: str) -> str:
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == name:
            return node.value.value
    raise LookupError(name)


def mistakes(assignment: Assignment) -> dict[str, Mistake]:
    """Every catalogued mistake of ``assignment``, by name."""
    found = {}
    for path in sorted((assignment.folder / "catalog" / "mistakes").glob("*.py")):
        tree = ast.parse(path.read_text())
        ((exercise, source),) = sources_from_file(path).items()
        doc = ast.get_docstring(tree).removeprefix("Misconception: ").rstrip(".")
        found[path.stem] = Mistake(path.stem, exercise, source, doc, _constant(tree, "EXPECTED_HINT"))
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


def visible_verdicts(course: Course, assignment: Assignment) -> dict[str, dict[str, str]]:
    """What the release's visible check cells say of every catalog entry (each mistake by its
    name, each valid style as ``valid_<name>``): exercise -> "" where the cell passes, else what
    it raised."""
    release = read_notebook(course.release_notebook(assignment.name))
    checks = VisibleChecks(
        assignment, release, reference_sources(course, assignment), course.release_dir(assignment.name)
    )
    said = {m.name: checks.verdict({m.exercise: m.source}) for m in mistakes(assignment).values()}
    return said | {f"valid_{s}": checks.verdict(answers) for s, answers in valid_styles(assignment).items()}


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
        "the hint column is the first hint its feedback shows. The **visible** column marks the",
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
        lines += ["", "| mistake | first hint shown | the visible check cell says |", "|---|---|---|"]
        for m in rows:
            shown = results[m.name].failed[0].hint if results[m.name].failed else results[m.name].problem
            hint = shown.replace("|", "\\|")
            said = clean(visible[m.name][exercise], 160).replace("|", "\\|") or "(passes)"
            lines.append(f"| {m.name} | {hint} | {said} |")
    return "\n".join(lines) + "\n"


def write_kill_matrix(course: Course, assignment: Assignment) -> Path:
    """Grade the catalog, run the visible checks on it, and rewrite the assignment's kill matrix."""
    path = kill_matrix_file(assignment)
    results = grade_catalog(course, assignment)
    path.write_text(kill_matrix(assignment, results, visible_verdicts(course, assignment)))
    return path
