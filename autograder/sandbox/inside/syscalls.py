"""The sandbox's system call filter (seccomp-bpf, built by libseccomp through ``pyseccomp``):
what Docker's default profile denies a container without CAP_SYS_ADMIN, and what a grader
must deny besides, for every session in every isolation.

Used inside the sandbox (it imports nothing from the kit). ``build`` assembles the filter once,
in the zygote; ``SyscallFilter.load`` confines the calling process (and all it starts) for good.
Everything not named here is allowed: the walls are the isolation's, the filter takes away the
kernel's attack surface and the ways around them:

* new namespaces, mounts and root changes (``unshare``, ``setns``, ``clone`` with a namespace
  flag, ``clone3``, the mount API), as Docker refuses them; ``clone3`` answers ENOSYS so that
  the C library falls back to ``clone``, whose flags a filter can read;
* the kernel's own machinery: ``bpf``, ``perf_event_open``, ``userfaultfd``, ``io_uring_*``,
  keyrings, module loading, ``kexec``, clocks, swap, reboot, quotas, ``personality`` changes,
  file handles, ``kcmp``;
* other processes: ``ptrace``, ``process_vm_readv``/``writev``, ``pidfd_getfd``;
* the network: ``socket`` for every family (a session's channel is made before it starts), and
  ``socketpair`` but for AF_UNIX;
* memory the process limits do not count: ``memfd_create`` and System V shared memory,
  semaphores and message queues (which also outlive a process).

``build(..., landlocked=True)`` adds what ``landlock`` isolation needs: Landlock does not mediate
a file's metadata, and the code may own files outside its walls (it runs as the grader's user,
or as uid 0), so changing any file's mode, owner, times or extended attributes does nothing
(and says it worked: ``shutil.copy`` still works in the scratch folder), and ``inotify`` (which
would tell it the names of files made elsewhere) is refused. ``build(own_pid)`` adds what it
needs where the kernel cannot scope signals (Landlock below ABI 6): signals may reach the
session's own process, nothing else.
"""

import errno

try:
    import pyseccomp as seccomp
except (ImportError, RuntimeError) as exc:  # RuntimeError: libseccomp.so.2 is not installed
    seccomp = None
    MISSING = f"{type(exc).__name__}: {exc}"
else:
    MISSING = ""

DENIED = (
    # namespaces, mounts, the root
    "unshare setns mount umount2 pivot_root chroot fsopen fsconfig fsmount fspick move_mount "
    "open_tree mount_setattr "
    # the kernel's machinery
    "bpf perf_event_open userfaultfd io_uring_setup io_uring_enter io_uring_register keyctl "
    "add_key request_key init_module finit_module delete_module kexec_load kexec_file_load "
    "reboot swapon swapoff acct syslog quotactl quotactl_fd lookup_dcookie nfsservctl uselib "
    "ustat sysfs _sysctl iopl ioperm vm86 vm86old settimeofday clock_settime clock_adjtime "
    "adjtimex open_by_handle_at name_to_handle_at kcmp "
    # other processes
    "ptrace process_vm_readv process_vm_writev pidfd_getfd "
    # the network
    "socket "
    # memory no limit counts, IPC that outlives the process
    "memfd_create shmget shmat shmctl semget semop semtimedop semctl msgget msgsnd msgrcv msgctl"
).split()
#: clone's namespace flags (CLONE_NEWTIME, NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET).
CLONE_NAMESPACES = (0x80, 0x20000, 0x2000000, 0x4000000, 0x8000000, 0x10000000, 0x20000000, 0x40000000)
#: The personality flags that weaken a process's own defences (ADDR_NO_RANDOMIZE, MMAP_PAGE_ZERO,
#: ADDR_COMPAT_LAYOUT, READ_IMPLIES_EXEC, ADDR_LIMIT_32BIT, ADDR_LIMIT_3GB): Docker allows only
#: Linux's own personality and its 32-bit and UNAME26 variants.
PERSONALITY_FLAGS = (0x0040000, 0x0100000, 0x0200000, 0x0400000, 0x0800000, 0x8000000)
AF_UNIX = 1
SIGNALLING = ("kill", "tgkill", "tkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")
#: A file's metadata, which Landlock does not mediate: under landlock these do nothing.
METADATA = (
    "chmod fchmod fchmodat fchmodat2 chown fchown lchown fchownat utime utimes utimensat futimesat "
    "setxattr lsetxattr fsetxattr removexattr lremovexattr fremovexattr setxattrat removexattrat"
).split()
WATCHING = ("inotify_init", "inotify_init1", "fanotify_init")


def available() -> str:
    """Why the filter cannot be built here, or "" when it can."""
    return f"no syscall filter: pyseccomp over libseccomp.so.2 is unavailable ({MISSING})" if MISSING else ""


def build(own_pid: int | None = None, landlocked: bool = False):
    """The filter, to be loaded by process ``own_pid`` where given: then signals may reach that
    process alone (what ``landlock`` isolation needs where the kernel cannot scope signals).
    ``landlocked``: also what ``landlock`` isolation needs on every kernel (the docstring above).

    Raises:
        RuntimeError: libseccomp is unavailable (``available`` says why).
    """
    if seccomp is None:
        raise RuntimeError(available())
    deny = seccomp.ERRNO(errno.EPERM)
    f = seccomp.SyscallFilter(seccomp.ALLOW)
    try:  # a binary tree of the calls named (libseccomp 2.5+): each call costs log(rules), not rules
        f.set_attr(seccomp.Attr.CTL_OPTIMIZE, 2)
    except (OSError, RuntimeError, ValueError):
        pass
    for name in DENIED:
        _add(f, deny, name)
    _add(f, seccomp.ERRNO(errno.ENOSYS), "clone3")
    for flag in CLONE_NAMESPACES:
        f.add_rule(deny, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    f.add_rule(deny, "socketpair", seccomp.Arg(0, seccomp.NE, AF_UNIX))
    for flag in PERSONALITY_FLAGS:
        f.add_rule(deny, "personality", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    if landlocked:
        for name in METADATA:
            _add(f, seccomp.ERRNO(0), name)
        for name in WATCHING:
            _add(f, seccomp.ERRNO(errno.ENOSYS), name)
    if own_pid is not None:  # any other target (another pid, a group, -1, a pidfd) is refused
        for name in SIGNALLING:
            f.add_rule(deny, name, seccomp.Arg(0, seccomp.NE, own_pid))
        _add(f, deny, "pidfd_open")
        _add(f, deny, "pidfd_send_signal")
    return f


def _add(f, action: int, name: str) -> None:
    """Add a rule for ``name`` where this architecture has that call (vm86 is only x86's)."""
    try:
        f.add_rule(action, name)
    except (ValueError, RuntimeError, OSError):
        pass


if __name__ == "__main__":
    print(available() or "ok")
