"""Judges in parallel: a process each, handed one submission at a time.

Nothing one submission does can stop the others: a judge that dies (killed for memory,
crashed) or stalls past the submission's deadline is replaced, and the submission is tried
once more on a fresh judge; if that fails too, it is reported as a grader failure (never as
the student's zero) and the class goes on.
"""

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import wait

from autograder.engine.judge import JudgeSetup
from autograder.engine.plan import Plan
from autograder.engine.result import SubmissionResult
from autograder.errors import GraderError
from autograder.model.draws import Identity

#: How many times a submission is tried before its judge's failures are reported.
ATTEMPTS = 2
#: What starting a judge costs, in submissions graded (measured on the first assignment's
#: reference on this project's 2-core machine: a judge and its zygotes spend 11 s of CPU importing
#: Keras, 6.5 s of wall time with two cores to themselves; a submission takes 1.3 s). With
#: --jobs 2 there, 3 submissions took 17.5 s and 28 s of CPU, with one judge 13 s and 16 s; 16
#: took 25 s and 30 s.
WARM_UP_CPU, WARM_UP_WALL = 8.5, 5.0


def judges_for(submissions: int, jobs: int, cores: int) -> int:
    """How many judges (at most ``jobs``) grade ``submissions`` soonest on ``cores`` cores: more
    judges share the grading, but each first pays its warm-up, and warm-ups beyond the cores
    wait for each other. On a tie, the fewer."""

    def finish(judges: int) -> float:
        return max(WARM_UP_WALL, judges * WARM_UP_CPU / cores) + submissions / min(judges, cores)

    return min(range(1, max(1, min(jobs, submissions)) + 1), key=finish)


def _serve(conn, setup: JudgeSetup) -> None:
    """A judge process: open a judge, then grade whatever arrives until told to stop."""
    try:
        judge = setup.open()
    except Exception as exc:  # no judge can start here (its sandbox, say): none could grade
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    try:
        conn.send(("ready", None))
        while (job := conn.recv()) is not None:
            key, plan, identity = job
            try:
                conn.send((key, judge.grade(plan, identity).to_dict()))
            except Exception as exc:  # the grader's failure: reported, never a zero
                conn.send((key, GraderError(f"{type(exc).__name__}: {exc}")))
    except (EOFError, KeyboardInterrupt):
        pass
    finally:
        judge.close()


class _Worker:
    """One judge process and the submission it is grading."""

    def __init__(self, setup: JudgeSetup) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs, setup), daemon=True)
        self.process.start()
        theirs.close()
        self.ready = False
        self.job: tuple | None = None
        self.started = 0.0

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


class Pool:
    """Up to ``jobs`` judges of one assignment (as many as finish soonest: ``judges_for``)."""

    def __init__(self, setup: JudgeSetup, jobs: int) -> None:
        self.setup, self.jobs = setup, max(1, jobs)

    def grade(
        self,
        work: list[tuple[str, Plan, Identity]],
        exercises: int,
        done: Callable[[str, SubmissionResult | GraderError], None],
    ) -> None:
        """Grade every ``(key, plan, identity)``; call ``done(key, result or failure)`` for each,
        in the order they finish."""
        queue, tries = deque(work), dict.fromkeys((k for k, _, _ in work), 0)
        deadline = self.setup.limits.judge_seconds(exercises)
        judges = judges_for(len(work), self.jobs, len(os.sched_getaffinity(0)))
        workers = [_Worker(self.setup) for _ in range(judges)]
        starts = 0
        try:
            while queue or any(w.job for w in workers):
                for w in workers:
                    if w.ready and w.job is None and queue:
                        w.job, w.started = queue.popleft(), time.monotonic()
                        w.conn.send(w.job)
                ready = wait([w.conn for w in workers] + [w.process.sentinel for w in workers], timeout=1.0)
                for i, w in enumerate(workers):
                    if w.conn in ready and w.conn.poll():
                        self._receive(w, done)
                    elif not w.process.is_alive() or (w.job and time.monotonic() - w.started > deadline):
                        starts = self._replace(workers, i, queue, tries, done, starts)
        finally:
            for w in workers:
                if w.process.is_alive():
                    w.conn.send(None)
                w.process.join(timeout=30)
                w.stop()

    def _receive(self, worker: _Worker, done) -> None:
        try:
            key, payload = worker.conn.recv()
        except (EOFError, OSError):
            return  # the process died; the sentinel says so on the next round
        if key == "ready":
            worker.ready = True
            return
        if key == "failed":
            raise GraderError(f"a judge could not start, so nothing was graded: {payload}")
        worker.job = None
        done(key, payload if isinstance(payload, GraderError) else SubmissionResult.from_dict(payload))

    def _replace(self, workers, i, queue, tries, done, starts) -> int:
        """Replace a judge that died or stalled; try its submission again, or report it."""
        worker = workers[i]
        job, never_ready = worker.job, not worker.ready
        worker.stop()
        if never_ready and job is None:
            starts += 1
            if starts > 2 * self.jobs:
                raise GraderError(
                    "the judge processes do not start (see the messages above); nothing more was graded"
                )
        if job is not None:
            key = job[0]
            tries[key] += 1
            if tries[key] < ATTEMPTS:
                queue.appendleft(job)
            else:
                done(key, GraderError(f"its judge process died or stalled {ATTEMPTS} times while grading it"))
        workers[i] = _Worker(self.setup)
        return starts
