"""The grader's side of the sandbox: start zygotes, run a submission's cells in a fresh session,
call the functions they define, and read every reply as hostile.

A ``Session`` is one submission in one mode ("keras"; "numpy" for exercises that must do
without any framework; "python", Keras not loaded, for assignments that use none): a process
forked by the mode's warm ``Zygote`` behind the walls of its isolation (``policy``), with a
channel made for it alone. Anything it sends is bounded in size, nesting and time and must
answer the request it was sent (a nonce per request); whatever breaks those rules, hangs or
dies is a ``SandboxFault``: the session is killed, whole, and the exercise that was running
costs the student, nothing else. The next exercise gets a fresh session that runs the cells again,
without any cell that hung.
"""

import contextlib
import itertools
import json
import os
import secrets
import shutil
import signal
import site
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.sandbox import protocol, tree
from autograder.sandbox.cgroups import Cgroup
from autograder.sandbox.policy import Isolation, Limits, landlock_abi, other_uid
from autograder.sandbox.uids import UidLease, kill_all_of, killer_uid
from autograder.text import NAME_LIMIT, clean, describe

HERE = Path(__file__).resolve().parent
IN_SANDBOX = (
    "zygote.py",
    "session.py",
    "kernel.py",
    "protocol.py",
    "namespaces.py",
    "landlock.py",
    "syscalls.py",
    "tree.py",
)
#: How many cells that hang a session skips before it gives up running the rest.
MAX_HUNG_CELLS = 3
#: Seconds the grader waits beyond a cell's own time limit before it kills the session.
GRACE = 3.0
ENDED = "the process running the code ended"


class SandboxFault(Exception):
    """The student's code made its session die, hang, or break the channel's rules."""


#: What a session's fork may dirty of the zygote's pages (Python's reference counts write to
#: every object it touches), counted by the control group on top of the session's own cap.
SESSION_SLACK_MB = 256


#: Processes the zygote itself may start while a session holds its whole allowance (the kill
#: helper of "uid" isolation, the next session): a fork bomb must not leave it unable to end one.
ZYGOTE_FORKS = 8
#: How many files and folders a landlock session's scratch folder may hold.
SCRATCH_ENTRIES = 8192
#: Where a session's scratch folder is a folder of the machine's (no tmpfs of its own capping
#: it), the grader measures it after every cell and every exercise: what the code filled it with
#: costs that cell or exercise, not whatever runs when the leader's periodic check notices.
POLLED_SCRATCH = (Isolation.LANDLOCK, Isolation.UID)


