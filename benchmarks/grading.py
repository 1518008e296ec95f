"""Grade one class several ways in one run and print the figures the README reports; asserts
nothing (timings belong here, not in tests).

    .venv/bin/python benchmarks/grading.py [--assignment keras_weights] [--students 40] [--jobs 2]
        [--modes namespaces,landlock,uid]

The ways, on the same submissions:
* stock ``nbgrader autograde``: nbgrader's own Execute, every notebook in a Jupyter kernel
  with the hidden checks beside the student's code (the baseline the speed target refers to);
* ``nbgrader autograde`` as this kit's course config runs it: through the sandboxed engine;
* ``autograder grade --jobs N --sandbox MODE``: the sandboxed engine, in parallel, once per
  isolation mode (uid needs root and a Python other users can read: run the benchmark under
  ``tests/helpers.readable_python()`` where it lies in a closed folder).

Prints each one's wall time and its ratio to stock; per mode, the marginal wall time per
submission (from a run on a fifth of the class) against one ``import keras`` measured in the
same run, and the cost of isolation itself (starting and ending a submission's sandbox, with
and without its cells); the syscall filter's cost (building and loading it, and a Keras
workload run filtered against unfiltered); peak memory (the whole run at one moment, and that
divided by the number of workers); and whether every way gave every submission identical scores.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from autograder.catalog.mistakes import mistakes
from autograder.course import gradebook
from autograder.course.layout import Course
from autograder.dev.scratch import add_submission, make_course
from autograder.engine.answers import build_submission
from autograder.engine.notebook import read_notebook
from autograder.engine.plan import make_plan
from autograder.grading.judges import private_paths
from autograder.grading.references import reference_sources
from autograder.sandbox.client import Session
from autograder.sandbox.inside import syscalls
from autograder.sandbox.policy import Isolation, Limits
from autograder.sandbox.zygotes import Zygote


def build_class(course: Course, name: str, students: int) -> None:
    """A mix: every fourth submission correct, one untouched, the rest catalogued mistakes."""
    assignment = course.assignment(name)
    reference = reference_sources(course, assignment)
    released = read_notebook(course.release_notebook(name))
    wrong = list(mistakes(assignment).values())
    for i in range(students):
        if i % 4 == 0:
            answers = reference
        elif i == 1:
            answers = {}
        else:
            m = wrong[i % len(wrong)]
            answers = {**reference, m.exercise: m.source}
        add_submission(course, name, f"s{i:03d}", build_submission(answers, released))


def stock_nbgrader(course: Course) -> None:
    """Make the course's nbgrader config nbgrader's own: autograde executes notebooks in kernels."""
    config = course.root / "nbgrader_config.py"
    lines = config.read_text().split("c.Autograde.autograde_preprocessors")[0]
    config.write_text(lines)


@dataclass
class Memory:
    """Peak proportional memory (PSS, MB) of a command's process tree."""

    total: float = 0.0  # the largest sum over all its processes at one moment
    largest: dict[str, float] = field(default_factory=dict)  # the largest single process per kind


KINDS = {
    "spawn_main": "judge (checks)",
    "zygote.py": "sandbox zygote or session",
}


def _sample(root: psutil.Process, memory: Memory) -> None:
    total = 0.0
    try:
        tree = [root, *root.children(recursive=True)]
    except psutil.Error:
        return  # the command has just ended
    for p in tree:
        try:
            # PSS: a page shared by n processes (TensorFlow's libraries, forked sessions)
            # counts 1/n in each, so the sum over processes is what the machine really holds.
            mb = p.memory_full_info().pss / 2**20
            label = " ".join(p.cmdline())
        except psutil.Error:
            continue
        total += mb
        for key, kind in KINDS.items():
            if key in label:
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


def isolation_cost(course: Course, name: str, mode: Isolation, rounds: int = 20) -> tuple[float, float]:
    """Median seconds to start and end one submission's Keras sandbox: with no cells, and
    with the reference notebook's cells (what each submission pays before its checks)."""
    assignment = course.assignment(name)
    release = read_notebook(course.release_notebook(name))
    plan = make_plan(build_submission(reference_sources(course, assignment), release), release, assignment)
    zygote = Zygote("keras", mode, course.release_dir(name), Limits(), list(private_paths(course.root)))
    zygote.start()
    figures = []
    try:
        for cells in ([], list(plan.cells)):
            seconds = []
            for _ in range(rounds):
                start = time.perf_counter()
                session = Session(zygote, cells, Limits())
                session.start()
                session.close()
                seconds.append(time.perf_counter() - start)
            figures.append(statistics.median(seconds))
    finally:
        zygote.close()
    return figures[0], figures[1]


#: A Keras workload like a submission's checks (a model built, trained a little, predicted).
WORKLOAD = """
import time, numpy as np, keras
x = np.random.default_rng(0).normal(size=(256, 4)).astype("float32")
start = time.perf_counter()
for _ in range(5):
    layers = [keras.Input((4,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)]
    model = keras.Sequential(layers)
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, x[:, :1], epochs=2, batch_size=32, verbose=0)
    model.predict(x, verbose=0)
seconds = time.perf_counter() - start
"""


