"""Where courses grade, emulated on the test machine: command prefixes that run a grader as it
runs in a container under Docker's (or Kubernetes') default seccomp profile, as root without
CAP_SYS_ADMIN or as an ordinary user, or as an ordinary user whose kernel refuses user
namespaces (Ubuntu 24.04's AppArmor rule for a TLJH account).

Run as a script (``python deployments.py PROFILE -- CMD...``) it loads the profile's seccomp
filter on itself and executes ``CMD``:

* ``docker``: what Docker's default profile refuses a container without CAP_SYS_ADMIN that a
  sandbox could use: ``unshare``, ``setns``, ``clone`` with a namespace flag and the mount
  calls answer EPERM, ``clone3`` ENOSYS (so that the C library uses ``clone``), and so do
  ``bpf``, ``perf_event_open``, ``userfaultfd``, keyrings, modules and ``io_uring``;
* ``userns``: user namespaces refused (``unshare`` and ``clone`` with CLONE_NEWUSER), all else allowed;
* ``old_kernel``: that, and no Landlock (its calls answer ENOSYS, as before Linux 5.13).
"""

import errno
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The ordinary user the emulations grade as (no such account is needed: a uid is enough).
USER = 1001
CLONE_NEWUSER = 0x10000000
NAMESPACE_FLAGS = (0x80, 0x20000, 0x2000000, 0x4000000, 0x8000000, CLONE_NEWUSER, 0x20000000, 0x40000000)
DOCKER_DENIES = (
    "unshare setns mount umount2 pivot_root fsopen fsconfig fsmount fspick move_mount open_tree "
    "mount_setattr bpf perf_event_open userfaultfd keyctl add_key request_key init_module "
    "finit_module delete_module kexec_load kexec_file_load io_uring_setup io_uring_enter io_uring_register"
).split()


def landlock_chosen() -> str:
    """What a run says it chose where Docker's profile (or a kernel's rule) refuses user namespaces."""
    from autograder.sandbox.policy import Isolation, walls

    refused = "[Errno 1] unshare: Operation not permitted"
    return f"landlock, {walls(Isolation.LANDLOCK)} (auto: no namespaces: {refused})"


def docker(user: bool) -> list[str]:
    """A grader in a container with Docker's default profile: its cgroup file system read-only,
    CAP_SYS_ADMIN gone (root) or an ordinary user, then the profile's filter."""
    who = _setpriv_user() if user else ["setpriv", "--bounding-set", "-sys_admin", "--inh-caps", "-sys_admin"]
    return _mounted("mount -o remount,bind,ro /sys/fs/cgroup 2>/dev/null;") + who + filtered("docker")


def no_user_namespaces() -> list[str]:
    """An ordinary user on a kernel that refuses them user namespaces (Ubuntu 24.04 and later)."""
    return as_user() + filtered("userns")


def no_sandbox() -> list[str]:
    """Where no sandbox can be built: no user namespaces (util-linux ``unshare`` leaves none to
    make), no Landlock (a kernel before 5.13), no root of the machine's for a uid of its own."""
    script = 'echo 0 > /proc/sys/user/max_user_namespaces && exec "$@"'
    return ["unshare", "--user", "--map-root-user", "sh", "-c", script, "sh", *filtered("old_kernel")]


def masked_proc() -> list[str]:
    """Root where parts of /proc are hidden under other mounts, as container runtimes hide them
    (and ``--security-opt seccomp=unconfined``): user namespaces work, a fresh /proc does not."""
    return _mounted("mount --bind /dev/null /proc/keys && mount --bind /dev/null /proc/timer_list;")


def _mounted(extra: str) -> list[str]:
    """A mount namespace of the command's own, with ``extra`` done in it and a runtime other
    users can read (``readable_python``)."""
    from tests.helpers import readable_python

    own = ["unshare", "--mount", "--propagation", "private", "sh", "-c", 'exec "$@"', "sh"]
    prefix = readable_python() or own
    script = prefix[-2]
    return [*prefix[:-2], extra + " " + script, prefix[-1]]


def as_user() -> list[str]:
    """The rest of the command as the ordinary user ``USER``, with no capability (in the
    runtime's view of ``_mounted``)."""
    return _mounted("") + _setpriv_user()


def _setpriv_user() -> list[str]:
    return ["setpriv", "--reuid", str(USER), "--regid", str(USER), "--clear-groups", "--inh-caps", "-all"]


def filtered(profile: str) -> list[str]:
    """A prefix that runs a command under ``profile``'s filter (the module's docstring)."""
    return [sys.executable, str(HERE / "deployments.py"), profile, "--"]


def load(profile: str) -> None:
    """Load ``profile``'s seccomp filter on this process (and all it starts), for good."""
    import pyseccomp as seccomp

    deny = seccomp.ERRNO(errno.EPERM)
    f = seccomp.SyscallFilter(seccomp.ALLOW)
    if profile == "docker":
        for name in DOCKER_DENIES:
            f.add_rule(deny, name)
        for flag in NAMESPACE_FLAGS:
            f.add_rule(deny, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    else:
        f.add_rule(deny, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER))
        f.add_rule(deny, "unshare", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER))
    if profile == "old_kernel":
        for name in ("landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self"):
            f.add_rule(seccomp.ERRNO(errno.ENOSYS), name)
    f.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")  # its flags lie behind a pointer
    f.load()


if __name__ == "__main__":
    profile, separator, *command = sys.argv[1:]
    assert separator == "--" and profile in ("docker", "userns", "old_kernel"), sys.argv
    load(profile)
    os.execvp(command[0], command)
