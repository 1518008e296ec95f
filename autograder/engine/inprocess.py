"""Grading in this process, without a sandbox: the self-check and the reference solutions.

Only for code the caller trusts (a learner checking their own notebook, the instructor's
source notebook); a class is graded by ``autograder.engine.judge`` with every submission's
code in a sandbox.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from autograder.course.assignment import Assignment
from autograder.engine.checks import run_checks
from autograder.engine.draws import Identity
from autograder.engine.notebook import Node, solution_sources
from autograder.engine.result import ExerciseResult, SubmissionResult


def load_functions(nb: Node, assignment: Assignment) -> tuple[dict[str, Callable], dict[str, str]]:
    """Run each solution cell on its own and collect the function it defines.

    Returns:
        ``(functions, problems)``: the functions found, and for each exercise without one
        a sentence saying why (cell missing, raised an error, did not define the function).
    """
    import numpy as np

    from autograder.quiet import import_keras_quietly

    keras = import_keras_quietly()
    sources = solution_sources(nb, assignment.exercise_names)
    functions: dict[str, Callable] = {}
    problems: dict[str, str] = {}
    for name in assignment.exercise_names:
        if name not in sources:
            problems[name] = f"the notebook has no cell with grade_id '{name}' (was it deleted?)"
            continue
        namespace: dict[str, Any] = {"np": np, "numpy": np, "keras": keras}
        try:
            exec(compile(sources[name], f"<cell {name}>", "exec"), namespace)
        except BaseException as exc:  # a student's cell may raise anything, SystemExit included
            problems[name] = f"the cell defining {name} raised {type(exc).__name__}: {exc}"
            continue
        if not callable(namespace.get(name)):
            problems[name] = f"the cell with grade_id '{name}' does not define a function {name}"
            continue
        functions[name] = namespace[name]
    return functions, problems


def grade_functions(
    assignment: Assignment,
    functions: dict[str, Callable],
    problems: dict[str, str],
    identity: Identity,
    source_data: Path,
    only: str | None = None,
) -> SubmissionResult:
    """Grade loaded functions (every exercise, or ``only`` one) for ``identity``."""
    exercises = []
    for spec in assignment.exercises:
        if only is not None and spec.name != only:
            continue
        if spec.name in problems:
            exercises.append(ExerciseResult(spec.name, spec.points, problem=problems[spec.name]))
        else:
            exercises.append(run_checks(assignment, spec.name, functions[spec.name], identity, source_data))
    return SubmissionResult(assignment.name, identity.student, exercises)
