"""Grade the reference and the whole catalog N times (default 20) and report whether every
score and verdict came out identical; prints the figures, asserts nothing.

    .venv/bin/python benchmarks/stability.py [--repeats 20]
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the catalog lives in tests/

from autograder.exercises import EXERCISES  # noqa: E402
from autograder.reference import reference_functions
from autograder.runner import run_checks
from tests.catalog import CATALOG_IDENTITY, define, mistakes, valid_styles


def entries() -> list[tuple[str, str, object]]:
    """(label, exercise, function) for the reference, every mistake and every valid style."""
    items = [(f"reference/{e}", e, f) for e, f in reference_functions().items()]
    items += [(m.name, m.exercise, define(m.exercise, m.source)) for m in mistakes().values()]
    for name, answers in valid_styles().items():
        items += [(f"{name}/{e}", e, define(e, src)) for e, src in answers.items()]
    return items


def verdicts(items) -> dict[str, tuple]:
    out = {}
    for label, exercise, func in items:
        report = run_checks(exercise, func, CATALOG_IDENTITY)
        out[label] = (report.points, tuple(r.passed for r in report.results))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    items = entries()
    start = time.perf_counter()
    first = verdicts(items)
    differing: set[str] = set()
    for _ in range(args.repeats - 1):
        again = verdicts(items)
        differing |= {k for k in first if again[k] != first[k]}
    seconds = time.perf_counter() - start
    print(
        f"graded {len(items)} functions ({len(EXERCISES)} exercises) {args.repeats} times "
        f"in {seconds:.0f} s ({seconds / args.repeats:.1f} s a round)"
    )
    print(
        f"functions whose score or verdicts changed between rounds: {len(differing)}"
        + (f" ({', '.join(sorted(differing))})" if differing else "")
    )


if __name__ == "__main__":
    main()
