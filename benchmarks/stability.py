"""Grade the reference and the whole catalog N times (default 20) and report whether every
score and verdict came out identical; prints the figures, asserts nothing.

    .venv/bin/python benchmarks/stability.py [--repeats 20]
"""

import argparse
import time

from autograder.commands.catalog import CATALOG_IDENTITY, define, mistakes, valid_styles
from autograder.course.layout import KIT_ROOT, Course
from autograder.engine.checks import run_checks
from autograder.engine.inprocess import load_functions
from autograder.engine.notebook import read_notebook

KIT = Course(KIT_ROOT)


def entries(assignment) -> list[tuple[str, str, object]]:
    """(label, exercise, function) for the reference, every mistake and every valid style."""
    reference = load_functions(read_notebook(KIT.source_notebook(assignment.name)), assignment)[0]
    items = [(f"reference/{e}", e, f) for e, f in reference.items()]
    items += [(m.name, m.exercise, define(m.exercise, m.source)) for m in mistakes(assignment).values()]
    for name, answers in valid_styles(assignment).items():
        items += [(f"{name}/{e}", e, define(e, src)) for e, src in answers.items()]
    return [(f"{assignment.name}:{label}", e, f) for label, e, f in items]


def verdicts(assignment, items) -> dict[str, tuple]:
    out = {}
    for label, exercise, func in items:
        result = run_checks(assignment, exercise, func, CATALOG_IDENTITY, KIT.source_data_dir())
        out[label] = (result.points, tuple(c.passed for c in result.checks))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    assignments = KIT.assignments()
    items = {a: entries(a) for a in assignments}
    start = time.perf_counter()
    first = {k: v for a in assignments for k, v in verdicts(a, items[a]).items()}
    differing: set[str] = set()
    for _ in range(args.repeats - 1):
        again = {k: v for a in assignments for k, v in verdicts(a, items[a]).items()}
        differing |= {k for k in first if again[k] != first[k]}
    seconds = time.perf_counter() - start
    exercises = sum(len(a.exercises) for a in assignments)
    print(
        f"graded {len(first)} functions ({len(assignments)} assignments, {exercises} exercises) "
        f"{args.repeats} times in {seconds:.0f} s ({seconds / args.repeats:.1f} s a round)"
    )
    print(
        f"functions whose score or verdicts changed between rounds: {len(differing)}"
        + (f" ({', '.join(sorted(differing))})" if differing else "")
    )


if __name__ == "__main__":
    main()
