"""Linux namespaces from the standard library alone: the sandbox's walls, built by the sandbox.

Used inside the sandbox (it imports nothing from the kit). ``enter_root`` turns a fresh,
single-threaded process into the sandbox's zygote: its own user, mount, network, IPC, UTS and
PID namespaces, and a root file system that holds only what it is given (read-only binds of
the Python runtime and its libraries). ``enter_session`` gives one submission namespaces of
its own inside that, with a fresh ``/proc``, a private size-capped ``/tmp`` and an
unprivileged uid. Needs nothing but a kernel that allows unprivileged user namespaces (or
root); no setuid helper, no bubblewrap.
"""

import ctypes
import os
import platform

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
ALL = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MS_NOATIME, MS_NODIRATIME, MS_RELATIME = 1024, 2048, 1 << 21
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}.get(platform.machine())
#: The uid (and gid) student code runs as inside its namespace.
SANDBOX_UID = 1000
#: Where binds whose place is under /tmp (a runtime installed there, say a venv in a clone in
#: /tmp) are held: the sandbox's own /tmp, and each session's, would hide them.
HELD = "/.held"
#: The targets under /tmp held there (set by ``enter_root``; sessions forked later inherit it).
_held: list[str] = []

_libc = ctypes.CDLL(None, use_errno=True)


class SandboxSetupError(OSError):
    """The kernel refused a step of building the sandbox."""


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise SandboxSetupError(errno, f"{what}: {os.strerror(errno)}")


def unshare(flags: int) -> None:
    _check(_libc.unshare(flags), "unshare")


def _bytes(text: str | None) -> bytes | None:
    return text.encode() if text is not None else None


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    args = (_bytes(source), _bytes(target), _bytes(fstype), flags, _bytes(data))
    _check(_libc.mount(*args), f"mount {target}")


def die_with_parent() -> None:
    """Be killed when the process that started this one ends."""
    _check(_libc.prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0), "prctl(PDEATHSIG)")


def no_new_privileges() -> None:
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(NO_NEW_PRIVS)")


def _write(path: str, text: str) -> None:
    with open(path, "w") as fh:
        fh.write(text)


def new_user_namespace(inside_uid: int) -> None:
    """Enter a new user namespace as ``inside_uid`` (mapped to the uid and gid we had)."""
    uid, gid = os.getuid(), os.getgid()
    unshare(CLONE_NEWUSER)
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{inside_uid} {uid} 1")
    _write("/proc/self/gid_map", f"{inside_uid} {gid} 1")


def _bind(source: str, target: str, writable: bool = False) -> None:
    """Bind ``source`` at ``target`` (created as needed), read-only unless ``writable``."""
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.exists(target):
            open(target, "a").close()
    mount(source, target, None, MS_BIND | MS_REC)
    if not writable:
        # A remount may only add flags: keep those the original mount was locked with.
        kept = os.statvfs(source).f_flag & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME)
        mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | kept)


def _mask(target: str) -> None:
    """Hide a folder under an empty read-only tmpfs."""
    if os.path.isdir(target):
        mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY, "size=4k,mode=0555")


def enter_root(new_root: str, binds: list[tuple[str, str]], masks: list[str], tmp_size_mb: int) -> None:
    """Make ``new_root`` (an empty folder we own) this process's whole file system.

    Must run as PID 1 of fresh user, mount and PID namespaces. ``binds`` are ``(source,
    target)`` pairs bound read-only; ``masks`` are targets to hide under empty tmpfs. The
    process ends with a fresh ``/proc``, device nodes for null, zero and random, a small
    writable ``/tmp`` and nothing else.
    """
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    mount("tmpfs", new_root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,nr_inodes=4096,mode=0755")
    for source, target in binds:
        if os.path.islink(source) and not os.path.isabs(os.readlink(source)):
            os.symlink(os.readlink(source), new_root + target)  # e.g. /lib -> usr/lib
        elif os.path.exists(source):
            if target.startswith("/tmp/"):
                _held.append(target)
            _bind(source, new_root + _place(target))
    for target in masks:
        _mask(new_root + _place(target))
    for dev in ("null", "zero", "full", "random", "urandom"):
        _bind(f"/dev/{dev}", f"{new_root}/dev/{dev}", writable=True)
    os.makedirs(new_root + "/proc", exist_ok=True)
    mount("proc", new_root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    os.makedirs(new_root + "/tmp", exist_ok=True)
    mount("tmpfs", new_root + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmp_size_mb}m,mode=1777")
    _bring_back_held(new_root)
    os.makedirs(new_root + "/.old", exist_ok=True)
    _check(_libc.syscall(SYS_PIVOT_ROOT, new_root.encode(), (new_root + "/.old").encode()), "pivot_root")
    os.chdir("/")
    _check(_libc.umount2(b"/.old", MNT_DETACH), "umount old root")
    os.rmdir("/.old")
    mount(None, "/", None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def _place(target: str) -> str:
    """Where a bind or mask for ``target`` goes: under ``HELD`` when ``target`` is under /tmp."""
    held = any(target == t or target.startswith(t + "/") for t in _held)
    return HELD + target if held else target


def _bring_back_held(root: str = "") -> None:
    """Bind the held runtime paths (their masks with them) at their places in a fresh /tmp."""
    for target in _held:
        _bind(root + HELD + target, root + target)


def enter_session(tmp_size_mb: int, inodes: int = 8192) -> None:
    """Give this process (PID 1 of new namespaces, still privileged in them) its own ``/proc``
    and private ``/tmp``, then drop to the unprivileged ``SANDBOX_UID`` for good."""
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmp_size_mb}m,nr_inodes={inodes},mode=1777")
    _bring_back_held()
    try:  # the student's code may create no user namespaces of its own (ENOSPC beyond 1)
        _write("/proc/sys/user/max_user_namespaces", "1")
    except OSError:
        pass
    # A user namespace inside this one: the code runs as SANDBOX_UID and is privileged only
    # there, which owns nothing (mounts, processes and network belong to the one above).
    new_user_namespace(SANDBOX_UID)
    no_new_privileges()


def probe() -> str:
    """Try to build the namespaces here; return why that failed, or "" when it worked.

    Run in a fresh process (``python namespaces.py``): the kernel lets only a
    single-threaded process enter a new user namespace.
    """
    if SYS_PIVOT_ROOT is None:
        return f"the sandbox does not know pivot_root's number on {platform.machine()}"
    try:
        new_user_namespace(0)
        unshare(ALL)
    except OSError as exc:
        return str(exc)
    return _probe_procfs()


def _probe_procfs() -> str:
    """Mount a fresh /proc as the first process of the new PID namespace, as the zygote does
    (container runtimes mask parts of the machine's /proc, and the kernel then refuses it)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            mount(None, "/", None, MS_REC | MS_PRIVATE)
            mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m")
            os.mkdir("/tmp/proc")
            mount("proc", "/tmp/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        except OSError as exc:
            os.write(write, f"a fresh /proc cannot be mounted ({exc})".encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read, "rb") as fh:
        return fh.read().decode()


if __name__ == "__main__":
    reason = probe()
    print(reason or "ok")
