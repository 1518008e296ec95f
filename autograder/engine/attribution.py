"""One mistake costs one exercise: a function that calls another exercise's function (as a
notebook may invite: a training loop calling the student's own gradients) is graded with the
student's own helper; where that helper fails its own checks and the function loses points,
it is graded again with the reference helper in its place, and told so.

Every path that grades (the sandbox's judge, ``autograder check`` in this process, a hidden
test cell in a kernel) asks ``helpers_to_blame`` which helpers to replace and ``settle`` which
verdict stands.
"""

import ast
from collections.abc import Iterable

from autograder.engine.result import ExerciseResult


def called_exercises(cells: Iterable[str], exercise: str, exercises: Iterable[str]) -> list[str]:
    """The other exercises whose functions ``exercise``'s function may call, directly or through
    helpers the cells define (read from the code: names used in the function bodies, and
    strings that are names, as in ``globals()["helper"]``)."""
    bodies: dict[str, set[str]] = {}
    for source in cells:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                used = {_name(n) for n in ast.walk(node)} - {None}
                bodies[node.name] = bodies.get(node.name, set()) | used
    reached, frontier = set(), [exercise]
    while frontier:
        for name in bodies.get(frontier.pop(), ()):
            if name not in reached and name != exercise:
                reached.add(name)
                frontier.append(name)
    return [e for e in exercises if e in reached]


def _name(node: ast.AST) -> str | None:
    """The name ``node`` uses, as a variable or as a string naming one."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier():
        return node.value
    return None


def called_in_namespace(namespace: dict, exercise: str, exercises: Iterable[str]) -> list[str]:
    """As ``called_exercises``, read from the functions of a live namespace (a hidden test cell
    in a kernel has no cells, only their namespace): the global names their code uses, and
    its strings that are names."""
    import types

    def used(code: types.CodeType) -> set[str]:
        inner = [c for c in code.co_consts if isinstance(c, types.CodeType)]
        named = {c for c in code.co_consts if isinstance(c, str) and c.isidentifier()}
        return set(code.co_names).union(named, *(used(c) for c in inner))

    reached, frontier = set(), [exercise]
    while frontier:
        func = namespace.get(frontier.pop())
        for name in used(func.__code__) if isinstance(func, types.FunctionType) else ():
            if name not in reached and name != exercise:
                reached.add(name)
                frontier.append(name)
    return [e for e in exercises if e in reached]


def helpers_to_blame(
    called: Iterable[str],
    result: ExerciseResult,
    graded: dict[str, ExerciseResult],
    references: dict[str, str],
) -> list[str]:
    """The helper exercises to replace by their reference to grade ``result``'s exercise again:
    those it calls (``called``) that failed their own checks (``graded``), where it lost points."""
    if result.problem or result.points >= result.max_points:
        return []
    return [h for h in called if h in graded and graded[h].points < graded[h].max_points and h in references]


def settle(result: ExerciseResult, again: ExerciseResult | None, helpers: list[str]) -> ExerciseResult:
    """The verdict that stands: graded ``again`` with the reference ``helpers`` where that earns
    more (the helpers' mistakes are theirs to pay for), else the first, noting the helpers."""
    fail = "fails its own checks" if len(helpers) == 1 else "fail their own checks"
    calls = f"{result.exercise} calls your {' and '.join(helpers)}, which {fail}"
    if again is not None and not again.problem and again.points > result.points:
        reference = " and ".join(f"the reference {h}" for h in helpers)
        again.note = f"{calls}: fix that first; {result.exercise} was graded with {reference} in its place"
        return again
    result.note = f"{calls} (graded with the reference in its place it loses points too)"
    return result
