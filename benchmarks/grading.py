"""Grade 40 submissions with `nbgrader autograde` and with `autograder grade` in one run and
print the figures the README reports; asserts nothing (timings belong here, not in tests).

    .venv/bin/python benchmarks/grading.py [--students 40] [--jobs 2]

Prints: each command's wall time and their ratio, the marginal wall time per submission of
`autograder grade` (from a run on a fifth of the class), that time divided by the time of
`python -c "import keras"` measured in the same run, peak memory (of the whole run, and that
divided by the number of workers), and whether honest submissions got identical scores from both.
"""

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from autograder.commands.catalog import mistakes
from autograder.course import gradebook
from autograder.course.layout import Course
from autograder.course.scratch import add_submission, build_submission, make_course, reference_sources
from autograder.engine.notebook import read_notebook

ASSIGNMENT = "keras_weights"


def build_class(course: Course, students: int) -> None:
    """A mix: every fourth submission correct, one untouched, the rest catalogued mistakes."""
    assignment = course.assignment(ASSIGNMENT)
    reference = reference_sources(course, assignment)
    released = read_notebook(course.release_notebook(ASSIGNMENT))
    wrong = list(mistakes(assignment).values())
    for i in range(students):
        if i % 4 == 0:
            answers = reference
        elif i == 1:
            answers = {}
        else:
            m = wrong[i % len(wrong)]
            answers = {**reference, m.exercise: m.source}
        add_submission(course, ASSIGNMENT, f"s{i:03d}", build_submission(answers, released))


@dataclass
class Memory:
    """Peak proportional memory (PSS, MB) of a command's process tree."""

    total: float = 0.0  # the largest sum over all its processes at one moment
    largest: dict[str, float] = field(default_factory=dict)  # the largest single process per kind


KINDS = {
    "spawn_main": "judge (checks)",
    "worker.py keras": "sandbox, Keras",
    "worker.py numpy": "sandbox, NumPy only",
}


def _sample(root: psutil.Process, memory: Memory) -> None:
    total = 0.0
    for p in [root, *root.children(recursive=True)]:
        try:
            # PSS: a page shared by n processes (TensorFlow's libraries, forked children)
            # counts 1/n in each, so the sum over processes is what the machine really holds.
            mb = p.memory_full_info().pss / 2**20
            label = " ".join(p.cmdline())
        except psutil.Error:
            continue
        total += mb
        for key, kind in KINDS.items():
            if key in label and not label.startswith("bwrap"):
                memory.largest[kind] = max(mb, memory.largest.get(kind, 0.0))
    memory.total = max(memory.total, total)


def timed(cmd: list[str], cwd: Path) -> tuple[float, Memory]:
    """Run ``cmd``; return its wall time and the peak memory of its process tree."""
    memory = Memory()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = threading.Event()

    def watch() -> None:
        root = psutil.Process(proc.pid)
        while not done.is_set():
            _sample(root, memory)
            time.sleep(0.2)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    proc.wait()
    done.set()
    thread.join()
    return time.perf_counter() - start, memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    py = sys.executable
    keras_import, _ = timed([py, "-c", "import keras"], Path.cwd())
    with tempfile.TemporaryDirectory() as tmp:
        course = make_course(Path(tmp) / "course", (ASSIGNMENT,), "benchmark")
        build_class(course, args.students)
        spec = course.assignment(ASSIGNMENT)
        nb_time, _ = timed([py, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force"], course.root)
        nb_scores = gradebook.scores(course, spec)
        grade = [py, "-m", "autograder", "grade", ASSIGNMENT, "--force", "--jobs", str(args.jobs)]
        ag_time, memory = timed(grade, course.root)
        ag_scores = gradebook.scores(course, spec)
        small = make_course(Path(tmp) / "small", (ASSIGNMENT,), "benchmark")
        build_class(small, max(args.students // 5, 2))
        small_time, _ = timed(grade, small.root)
    same = nb_scores == ag_scores
    marginal = (ag_time - small_time) / (args.students - max(args.students // 5, 2))
    print(f"submissions: {args.students}, jobs: {args.jobs}")
    print(f"python -c 'import keras':  {keras_import:6.1f} s")
    print(f"nbgrader autograde:        {nb_time:6.1f} s")
    print(f"autograder grade:          {ag_time:6.1f} s   ({nb_time / ag_time:.1f}x faster)")
    print(
        f"marginal time per submission: {marginal:.2f} s = {marginal / keras_import:.2f} x one keras import"
    )
    print(f"identical scores for all {len(nb_scores)} submissions: {same}")
    print(f"peak memory (PSS) of the whole run, {args.jobs} workers: {memory.total:6.0f} MB")
    print(f"  per worker (whole run / jobs):        {memory.total / args.jobs:6.0f} MB")
    for kind, mb in memory.largest.items():
        print(f"  largest single {kind:<22} {mb:6.0f} MB")


if __name__ == "__main__":
    main()
