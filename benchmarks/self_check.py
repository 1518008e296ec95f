"""Time `autograder check` on the reference solutions against `python -c "import keras"`,
interleaved in one run, and print the medians and their ratio; asserts nothing.

    .venv/bin/python benchmarks/self_check.py [--repeats 7] [--assignments NAME ...]

The target (issue #5) is a ratio under 1.5: a learner's self-check should cost little more
than loading Keras, which any check of Keras code must pay.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autograder.course.layout import Course  # noqa: E402

KIT = Course(REPO)


def wall(cmd: list[str], cwd: str) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--assignments", nargs="*", default=[a.name for a in KIT.assignments()])
    args = parser.parse_args()
    py = sys.executable
    commands = {'python -c "import keras"': [py, "-c", "import keras"]}
    for name in args.assignments:
        for what, notebook in (
            ("reference", KIT.source_notebook(name)),
            ("untouched", KIT.release_notebook(name)),
        ):
            commands[f"check {name}, {what}"] = [py, "-m", "autograder", "check", str(notebook)]
    times: dict[str, list[float]] = {label: [] for label in commands}
    codes: dict[str, set[int]] = {label: set() for label in commands}
    with tempfile.TemporaryDirectory() as cwd:  # no course secret here: the public draws
        for _ in range(args.repeats):
            for label, cmd in commands.items():
                seconds, code = wall(cmd, cwd)
                times[label].append(seconds)
                codes[label].add(code)
    keras = statistics.median(times['python -c "import keras"'])
    print(f"median of {args.repeats} runs each, interleaved:")
    for label, values in times.items():
        med = statistics.median(values)
        print(f"  {label:<36} {med:5.2f} s  = {med / keras:.2f}x   exit {sorted(codes[label])}")


if __name__ == "__main__":
    main()