def runtime_paths() -> list[str]:
    """The paths the sandbox sees, read-only: the system's libraries and the Python runtime."""
    paths = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]
    paths += ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d"]
    prefixes = {sys.base_prefix, sys.prefix, sys.exec_prefix, sys.base_exec_prefix, *site.getsitepackages()}
    paths += sorted(prefixes)
    kept: list[str] = []
    for path in sorted({os.path.realpath(p) if not os.path.islink(p) else p for p in paths}, key=len):
        if os.path.lexists(path) and not any(path.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(path)
    return kept


def hidden_paths(mode: str, private: list[Path]) -> list[str]:
    """What to hide under the bound runtime: frameworks in NumPy-only mode, and any ``private``
    folder (the kit, the course, home) that happens to lie inside a bound path."""
    binds = runtime_paths()
    masks = []
    if mode == "numpy":
        for packages in site.getsitepackages():
            masks += [
                str(Path(packages) / name) for name in protocol.FRAMEWORKS if (Path(packages) / name).is_dir()
            ]
    for path in {str(Path(p).resolve()) for p in private}:
        if any(path.startswith(b.rstrip("/") + "/") for b in binds) and os.path.isdir(path):
            masks.append(path)
    return sorted(set(masks))


def environment() -> dict[str, str]:
    """The sandbox's whole environment: quiet TensorFlow on the CPU, one thread per library."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "KERAS_BACKEND": "tensorflow",
        "CUDA_VISIBLE_DEVICES": "",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "TF_NUM_INTRAOP_THREADS": "1",
        "TF_NUM_INTEROP_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def carve(binds: list[str], masks: list[str]) -> list[str]:
    """``binds`` less ``masks``, as paths a Landlock rule each (it can allow a folder, never
    hide part of one): a folder on the way to a mask is replaced by its entries, but that one."""
    kept = []
    for bind in binds:
        inside = [m for m in masks if m == bind or m.startswith(bind.rstrip("/") + "/")]
        if not inside:
            kept.append(bind)
        elif bind not in inside and os.path.isdir(bind) and not os.path.islink(bind):
            kept += carve(sorted(os.path.join(bind, e) for e in os.listdir(bind)), inside)
    return kept


class Zygote:
    """One warm zygote of one mode: it forks every session of that mode."""

    def __init__(
        self, mode: str, isolation: Isolation, assignment_dir: Path, limits: Limits, private: list[Path]
    ) -> None:
        self.mode, self.isolation, self.limits = mode, Isolation(isolation), limits
        self.assignment_dir, self.private = Path(assignment_dir), private
        self.staging: Path | None = None
        self.proc: subprocess.Popen | None = None
        self.control: socket.socket | None = None
        self.cgroup: Cgroup | None = None
        self.lease: UidLease | None = None  # "uid" isolation: the uid its sessions run as
        self._ids = itertools.count(1)
        self._received: list[int] = []

    def start(self) -> None:
        """Start the zygote and wait until it has imported what sessions need.

        Raises:
            RuntimeError: it did not come up (the grader's failure, not a student's).
        """
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the zygote without waiting for it (``wait_ready`` waits): several zygotes and
        the grader's own imports can then load at the same time.

        Raises:
            RuntimeError: it did not come up (the grader's failure, not a student's).
        """
        self.staging = Path(tempfile.mkdtemp(prefix="autograder-sandbox-"))
        self.staging.chmod(0o755)
        code = self.staging / "code"
        code.mkdir()
        for name in IN_SANDBOX:
            shutil.copy(HERE / name, code / name)
        (self.staging / "root").mkdir()
        (self.staging / "sessions").mkdir()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.cgroup = Cgroup.create(self.mode) if self.isolation != Isolation.NONE else None
        self.lease = UidLease() if other_uid(self.isolation) else None
        self.proc = subprocess.Popen(
            [sys.executable, "-I", str(code / "zygote.py"), str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            env=environment() | self._private_config(),
            cwd=self.staging,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        theirs.close()
        self.control = ours
        if self.cgroup is not None:  # before the zygote does anything: it waits for its config
            self.cgroup.add(self.proc.pid)
        self._send(self._config(code))

    def wait_ready(self) -> None:
        """Wait until the launched zygote has imported what sessions need, then cap it."""
        try:
            hello = self._receive(timeout=180)
            if hello.get("ready") != self.mode:
                why = f"({self.isolation} isolation): {hello}"
                raise RuntimeError(f"the {self.mode} sandbox did not start {why}")
        except RuntimeError:
            self.close()  # its control group and staging folder too: nothing left on the machine
            raise
        if self.cgroup is not None:  # the zygote as it is now, plus what one session may take
            memory, processes = self.cgroup.usage()
            self.cgroup.limit(
                memory + self._session_memory(), processes + self.limits.processes + ZYGOTE_FORKS
            )

    def _private_config(self) -> dict[str, str]:
        """Under "uid" and "landlock" isolation the zygote runs in the machine's own /tmp, where
        other users may write: Keras' and matplotlib's settings (read when the zygote imports
        them) come from folders of its staging one instead, which no session may write."""
        if self.isolation not in (Isolation.UID, Isolation.LANDLOCK):
            return {}
        return {k: str(self.staging / name) for k, name in [("KERAS_HOME", "keras"), ("MPLCONFIGDIR", "mpl")]}

    def _session_memory(self) -> int:
        """What the group allows a session above the zygote: its process's cap, its /tmp (the
        group counts tmpfs) and what a fork dirties of the zygote's pages. The process's own cap
        (a MemoryError it can catch) thus comes first; the group's (a kill) only stops memory
        spread over several processes."""
        return (self.limits.memory_mb + self.limits.tmp_mb + SESSION_SLACK_MB) << 20

    def _config(self, code: Path) -> dict:
        seconds = self.limits.notebook_seconds + 8 * self.limits.seconds + 30
        binds, masks = runtime_paths(), hidden_paths(self.mode, self.private)
        # uid isolation takes Landlock's file rules too where the kernel has them: without,
        # its sessions may read every file any user may (a world-readable checkout's checks).
        landlocked = self.isolation == Isolation.LANDLOCK or (
            self.isolation == Isolation.UID and landlock_abi() > 0
        )
        return {
            "mode": self.mode,
            "isolation": self.isolation.value,
            "binds": binds,
            "masks": masks,
            "sandbox_dir": str(code),
            "assignment_dir": str(self.assignment_dir),
            "new_root": str(self.staging / "root"),
            "sessions_dir": str(self.staging / "sessions"),
            "tmp_mb": self.limits.tmp_mb,
            "tmp_entries": SCRATCH_ENTRIES,
            "memory_mb": self.limits.memory_mb,
            "cpu_seconds": int(seconds),
            "processes": self.limits.processes,
            "uid": self.lease.uid if self.lease else None,
            "killer_uid": killer_uid(self.lease.uid) if self.lease else None,
            "landlock_abi": landlock_abi() if landlocked else 0,
            "read_only": self._read_only(binds, masks, code) if landlocked else [],
        }

    def _read_only(self, binds: list[str], masks: list[str], code: Path) -> list[str]:
        """What a landlock session may read: the runtime less what it must not see, the sandbox's
        code and the settings folders of ``_private_config`` (the assignment's files are copied
        into its scratch folder)."""
        settings = [str(self.staging / name) for name in ("keras", "mpl")]
        return carve(binds, masks) + [str(code), *settings]

    def _send(self, message: dict) -> None:
        self.control.send(json.dumps(message).encode())

    def _receive(self, timeout: float, fds: int = 0) -> dict:
        self.control.settimeout(timeout)
        try:
            if fds:
                data, received, _, _ = socket.recv_fds(self.control, 1 << 16, fds)
                self._received = received
            else:
                data = self.control.recv(1 << 16)
        except (TimeoutError, OSError) as exc:
            raise RuntimeError(f"the {self.mode} sandbox stopped answering ({type(exc).__name__})") from None
        if not data:
            raise RuntimeError(f"the {self.mode} sandbox ended")
        return json.loads(data)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def spawn(self) -> tuple[int, socket.socket, str | None]:
        """Fork a fresh session; return its id, the grader's end of its channel and its scratch
        folder (None where the session's /tmp is a capped tmpfs of its own)."""
        if not self.alive():  # it died (killed for memory, say): a new one, for the class
            self.close()
            self.start()
        session_id = next(self._ids)
        self._send({"op": "spawn", "id": session_id})
        reply = self._receive(timeout=60, fds=1)
        if reply.get("spawned") != session_id or len(self._received) != 1:
            raise RuntimeError(f"the {self.mode} sandbox could not start a session: {reply}")
        scratch = reply.get("scratch") if self.isolation in POLLED_SCRATCH else None
        return session_id, socket.socket(fileno=self._received[0]), scratch

    def kill(self, session_id: int, gone: bool = False) -> str:
        """Kill the session and everything it started; return once all of it is gone, saying
        how it had ended if it ended by itself (else ""). ``gone``: its channel closed, so it
        is probably ending already (the zygote waits a moment to learn how)."""
        if not self.alive():
            return ""
        self._send({"op": "kill", "id": session_id, "gone": gone})
        reply = self._receive(timeout=60)
        if reply.get("killed") != session_id:
            raise RuntimeError(f"the {self.mode} sandbox did not confirm the end of a session: {reply}")
        return str(reply.get("ended") or "")

    def close(self) -> None:
        """Stop the zygote (and so every session still alive); its uid, if it leased one, is
        given back only once nothing of it is left (its processes, then its control group)."""
        try:
            if self.proc is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
                self.proc = None
            if self.lease is not None:  # what a session started may have left its group
                kill_all_of(self.lease.uid)
            if self.cgroup is not None:
                self.cgroup.remove()
                self.cgroup = None
        finally:
            if self.lease is not None:
                self.lease.release()
                self.lease = None
            self._close_files()

    def _close_files(self) -> None:
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.staging is not None:
            tree.remove(str(self.staging))
            self.staging = None


class StudentError(Exception):
    """Base of the exceptions a student's function raised in the sandbox (named like them)."""


def student_error(error: object) -> StudentError:
    """The exception a call raised in the sandbox, rebuilt from its cleaned type and message."""
    error = error if isinstance(error, dict) else {}
    name = clean(error.get("type"), NAME_LIMIT)
    name = name if name.isidentifier() else "Error"
    return type(name, (StudentError,), {})(clean(error.get("message")))


@dataclass
class Session:
    """One submission in one mode: its cells run once, its functions answer calls."""

    zygote: Zygote
    cells: list[str]
    limits: Limits
    model_from: object = None  # callable(data) -> model; refuses what the assignment forbids
    graded_at: dict[str, int] = field(default_factory=dict)  # as Plan.graded_at
    cell_errors: dict[int, str] = field(default_factory=dict)
    skipped: dict[int, str] = field(default_factory=dict)
    defined: frozenset = frozenset()
    fault: str = ""
    _id: int = 0
    _channel: socket.socket | None = None
    _culprit: int | None = None
    _scratch: str | None = None

    def start(self) -> None:
        """Run the cells in a fresh process, again without any cell that hangs or kills it."""
        while True:
            self._id, self._channel, self._scratch = self.zygote.spawn()
            self.fault = ""
            culprit = self._run_cells()
            if culprit is None:
                return
            self.fault = ""
            if len(self.skipped) >= MAX_HUNG_CELLS:
                for i in range(culprit + 1, len(self.cells)):
                    self.skipped.setdefault(i, "did not run: cells before it kept hanging")

    def _run_cells(self) -> int | None:
        """Run every cell not skipped; return the index of a cell that broke the session
        (it is then skipped, and the session killed)."""
        order = [i for i in range(len(self.cells)) if i not in self.skipped]
        nonce = secrets.token_hex(8)
        per_cell, total = self.limits.cell_seconds, self.limits.notebook_seconds
        end = time.monotonic() + total + GRACE
        cells = [self.cells[i] for i in order]
        graded = {name: sum(i < at for i in order) for name, at in self.graded_at.items()}
        try:
            request = {"op": "cells", "nonce": nonce, "cells": cells, "seconds": per_cell, "total": total}
            self._send({**request, "graded": graded})
            for position, i in enumerate(order):
                deadline = min(time.monotonic() + per_cell + GRACE, end)
                reply = self._receive(nonce, deadline, culprit=i)
                self.check_scratch(culprit=i)
                if reply.get("cell") != position:
                    self._broken("the cells' replies came out of order", culprit=i)
                if reply.get("error") is not None:
                    error = student_error(reply["error"])
                    self.cell_errors[i] = describe(error)
            done = self._receive(nonce, time.monotonic() + GRACE, culprit=order[-1] if order else None)
        except SandboxFault:
            return self._culprit
        names = done.get("defined") if done.get("done") is True else None
        self.defined = (
            frozenset(n for n in names if isinstance(n, str)) if isinstance(names, list) else frozenset()
        )
        return None

    def call(self, name: str, args: tuple, kwargs: dict, deadline: float):
        """Call the function ``name`` in the session; return what it returned, rebuilt.

        Raises:
            StudentError: the function raised (a class named like the exception it raised).
            SandboxFault: the session died, hung past ``deadline`` or broke the rules.
        """
        if self.fault:
            raise SandboxFault(self.fault)
        nonce = secrets.token_hex(8)
        self._send(
            {
                "op": "call",
                "nonce": nonce,
                "name": name,
                "args": protocol.encode(list(args)),
                "kwargs": protocol.encode(kwargs),
            }
        )
        reply = self._receive(nonce, deadline)
        if isinstance(reply.get("error"), dict) and reply["error"].get("type") == "MemoryError":
            self._broken(f"MemoryError: the code needed more than the {self.limits.memory_mb} MB allowed")
        try:
            if "mutated_args" in reply:
                _copy_back(args, protocol.decode(reply["mutated_args"]))
            if "error" in reply:
                raise student_error(reply["error"])
            if "model" in reply:
                return self.model_from(reply["model"])
            if "result" in reply:
                return protocol.decode(reply["result"])
            raise protocol.ProtocolError("a reply holds neither a result nor an error")
        except protocol.ProtocolError as exc:
            self._broken(f"the code broke the grading channel's rules ({exc})")

    def substitute(self, name: str, sources: list[str], deadline: float) -> None:
        """From now on, call ``name`` with ``sources`` (reference helpers) run in a copy of its
        namespace.

        Raises:
            SandboxFault: the session broke, or the sources could not run in its namespace.
        """
        if self.fault:
            raise SandboxFault(self.fault)
        nonce = secrets.token_hex(8)
        self._send({"op": "substitute", "nonce": nonce, "name": name, "sources": sources})
        reply = self._receive(nonce, deadline)
        if reply.get("done") is not True:
            why = describe(student_error(reply.get("error")))
            self._broken(f"the reference helpers could not run beside {name} ({why})")

    def _send(self, message: dict) -> None:
        try:
            protocol.send(self._channel.fileno(), message)
        except OSError as exc:
            self._broken(f"the channel to the code broke ({exc.strerror or exc})")

    def _receive(self, nonce: str, deadline: float, culprit: int | None = None) -> dict:
        try:
            reply = protocol.receive(self._channel.fileno(), deadline)
        except TimeoutError:
            self._broken("the time limit ran out", culprit)
        except EOFError:
            self.check_scratch(culprit)  # its leader may have ended it for that
            self._broken(ENDED, culprit)
        except (protocol.ProtocolError, OSError) as exc:
            self._broken(f"the code broke the grading channel's rules ({clean(exc)})", culprit)
        if reply.get("nonce") != nonce:
            self._broken("the code sent a reply that answers no request", culprit)
        return reply

    def check_scratch(self, culprit: int | None = None) -> None:
        """Break the session if its scratch folder holds more than its caps allow (a walk of
        it: done after each cell, and by the judge after each exercise's calls, not after
        every call).

        Raises:
            SandboxFault: it does, which costs cell ``culprit``, if any, or the exercise.
        """
        if self._scratch is None or self._channel is None:
            return
        most = self.limits.tmp_mb << 20
        entries, size = tree.usage(self._scratch, SCRATCH_ENTRIES, most)
        if entries > SCRATCH_ENTRIES or size > most:
            self._broken(
                f"the code filled its scratch folder past the limit of {self.limits.tmp_mb} MB "
                f"and {SCRATCH_ENTRIES} files and folders",
                culprit,
            )

    def _broken(self, reason: str, culprit: int | None = None):
        """Kill the session: ``reason`` is the student's fault (of cell ``culprit``, if any)."""
        ended = self.close(gone=reason == ENDED)
        if reason == ENDED and ended:
            reason = f"{ENDED}: {ended}"
        self.fault, self._culprit = reason, culprit
        if culprit is not None:
            self.skipped[culprit] = reason
        raise SandboxFault(reason)

    def close(self, gone: bool = False) -> str:
        """Kill the session, whole; say how it had ended if it ended by itself."""
        if self._channel is None:
            return ""
        self._channel.close()
        self._channel = None
        return self.zygote.kill(self._id, gone)


def _copy_back(args: tuple, after: object) -> None:
    """Show the caller's arrays the changes the student's code made to its copies."""
    import numpy as np

    if not isinstance(after, list):
        return
    for before, now in zip(args, after):
        if isinstance(before, np.ndarray) and isinstance(now, np.ndarray):
            with contextlib.suppress(Exception):
                np.copyto(before, now)
        elif isinstance(before, list | tuple) and isinstance(now, list | tuple):
            _copy_back(tuple(before), list(now))
