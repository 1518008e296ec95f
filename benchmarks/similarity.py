"""Time the similarity report on a generated class and say whether it found the planted copies;
asserts nothing.

    .venv/bin/python benchmarks/similarity.py [--students 500] [--copies 25] [--seed 0]

Each student's solution of each exercise is drawn from the reference and the catalog (its
mistakes and valid styles), with a helper of its own (``tests.helpers.personal``);
``--copies`` students copy another student's whole notebook, disguised (variables renamed,
helpers reordered, comments changed: ``tests.helpers.disguise``).
The target (issue #20): a class of 500 in under a minute on 2 cores, every planted copy found
and no other pair listed.
"""

import argparse
import itertools
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autograder.catalog.mistakes import mistakes, valid_styles  # noqa: E402
from autograder.course.layout import Course  # noqa: E402
from autograder.engine.notebook import read_notebook  # noqa: E402
from autograder.grading.references import reference_sources  # noqa: E402
from autograder.reports.similarity import find_pairs  # noqa: E402
from tests.helpers import disguise, personal  # noqa: E402

KIT = Course(REPO)


def generated_class(name: str, students: int, copies: int, seed: int):
    """student -> exercise -> source, and the planted pairs (an original and a copy, or two copies of one)."""
    assignment, gen = KIT.assignment(name), random.Random(seed)
    reference = reference_sources(KIT, assignment)
    pool = {e: [reference[e]] * 6 for e in assignment.exercise_names}  # most write the usual code
    for m in mistakes(assignment).values():
        pool[m.exercise].append(m.source)
    for answers in valid_styles(assignment).values():
        for e, src in answers.items():
            if e in pool:
                pool[e].append(src)
    code = {
        f"s{i:03}": {e: gen.choice(pool[e]) + personal(gen) for e in pool} for i in range(students - copies)
    }
    rings: dict[str, list[str]] = {}  # an original and its copies: each pair of them is alike
    honest = sorted(code)
    for i in range(copies):
        original = gen.choice(honest)
        copy = f"copy{i:03}"
        code[copy] = {e: disguise(src) for e, src in code[original].items()}
        rings.setdefault(original, [original]).append(copy)
    planted = {pair for ring in rings.values() for pair in itertools.combinations(sorted(ring), 2)}
    return assignment, code, planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--copies", type=int, default=25)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for name in [a.name for a in KIT.assignments()]:
        assignment, code, planted = generated_class(name, args.students, args.copies, args.seed)
        release = read_notebook(KIT.release_notebook(name))
        start = time.perf_counter()
        pairs = find_pairs(assignment, code, release)
        took = time.perf_counter() - start
        listed = {p.students for p in pairs}
        print(
            f"{name}: {len(code)} students, {len(assignment.exercise_names)} exercises: {took:.1f} s; "
            f"planted copies found {len(planted & listed)} of {len(planted)}; "
            f"other pairs listed {len(listed - planted)}"
        )


if __name__ == "__main__":
    main()
