"""Grade the reference and the whole catalog N times (default 20) and report whether every
score and verdict came out identical; prints the figures, asserts nothing.

    .venv/bin/python benchmarks/stability.py [--repeats 20]
"""

import argparse
import time

from autograder.catalog.mistakes import CATALOG_SECRET, grade_answers, mistakes, valid_styles
from autograder.course.layout import KIT_ROOT, Course
from autograder.grading.references import reference_sources
from autograder.model.draws import Identity

KIT = Course(KIT_ROOT)


def entries(assignment) -> dict[str, dict[str, str]]:
    """label -> answers: the reference, every mistake and every valid style."""
    items = {"reference": reference_sources(KIT, assignment)}
    items |= {m.name: {m.exercise: m.source} for m in mistakes(assignment).values()}
    items |= valid_styles(assignment)
    return {f"{assignment.name}:{label}": answers for label, answers in items.items()}


def verdicts(assignment, items) -> dict[str, tuple]:
    """label/exercise -> (points, verdict of each check)."""
    out = {}
    for label, answers in items.items():
        for result in grade_answers(KIT, assignment, answers, Identity(CATALOG_SECRET, label)).exercises:
            out[f"{label}/{result.exercise}"] = (result.points, tuple(c.passed for c in result.checks))
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
