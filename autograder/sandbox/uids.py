"""The users of "uid" isolation: each zygote's sessions run as a uid that no other zygote on
the machine holds while it lives.

Two judges (``--jobs 2``, or two grading runs at once) whose sessions shared one uid could
signal each other's processes: one student's code could stop or kill the session grading
another student, and the end of one session killed every process of the uid, the other
judge's student's too. A zygote therefore leases a uid of its own, by a lock on a file only
root may reach; the lease ends with the zygote (or with its process, whatever ends it), and
whoever leases the uid next first kills whatever of it is left.

The kill is done by a helper the uid's processes cannot signal: it starts as root and keeps
a real and saved uid of its own (``killer_uid``) while its effective uid is the target's, which
is what permits ``kill(-1)`` to reach every process of the target and nothing else.
"""

import fcntl
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

#: The uids "uid" isolation runs sessions as: ones no real user has. Each has a killer uid
#: (``COUNT`` above it) that only its kill helper uses; the probe of the setup uses the uid
#: above all of those, which no session ever has.
FIRST_UID = 61234
COUNT = 256
PROBE_UID = FIRST_UID + 2 * COUNT
#: Where the leases are held: one lock file per uid, in a folder only root may write.
LEASES = Path("/run/autograder-sandbox-uids")
#: The kill helper: root until it takes the killer's real and saved uid and the target as
#: its effective one, then one kill(-1) (atomic with respect to fork).
_KILL_ALL = (
    "import os, signal, sys; uid, killer = int(sys.argv[1]), int(sys.argv[2]); os.setgroups([]); "
    "os.setresgid(killer, killer, killer); os.setresuid(killer, uid, killer); os.kill(-1, signal.SIGKILL)"
)


def is_sandbox_uid(uid: int) -> bool:
    return FIRST_UID <= uid < FIRST_UID + COUNT


def killer_uid(uid: int) -> int:
    """The uid whose real and saved ids the kill helper of ``uid`` keeps."""
    return uid + COUNT


class UidLease:
    """A sandbox uid held for the life of one zygote (root only).

    Raises:
        RuntimeError: every sandbox uid is held, or the lease folder is not root's alone.
    """

    def __init__(self) -> None:
        folder = _lease_folder()
        for uid in range(FIRST_UID, FIRST_UID + COUNT):
            fd = os.open(folder / str(uid), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            self.uid, self._fd = uid, fd
            try:
                kill_all_of(uid)  # whatever a session of an earlier holder may have left running
            except BaseException:
                self.release()
                raise
            return
        raise RuntimeError(f"all {COUNT} sandbox uids are held by graders running on this machine")

    def release(self) -> None:
        """End the lease (kill the uid's processes first: ``kill_all_of``)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def held(uid: int) -> bool:
    """Does a zygote hold ``uid`` now?"""
    try:
        fd = os.open(LEASES / str(uid), os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def kill_all_of(uid: int) -> None:
    """Kill every process of ``uid`` with a helper none of them may signal or trace.

    Raises:
        RuntimeError: a live process of ``uid`` is left (the uid must not be used again).
    """
    cmd = [sys.executable, "-I", "-S", "-c", _KILL_ALL, str(uid), str(killer_uid(uid))]
    for _ in range(3):
        subprocess.run(cmd, timeout=60, check=True)
        left = [pid for pid, owner in live_processes().items() if owner == uid]
        if not left:
            return
        time.sleep(0.1)
    raise RuntimeError(f"processes of sandbox uid {uid} survived being killed: {left}")


def live_processes() -> dict[int, int]:
    """pid -> uid of every live process (a zombie is dead already, waiting to be reaped)."""
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
            if fields["State"].split()[0] != "Z":
                found[int(pid)] = int(fields["Uid"].split()[0])
        except (OSError, KeyError, IndexError, ValueError):
            continue
    return found


def _lease_folder() -> Path:
    run = LEASES.parent
    info = run.lstat() if run.is_dir() else None
    if info is None or info.st_uid != 0 or info.st_mode & 0o022:
        raise RuntimeError(f"uid isolation needs {run}, a folder of root's that no one else may write")
    LEASES.mkdir(mode=0o700, exist_ok=True)
    info = LEASES.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o077:
        raise RuntimeError(f"{LEASES} must be a folder of root's that no one else may open")
    return LEASES