def filter_cost(rounds: int = 9) -> tuple[float, float, float]:
    """The syscall filter's cost: median seconds to build and load it in a fresh process, and
    the Keras workload's median seconds in forks of one process unfiltered and filtered."""
    import os

    import keras  # noqa: F401  (the forks share it, as sessions share their zygote's)

    def in_fork(filtered: bool) -> float:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            start = time.perf_counter()
            if filtered:
                syscalls.build().load()
            loaded = time.perf_counter() - start
            scope: dict = {}
            exec(WORKLOAD, scope)
            os.write(write, f"{loaded} {scope['seconds']}".encode())
            os._exit(0)
        os.close(write)
        os.waitpid(pid, 0)
        with os.fdopen(read) as fh:
            return [float(v) for v in fh.read().split()]

    plain, filtered = [], []
    for _ in range(rounds):  # alternately, so that the machine's drift touches both alike
        plain.append(in_fork(False)[1])
        filtered.append(in_fork(True))
    load = statistics.median(f[0] for f in filtered)
    return load, statistics.median(plain), statistics.median(f[1] for f in filtered)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assignment", default="keras_weights")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--modes", default="namespaces,landlock,uid", help="isolation modes, comma-separated")
    args = parser.parse_args()
    py, name = sys.executable, args.assignment
    modes = [Isolation.parse(m) for m in args.modes.split(",")]
    small_class = max(args.students // 5, 2)
    keras_import, _ = timed([py, "-c", "import keras"], Path.cwd())
    graded = {}
    with tempfile.TemporaryDirectory() as tmp:
        stock = make_course(Path(tmp) / "stock", (name,), "benchmark")
        stock_nbgrader(stock)
        build_class(stock, name, args.students)
        spec = stock.assignment(name)
        autograde = [py, "-m", "nbgrader", "autograde", name, "--force"]
        stock_time, _ = timed(autograde, stock.root)
        scores = {"stock": gradebook.scores(stock, spec)}
        course = make_course(Path(tmp) / "course", (name,), "benchmark")
        build_class(course, name, args.students)
        engine_time, _ = timed(autograde, course.root)
        scores["engine"] = gradebook.scores(course, spec)
        small = make_course(Path(tmp) / "small", (name,), "benchmark")
        build_class(small, name, small_class)
        # Not timed: the first grading run after the nbgrader ones pays what later ones do not
        # (in two runs the first mode was 10-20 % slower, whichever mode it was).
        timed([py, "-m", "autograder", "grade", name, "--force", "--jobs", str(args.jobs)], small.root)
        for mode in modes:
            grade = [py, "-m", "autograder", "grade", name, "--force", "--jobs", str(args.jobs)]
            grade += ["--sandbox", mode]
            ag_time, memory = timed(grade, course.root)
            scores[mode] = gradebook.scores(course, spec)
            small_time, _ = timed(grade, small.root)
            marginal = (ag_time - small_time) / (args.students - small_class)
            graded[mode] = (ag_time, marginal, isolation_cost(course, name, mode), memory)
    load, plain, filtered = filter_cost()
    print(f"assignment: {name}, submissions: {args.students}, jobs: {args.jobs}")
    print(f"python -c 'import keras':                  {keras_import:6.1f} s")
    print(f"nbgrader autograde, stock (kernels):       {stock_time:6.1f} s")
    print(f"nbgrader autograde, through the engine:    {engine_time:6.1f} s")
    for mode, (ag_time, marginal, (bare, with_cells), memory) in graded.items():
        print(f"autograder grade --sandbox {mode}:")
        print(f"  whole class:  {ag_time:6.1f} s   ({stock_time / ag_time:.1f}x faster than stock)")
        print(
            f"  marginal time per submission: {marginal:.2f} s = "
            f"{marginal / keras_import:.2f} x one keras import"
        )
        print(f"  a submission's sandbox started and ended {bare:.3f} s, with its cells {with_cells:.3f} s")
        print(f"  peak memory (PSS) of the whole run, {args.jobs} workers: {memory.total:6.0f} MB")
        print(f"    per worker (whole run / jobs):        {memory.total / args.jobs:6.0f} MB")
        for kind, mb in memory.largest.items():
            print(f"    largest single {kind:<26} {mb:6.0f} MB")
    smallest = min(m for _, m, _, _ in graded.values()) if graded else float("nan")
    print(
        f"syscall filter: built and loaded in {load * 1000:.1f} ms per session "
        f"({load / smallest:.2%} of the smallest marginal cost per submission); "
        f"a Keras workload {plain:.3f} s unfiltered, {filtered:.3f} s filtered ({filtered / plain - 1:+.1%})"
    )
    same = all(s == scores["stock"] for s in scores.values())
    print(f"identical scores for all {len(scores['stock'])} submissions, all {len(scores)} ways: {same}")


if __name__ == "__main__":
    main()
