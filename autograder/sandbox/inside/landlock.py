"""Landlock from the standard library alone: a process confines itself and what it starts to the
files, TCP ports, signals and abstract sockets its rules allow, with no privilege at all.

Used inside the sandbox (it imports nothing from the kit). The kernel's ABI decides what can be
confined: files from 1 (Linux 5.13; renaming across folders from 2, truncation from 3, device
ioctls from 5), TCP bind and connect from 4 (6.7), signals and abstract unix sockets beyond the
process's own domain from 6 (6.12). ``abi()`` says which the kernel has; ``Ruleset`` handles
everything that ABI knows and allows only what its rules add. A domain, once entered, holds for
the process and all it starts, for good; nested domains only ever narrow it.
"""

import ctypes
import os
import platform
import stat
import struct
import sys

#: The system call numbers (the same on x86_64 and aarch64).
SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH, RULE_NET_PORT = 1, 2

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
MAKE_REG, MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK = 1 << 8, 1 << 9, 1 << 10, 1 << 11
MAKE_SYM, REFER, TRUNCATE, IOCTL_DEV = 1 << 12, 1 << 13, 1 << 14, 1 << 15
#: The file-system rights each ABI handles (REFER from 2, TRUNCATE from 3, IOCTL_DEV from 5).
FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
#: The rights a rule on a file (not a folder) may carry.
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV
READ = EXECUTE | READ_FILE | READ_DIR
#: A scratch folder's rights: everything but device nodes (a device made there would open the disk).
SCRATCH = FS_BY_ABI[5] & ~(MAKE_CHAR | MAKE_BLOCK | IOCTL_DEV)
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1
PR_SET_NO_NEW_PRIVS = 38

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class LandlockError(OSError):
    """The kernel refused a step of confining this process."""


def _call(number: int, *args) -> int:
    result = _libc.syscall(number, *args)
    if result < 0:
        errno = ctypes.get_errno()
        raise LandlockError(errno, os.strerror(errno))
    return result


def abi() -> int:
    """The kernel's Landlock ABI version; 0 where it has none (too old, or switched off)."""
    if platform.system() != "Linux":
        return 0
    try:
        return _call(SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(CREATE_RULESET_VERSION))
    except LandlockError:
        return 0


def fs_rights(version: int) -> int:
    """Every file-system right ABI ``version`` handles."""
    return FS_BY_ABI[max(v for v in FS_BY_ABI if v <= version)]


class Ruleset:
    """Rules being gathered for one domain: everything ``version`` handles is denied but what
    ``allow`` adds (TCP: no port at all; ``scoped``: signals and abstract sockets stay inside)."""

    def __init__(self, version: int, files: bool = True, scoped: bool = True) -> None:
        self.version = version
        self.fs = fs_rights(version) if files else 0
        net = NET_BIND_TCP | NET_CONNECT_TCP if version >= 4 and files else 0
        scope = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if version >= 6 and scoped else 0
        attr = struct.pack("=QQQ", self.fs, net, scope)
        size = 24 if version >= 6 else 16 if version >= 4 else 8
        self.fd = _call(SYS_CREATE_RULESET, ctypes.c_char_p(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))

    def allow(self, path: str, rights: int) -> None:
        """Allow ``rights`` (those this ABI handles; file rights only, on a file) beneath ``path``;
        a path that does not exist is skipped."""
        try:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            return
        try:
            rights &= self.fs
            if not stat.S_ISDIR(os.fstat(fd).st_mode):
                rights &= FILE_RIGHTS
            if rights:
                attr = ctypes.create_string_buffer(struct.pack("=Qi", rights, fd), 12)
                _call(SYS_ADD_RULE, ctypes.c_int(self.fd), ctypes.c_int(RULE_PATH_BENEATH), attr, 0)
        finally:
            os.close(fd)

    def enter(self) -> None:
        """Confine this process (and everything it starts from now on) to the rules, for good."""
        try:
            if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
                raise LandlockError(ctypes.get_errno(), "prctl(NO_NEW_PRIVS)")
            _call(SYS_RESTRICT_SELF, ctypes.c_int(self.fd), ctypes.c_uint32(0))
        finally:
            os.close(self.fd)


def probe(scratch: str) -> str:
    """Confine this process as a session is confined, to the empty folder ``scratch``, and check
    that the walls hold; return why they do not, or "" when they do. Run in a fresh process
    (``python landlock.py SCRATCH``: it confines itself); the caller removes ``scratch`` and
    ``escaped(scratch)``."""
    version = abi()
    if version < 1:
        return "the kernel has no Landlock (Linux 5.13 or newer with Landlock enabled is needed)"
    try:
        rules = Ruleset(version)
        rules.allow(scratch, SCRATCH)
        rules.allow("/usr", READ)
        rules.enter()
        with open(os.path.join(scratch, "ok"), "w") as fh:
            fh.write("ok")
        try:
            open(escaped(scratch), "w").close()
        except PermissionError:
            return ""
        return "Landlock did not stop a write outside the allowed folder"
    except OSError as exc:
        return f"Landlock refused to confine a process: {exc}"


def escaped(scratch: str) -> str:
    """The file the probe tries (and must fail) to write outside ``scratch``."""
    return scratch.rstrip("/") + "-escaped"


if __name__ == "__main__":
    if sys.argv[1] == "--abi":
        print(abi())
    else:
        print(probe(sys.argv[1]) or f"ok {abi()}")
