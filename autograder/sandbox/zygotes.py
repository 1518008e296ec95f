"""The grader's handle on a zygote: the warm process, one per mode, that forks a fresh session
for each submission behind the walls of its isolation (``policy``), from a staging copy of
``sandbox/inside/``; the grader starts it, configures it, spawns and kills its sessions."""

import contextlib
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from autograder.sandbox.cgroups import Cgroup
from autograder.sandbox.environment import carve, environment, hidden_paths, runtime_paths
from autograder.sandbox.inside import tree
from autograder.sandbox.policy import INSIDE, Isolation, Limits, landlock_abi, other_uid
from autograder.sandbox.uids import UidLease, kill_all_of, killer_uid

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
        for module in sorted(INSIDE.glob("*.py")):
            shutil.copy(module, code / module.name)
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
            "cpu_seconds": int(self.limits.session_cpu_seconds()),
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
