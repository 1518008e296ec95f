"""The isolation policy: which walls a submission's code runs behind here, and what it may take,
decided in one place for every grading path.

``Isolation`` names the modes; ``choose`` turns what the instructor asked for into a ``Choice``
(the mode, what of its walls this kernel gives it, and why), probing the machine once per
process: ``auto`` takes the strongest mode that works here, in the order of ``PREFERENCE``; a
mode asked for by name is that mode or a refusal that says why and what to do. ``Limits``
holds every cap a submission gets, with its default and its help text, which the command line,
nbgrader's configuration and the Gradescope export all read from here.
"""

import contextlib
import enum
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field, fields
from pathlib import Path

from autograder.errors import KitError
from autograder.sandbox.uids import PROBE_UID

#: The modules that run inside the sandbox (copied there as this folder), and its probes.
INSIDE = Path(__file__).resolve().parent / "inside"


class Isolation(enum.StrEnum):
    """How a submission's code is kept from the grader, the course and other students."""

    AUTO = "auto"
    NAMESPACES = "namespaces"
    LANDLOCK = "landlock"
    UID = "uid"
    NONE = "none"

    @classmethod
    def parse(cls, value: object) -> "Isolation":
        """The mode named ``value``.

        Raises:
            KitError: no mode has that name (a typo in a command or a config).
        """
        try:
            return cls(value)
        except ValueError:
            names = ", ".join(m.value for m in cls)
            raise KitError(f"there is no sandbox {value!r}", f"choose one of: {names}") from None


#: What ``auto`` tries, strongest first.
PREFERENCE = (Isolation.NAMESPACES, Isolation.LANDLOCK, Isolation.UID)


def _limit(default: float, text: str, flag: str = "", traitlet: str = ""):
    """A cap's default with its help text and the names the command line and nbgrader use."""
    return field(default=default, metadata={"help": text, "flag": flag, "traitlet": traitlet})


#: The time budgets derived from the limits, in one place: a session's CPU cap allows for its
#: cells, the calls of ``SESSION_EXERCISES`` exercises and its start; a judge is deemed stuck
#: on a submission after its exercises' calls (each with ``EXERCISE_SLACK_S``), the cells of
#: ``MODES`` sessions each started up to ``SESSION_STARTS`` times (with ``SESSION_START_S``
#: each), and ``JUDGE_SLACK_S``.
SESSION_EXERCISES, SESSION_START_CPU_S = 8, 30.0
MODES, SESSION_STARTS, SESSION_START_S = 2, 4, 10.0
EXERCISE_SLACK_S, JUDGE_SLACK_S = 15.0, 120.0


@dataclass(frozen=True)
class Limits:
    """What one submission may take in the sandbox."""

    seconds: float = _limit(60.0, "seconds per exercise (all its checks' calls)", "--timeout", "timeout")
    memory_mb: int = _limit(2048, "MB of memory per sandboxed process", "--memory", "memory_mb")
    cell_seconds: float = _limit(30.0, "seconds per notebook cell", "--cell-timeout", "cell_timeout")
    notebook_seconds: float = _limit(120.0, "seconds for all of the notebook's cells")
    tmp_mb: int = _limit(64, "MB of the session's scratch folder (its /tmp)")
    processes: int = _limit(64, "processes and threads per session")

    @classmethod
    def settable(cls) -> list:
        """The caps an instructor sets (the command line's flags, nbgrader's traits)."""
        return [f for f in fields(cls) if f.metadata["flag"]]

    def session_cpu_seconds(self) -> float:
        """The CPU time one session may use (its process's cap)."""
        return self.notebook_seconds + SESSION_EXERCISES * self.seconds + SESSION_START_CPU_S

    def judge_seconds(self, exercises: int) -> float:
        """How long a judge may take over one submission of ``exercises`` exercises before it
        is deemed stuck and replaced."""
        cells = MODES * SESSION_STARTS * (self.notebook_seconds + SESSION_START_S)
        return exercises * (self.seconds + EXERCISE_SLACK_S) + cells + JUDGE_SLACK_S


@dataclass(frozen=True)
class Choice:
    """The isolation chosen, what of its walls this kernel gives it, and why it was chosen
    (what ruled the stronger ones out, for ``auto``)."""

    isolation: Isolation
    why: str = "asked for"
    walls: str = ""

    def __str__(self) -> str:
        walls = f", {self.walls}" if self.walls else ""
        return f"{self.isolation}{walls} ({self.why})"


