"""Grade a generated class with `autograder grade`, then compare the class report's
misconception counts with what was planted, and the similarity report's pairs with the planted
copies; prints the figures, asserts nothing.

    .venv/bin/python benchmarks/class_report.py [--students 200] [--assignment keras_weights]

Each student leaves an exercise untouched with probability 0.05, else makes one of the
catalog's mistakes with probability 0.3 (drawn uniformly), else writes the reference, and adds
a helper of its own (``tests.helpers.personal``); 5 % copy another student's notebook,
disguised (``tests.helpers.disguise``), and inherit its mistakes.
"""

import argparse
import itertools
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autograder.catalog.mistakes import mistakes  # noqa: E402
from autograder.dev.scratch import add_submission, make_course  # noqa: E402
from autograder.engine.answers import build_submission  # noqa: E402
from autograder.engine.notebook import read_notebook  # noqa: E402
from autograder.grading.references import reference_sources  # noqa: E402
from tests.helpers import disguise, personal  # noqa: E402


def plant(assignment, reference: dict, students: int, seed: int):
    """student -> answers, the causes planted per student, and the pairs planted alike (an
    original and a copy, or two copies of one)."""
    gen, catalog = random.Random(seed), mistakes(assignment)
    by_exercise = {e: [m for m in catalog.values() if m.exercise == e] for e in assignment.exercise_names}
    answers, causes, rings = {}, {}, {}
    copying = max(1, students // 20)
    for i in range(students - copying):
        student, mine, shown = f"s{i:03}", dict(reference), set()
        for e in assignment.exercise_names:
            roll = gen.random()
            if roll < 0.05:
                del mine[e]
            elif roll < 0.35:
                m = gen.choice(by_exercise[e])
                mine[e], shown = m.source, shown | set(m.causes)
            if e in mine:
                mine[e] += personal(gen)
        answers[student], causes[student] = mine, shown
    honest = sorted(answers)
    for i in range(copying):
        original, copy = gen.choice(honest), f"copy{i:03}"
        answers[copy] = {e: disguise(src) for e, src in answers[original].items()}
        causes[copy] = causes[original]
        rings.setdefault(original, [original]).append(copy)
    copies = {pair for ring in rings.values() for pair in itertools.combinations(sorted(ring), 2)}
    return answers, causes, copies


def timed(course, *command: str) -> float:
    """Run ``autograder <command>`` in the course; return its wall time (s)."""
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "autograder", *command]
    subprocess.run(cmd, cwd=course.root, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--assignment", default="keras_weights")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        course = make_course(Path(tmp) / "course", (args.assignment,))
        assignment = course.assignment(args.assignment)
        release = read_notebook(course.release_notebook(args.assignment))
        answers, planted, copies = plant(
            assignment, reference_sources(course, assignment), args.students, args.seed
        )
        for student, mine in answers.items():
            add_submission(course, args.assignment, student, build_submission(mine, release))
        graded = timed(course, "grade", args.assignment)
        compared = timed(course, "similarity", args.assignment)
        report = json.loads((course.reports_dir(args.assignment) / "analytics.json").read_text())
        shown = {m["id"]: set(m["students"]) for m in report["misconceptions"]}
        want = Counter(c for cs in planted.values() for c in cs)
        wrong = {
            c: (n, len(shown.get(c, ())))
            for c, n in want.items()
            if set(shown.get(c, ())) != {s for s, cs in planted.items() if c in cs}
        }
        extra = sorted(set(shown) - set(want))
        page = (course.reports_dir(args.assignment) / "similarity.html").read_text()
        found = sum(f"{a} and {b}</a>" in page for a, b in copies)
        print(
            f"{args.assignment}: {len(answers)} students graded in {graded:.0f} s; "
            f"{len(want)} misconceptions planted ({sum(want.values())} times): "
            f"{len(want) - len(wrong)} counted exactly, {len(wrong)} not {wrong or ''}, "
            f"{len(extra)} reported that were not planted {extra or ''}"
        )
        print(
            f"similarity: {compared:.1f} s; planted copies found {found} of {len(copies)}; "
            f"pairs listed {page.count('<tr><td><a ')}"
        )


if __name__ == "__main__":
    main()
