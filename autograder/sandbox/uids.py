"""The users of "uid" isolation: each zygote's sessions run as a uid that no other zygote on
the machine holds while it lives.

Two judges (``--jobs 2``, or two grading runs at once) whose sessions shared one uid could
signal each other's processes: one student's code could stop or kill the session grading
another student, and the end of one session killed every process of the uid, the other
judge's student's too. A zygote therefore leases a uid of its own, by a lock on a file only
root may reach; the lease ends with the zygote (or with its process, whatever ends it).
"""

import fcntl
import os
import stat
import subprocess
import sys
from pathlib import Path

#: The uids "uid" isolation runs sessions as: ones no real user has.
FIRST_UID = 61234
COUNT = 256
#: Where the leases are held: one lock file per uid, in a folder only root may write.
LEASES = Path("/run/autograder-sandbox-uids")
_KILL_ALL = "import os, signal; os.kill(-1, signal.SIGKILL)"


def is_sandbox_uid(uid: int) -> bool:
    return FIRST_UID <= uid < FIRST_UID + COUNT


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
            kill_all_of(uid)  # whatever a session of an earlier holder may have left running
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
    """Kill every process of ``uid``: a helper running as that uid signals all it may signal."""
    subprocess.run([sys.executable, "-I", "-S", "-c", _KILL_ALL], user=uid, group=uid, extra_groups=[])


def _lease_folder() -> Path:
    LEASES.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = LEASES.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o077:
        raise RuntimeError(f"{LEASES} must be a folder of root's that no one else may open")
    return LEASES