def walls(isolation: Isolation) -> str:
    """What of ``isolation``'s walls depends on this kernel, said where it falls short."""
    abi = landlock_abi() if isolation in (Isolation.LANDLOCK, Isolation.UID) else 0
    if isolation == Isolation.UID:
        return "with Landlock's file rules" if abi else "no Landlock: world-readable files are open to it"
    if isolation != Isolation.LANDLOCK:
        return ""
    gaps = [] if abi >= 6 else ["signals kept in by the syscall filter, not the kernel"]
    gaps += [] if abi >= 4 else ["TCP refused by the syscall filter alone"]
    return f"Landlock ABI {abi}" + (f": {'; '.join(gaps)}" if gaps else "")


def choose(wanted: object = Isolation.AUTO) -> Choice:
    """The isolation to grade with here.

    Raises:
        KitError: the mode asked for is unknown or unavailable here, or (``auto``) none is.
    """
    wanted = Isolation.parse(wanted)
    if wanted == Isolation.NONE:
        return Choice(wanted, "asked for: no sandbox")
    if wanted != Isolation.AUTO:
        why = problem(wanted)
        if why:
            raise KitError(f"--sandbox {wanted} is not available here: {why}", _FIX)
        return Choice(wanted, walls=walls(wanted))
    ruled_out = []
    for mode in PREFERENCE:
        why = problem(mode)
        if not why:
            return Choice(mode, "auto: " + ("; ".join(ruled_out) or "the strongest"), walls(mode))
        ruled_out.append(f"no {mode}: {why}")
    raise KitError("student code cannot be isolated here: " + "; ".join(ruled_out), _FIX)


_FIX = (
    "allow user namespaces (Debian/Ubuntu: sysctl -w kernel.unprivileged_userns_clone=1; Ubuntu "
    "24.04+: sysctl -w kernel.apparmor_restrict_unprivileged_userns=0), or grade on a kernel with "
    "Landlock (Linux 5.13+, enabled in its lsm= list) and libseccomp, or as root with --sandbox "
    "uid; grade trusted notebooks only with --sandbox none"
)


@functools.cache
def problem(isolation: Isolation) -> str:
    """Why ``isolation`` cannot be had here, or "" when it can (probed once per process)."""
    if isolation in (Isolation.NONE, Isolation.AUTO):
        return ""
    if isolation == Isolation.NAMESPACES:
        return _run_probe([str(INSIDE / "namespaces.py")]) or _filter_problem()
    if isolation == Isolation.LANDLOCK:
        return _landlock_problem()
    return _uid_problem() or _filter_problem()


def other_uid(isolation: Isolation) -> bool:
    """Do sessions run as a uid of their own? Under uid isolation, and under landlock as root
    where other users can read this Python (root's processes are exempt from the process limit);
    where they cannot, landlock's sessions stay uid 0 without any capability."""
    if isolation == Isolation.UID:
        return True
    return isolation == Isolation.LANDLOCK and os.geteuid() == 0 and not _uid_problem()


@functools.cache
def landlock_abi() -> int:
    """The kernel's Landlock ABI (0: none)."""
    out = _run_probe([str(INSIDE / "landlock.py"), "--abi"], answer=True)
    return int(out) if out.isdigit() else 0


def _landlock_problem() -> str:
    scratch = tempfile.mkdtemp(prefix="autograder-landlock-probe-")
    try:
        why = _run_probe([str(INSIDE / "landlock.py"), scratch])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.unlink(scratch + "-escaped")
    return why or _filter_problem()


def _filter_problem() -> str:
    return _run_probe([str(INSIDE / "syscalls.py")], site=True)


@functools.cache
def _uid_problem() -> str:
    if os.geteuid() != 0:
        return "uid isolation needs root (it runs each submission as another user)"
    # As a session does: start as root, then become a sandbox user and import what it may.
    uid = PROBE_UID  # as no session ever is, so no other run's kill can reach the probe
    drop = f"import os; os.setgroups([]); os.setresgid(*[{uid}] * 3); os.setresuid(*[{uid}] * 3)"
    probe = drop + "; import json, secrets, statistics, numpy.linalg"
    proc = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True, timeout=60)
    if proc.returncode != 0:
        return (
            f"the sandbox's users (uid {uid} and others) cannot read this Python ({sys.base_prefix}): "
            "a sandbox user needs a Python that other users can read, as Gradescope's /autograder/venv is"
        )
    return ""


def _run_probe(args: list[str], site: bool = False, answer: bool = False) -> str:
    """Run a sandbox module's probe in a fresh process (as the sandbox runs it: the kit absent);
    return what it said: "" for "ok", else why not (or, with ``answer``, what it printed)."""
    flags = ["-I"] if site else ["-I", "-S"]
    proc = subprocess.run([sys.executable, *flags, *args], capture_output=True, text=True, timeout=60)
    said = proc.stdout.strip() or proc.stderr.strip()[-300:] or f"exit {proc.returncode}"
    if answer:
        return said
    return "" if said == "ok" or said.startswith("ok ") else said
