"""An assignment's catalog, read and graded: its typical mistakes (``catalog/mistakes/``, one
wrong function per file, written as a student would: its docstring names the misconception,
``EXPECTED_HINT`` what its feedback must say, ``CAUSES`` the misconceptions of ``causes.toml``
it shows, its own name unless it says otherwise) and its valid styles (``catalog/valid/``:
correct answers in other styles, each worth full marks), graded in this process as
``autograder check`` grades."""

import ast
from dataclasses import dataclass

from autograder.course.layout import Course
from autograder.engine.answers import build_submission, sources_from_file
from autograder.engine.inprocess import grade_functions, load_functions
from autograder.engine.notebook import read_notebook
from autograder.engine.plan import make_plan
from autograder.engine.result import ExerciseResult, SubmissionResult
from autograder.grading.references import reference_sources
from autograder.model.assignment import Assignment
from autograder.model.draws import Identity

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
