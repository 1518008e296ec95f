"""Grading in this process, without a sandbox: the self-check and the reference solutions.

Only for code the caller trusts (a learner checking their own notebook, the instructor's
source notebook). It runs a notebook as the sandbox does (the plan's cells, in order, in one
namespace) and grades with the same checks, so its verdicts are the sandbox's; a class is
graded by ``autograder.engine.judge`` with every submission's code in a sandbox.
"""

import contextlib
import io
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

from autograder.course.assignment import Assignment
from autograder.engine.checks import run_checks
from autograder.engine.draws import Identity
from autograder.engine.plan import Plan
from autograder.engine.result import ExerciseResult, SubmissionResult
from autograder.quiet import silenced_fds
from autograder.sandbox.kernel import namespace as fresh_namespace
from autograder.text import clean


def run_cells(plan: Plan, folder: Path) -> tuple[dict, dict[int, str]]:
    """Run the plan's cells in one fresh namespace, from ``folder`` (the notebook's own, so
    its helper files import), with what they print discarded.

    Returns:
        ``(namespace, errors)``: what the cells defined, and what each failing cell raised.
    """
    names, errors = fresh_namespace(), {}
    saved_cwd, saved_path = os.getcwd(), list(sys.path)
    try:
        os.chdir(folder)
        sys.path.insert(0, str(folder))
        with (
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()),
            silenced_fds(),
        ):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for i, source in enumerate(plan.cells):
                    try:
                        exec(compile(source, f"<cell {i}>", "exec"), names)
                    except BaseException as exc:  # a cell may raise anything, SystemExit included
                        errors[i] = f"{clean(type(exc).__name__, 60)}: {clean(exc)}"
    finally:
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
    return names, errors


def load_functions(
    plan: Plan, assignment: Assignment, folder: Path
) -> tuple[dict[str, Callable], dict[str, str]]:
    """Run the notebook and collect each exercise's function.

    Returns:
        ``(functions, problems)``: the functions found, and for each exercise without one
        a sentence saying why.
    """
    names, errors = run_cells(plan, folder)
    functions, problems = {}, {}
    for name in assignment.exercise_names:
        if callable(names.get(name)):
            functions[name] = names[name]
        else:
            problems[name] = plan.undefined(name, errors, {})
    return functions, problems


def load_notebook(path: Path, assignment: Assignment) -> tuple[dict[str, Callable], dict[str, str]]:
    """Run the notebook at ``path`` (a learner's own: its own setup cell) and collect its functions."""
    from autograder.engine.notebook import read_notebook
    from autograder.engine.plan import make_plan

    nb = read_notebook(path)
    return load_functions(
        make_plan(nb, nb, assignment, flag_copies=False), assignment, Path(path).resolve().parent
    )


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
