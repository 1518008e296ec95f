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

from autograder.engine import attribution
from autograder.engine.checks import run_checks
from autograder.engine.plan import Plan
from autograder.engine.result import ExerciseResult, SubmissionResult
from autograder.model.assignment import Assignment
from autograder.model.draws import Identity
from autograder.quiet import silenced_fds
from autograder.sandbox.inside.kernel import namespace as fresh_namespace
from autograder.sandbox.inside.kernel import snapshot
from autograder.text import describe

#: Why a setup cell fails where a learner checks a notebook: it was moved away from its files.
SETUP_ADVICE = (
    "that is the notebook's own setup, not your code, so nothing was checked; keep the notebook "
    "in the folder it was released in, beside its files ({files})"
)


def run_cells(
    plan: Plan, folder: Path, names: dict | None = None, graded: dict[str, dict] | None = None
) -> tuple[dict, dict[int, str]]:
    """Run the plan's cells in one namespace (``names``, else a fresh one), from ``folder``
    (the notebook's own, so its helper files import), with what they print discarded; into
    ``graded``, if given, the namespace as it stands at each exercise's graded cell.

    Returns:
        ``(namespace, errors)``: what the cells defined, and what each failing cell raised.
    """
    names, errors = fresh_namespace() if names is None else names, {}
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
                    _snapshot(plan, i, names, graded)
                    try:
                        exec(compile(source, f"<cell {i}>", "exec"), names)
                    except BaseException as exc:  # a cell may raise anything, SystemExit included
                        errors[i] = describe(exc)
        _snapshot(plan, len(plan.cells), names, graded)
    finally:
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
    return names, errors


def _snapshot(plan: Plan, position: int, names: dict, graded: dict[str, dict] | None) -> None:
    """Keep the namespace for each exercise graded before cell ``position`` (or at the end)."""
    if graded is None:
        return
    for exercise, at in plan.graded_at.items():
        if at == position:
            graded[exercise] = snapshot(names)


def load_functions(
    plan: Plan, assignment: Assignment, folder: Path
) -> tuple[dict[str, Callable], dict[str, str]]:
    """Run the notebook and collect each exercise's function.

    Returns:
        ``(functions, problems)``: the functions found, and for each exercise without one
        a sentence saying why.
    """
    graded: dict[str, dict] = {}
    names, errors = run_cells(plan, folder, graded=graded)
    functions, problems = {}, {}
    setup, _ = plan.setup_failure(errors, {})
    for name in assignment.exercise_names:
        at_its_cell = graded.get(name, names)  # as nbgrader grades it: at its graded cell
        if setup:
            problems[name] = f"{setup}: {SETUP_ADVICE.format(files=', '.join(assignment.data) or 'none')}"
        elif callable(at_its_cell.get(name)):
            functions[name] = at_its_cell[name]
        else:
            problems[name] = plan.undefined(name, errors, {})
    return functions, problems


def load_notebook(
    path: Path, assignment: Assignment
) -> tuple[dict[str, Callable], dict[str, str], tuple[str, ...]]:
    """Run the notebook at ``path`` (a learner's own: its own setup cell) and collect its
    functions; also return the cells that ran."""
    from autograder.engine.notebook import read_notebook
    from autograder.engine.plan import make_plan

    nb = read_notebook(path)
    plan = make_plan(nb, nb, assignment, flag_copies=False)
    return (*load_functions(plan, assignment, Path(path).resolve().parent), plan.cells)


def grade_functions(
    assignment: Assignment,
    functions: dict[str, Callable],
    problems: dict[str, str],
    identity: Identity,
    source_data: Path,
    only: str | None = None,
    cells: tuple[str, ...] = (),
    references: dict[str, str] | None = None,
) -> SubmissionResult:
    """Grade loaded functions (every exercise, or ``only`` one) for ``identity``; a function
    that calls other exercises' functions (read from the notebook's ``cells``) and loses points
    where they fail their own checks is graded again with their ``references`` in their place."""
    names = assignment.exercise_names
    wanted = set(names) if only is None else {only, *attribution.called_exercises(cells, only, names)}
    graded: dict[str, ExerciseResult] = {}
    for exercise in assignment.exercises:
        if exercise.name not in wanted:
            continue
        if exercise.name in problems:
            graded[exercise.name] = ExerciseResult(
                exercise.name, exercise.points, problem=problems[exercise.name]
            )
            continue
        result = run_checks(assignment, exercise.name, functions[exercise.name], identity, source_data)
        called = attribution.called_exercises(cells, exercise.name, names)
        helpers = attribution.helpers_to_blame(called, result, graded, references or {})
        if helpers:
            stand_in = with_references(functions[exercise.name], [references[h] for h in helpers])
            again = (
                run_checks(assignment, exercise.name, stand_in, identity, source_data) if stand_in else None
            )
            result = attribution.settle(result, again, helpers)
        graded[exercise.name] = result
    exercises = [r for name, r in graded.items() if only is None or name == only]
    return SubmissionResult(assignment.name, identity.student, exercises).name_causes(assignment.causes)


def with_references(func: Callable, sources: list[str]) -> Callable | None:
    """``func`` seeing ``sources`` (reference helpers) in place of the student's helpers, or
    None where they cannot run in its namespace."""
    names = getattr(func, "__globals__", None)
    if not isinstance(names, dict):
        return None
    try:
        kept = snapshot(names, tuple(sources))
    except Exception:  # the student's namespace may break even the reference
        return None
    name = next((k for k, v in names.items() if v is func), None)
    return kept.get(name) if name is not None else None
