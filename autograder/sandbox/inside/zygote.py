"""The sandbox's zygote: imports what student code needs once, then forks a fresh, walled-off
process for every submission and kills it, whole, when the grader is done with it.

Started by ``autograder.sandbox.client`` as ``python -I zygote.py CONTROL_FD``; runs without
the kit (the standard library, NumPy, Keras and the modules beside this file). The control
channel is a SOCK_SEQPACKET socket: one JSON object per packet. The grader sends the
configuration, then ``spawn`` and ``kill`` requests; each ``spawn`` answer carries, as
SCM_RIGHTS, the grader's end of a channel made for that submission alone.

Isolation ``namespaces``: the zygote lives in user, mount, PID, network, IPC and UTS
namespaces of its own with a root file system that holds only the runtime (read-only), and
each submission gets namespaces of its own inside those, an unprivileged uid, a fresh
``/proc`` and a private, size-capped ``/tmp``. Killing a submission kills its PID namespace:
nothing it started survives. ``landlock`` (no privilege, no namespaces): each submission has a
leader that the code cannot reach (``_lead``), and the code runs below it confined by Landlock
to the runtime (read-only) and a scratch folder of its own; killing the submission kills
everything below the leader. ``uid``: (root only) the submissions run as the uid this zygote
leased (no other zygote's) and everything of that uid is killed after each. ``none``: plain
processes (trusted code only). In every mode but ``none`` the code runs under the syscall
filter of ``syscalls``.
"""

import contextlib
import json
import os
import resource
import shutil
import signal
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import landlock  # noqa: E402  (the copies beside this file)
import namespaces  # noqa: E402
import session  # noqa: E402
import syscalls  # noqa: E402
import tree  # noqa: E402

PACKET = 1 << 16


def _send(control: socket.socket, message: dict, fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode()
    if fds:
        socket.send_fds(control, [data], fds)
    else:
        control.send(data)


def _receive(control: socket.socket) -> dict | None:
    data = control.recv(PACKET)
    return json.loads(data) if data else None


def _become_root_of_namespaces(config: dict) -> None:
    """Enter the zygote's namespaces and its allowlisted root; the original process stays
    behind only to wait, so the grader's handle on it is a handle on everything below."""
    namespaces.new_user_namespace(0)
    namespaces.unshare(namespaces.ALL)
    pid = os.fork()
    if pid:
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        _, status = os.waitpid(pid, 0)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    namespaces.die_with_parent()
    binds = [(path, path) for path in config["binds"]]
    binds += [(config["sandbox_dir"], "/sandbox"), (config["assignment_dir"], "/assignment")]
    namespaces.enter_root(config["new_root"], binds, config["masks"], 16)
    sys.path[0] = "/sandbox"


def _preimport(mode: str) -> None:
    """Import, once, what every submission needs (forked children share it)."""
    import numpy  # noqa: F401

    if mode == "keras":
        import keras  # noqa: F401  (no TensorFlow op may run here: forks must stay clean)
    elif mode == "numpy":
        session.block_frameworks()  # "python" (an assignment without Keras): neither
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401


def _spawn(control: socket.socket, config: dict, sessions: dict, request: dict) -> None:
    ours, theirs = socket.socketpair()
    report_r, report_w = os.pipe()
    workdir = None if config["isolation"] == "namespaces" else _workdir(config)
    pid = os.fork()
    if pid == 0:
        try:
            control.close()
            ours.close()
            os.close(report_r)
            _session_process(theirs, report_w, config, workdir)
        finally:
            os._exit(70)
    theirs.close()
    os.close(report_w)
    leader = int(os.read(report_r, 32) or pid)
    os.close(report_r)
    sessions[request["id"]] = (pid, leader, workdir)
    _send(control, {"spawned": request["id"], "scratch": workdir}, [ours.fileno()])
    ours.close()


def _workdir(config: dict) -> str:
    """A fresh folder with the assignment's files, owned by the session's uid, in the zygote's
    staging folder (which the grader removes with the zygote, whatever was left running)."""
    workdir = tempfile.mkdtemp(prefix="session-", dir=config["sessions_dir"])
    shutil.copytree(config["assignment_dir"], workdir, dirs_exist_ok=True)
    if config["uid"] is not None:
        for folder, _, files in os.walk(workdir):
            for path in [folder, *(os.path.join(folder, f) for f in files)]:
                os.chown(path, config["uid"], config["uid"])
    return workdir


def _session_process(channel: socket.socket, report_w: int, config: dict, workdir: str | None) -> None:
    """The process a submission runs in (or, with namespaces or landlock, the one that waits on it)."""
    zygote = os.getppid()
    namespaces.die_with_parent()
    isolation = config["isolation"]
    if isolation == "namespaces":
        namespaces.new_user_namespace(0)
        namespaces.unshare(namespaces.ALL)
        leader = os.fork()
        if leader:
            os.write(report_w, str(leader).encode())
            os.close(report_w)
            channel.close()
            _, status = os.waitpid(leader, 0)  # returns once the whole namespace is gone
            os._exit(_encoded(status))
        namespaces.die_with_parent()
        os.close(report_w)
        namespaces.enter_session(config["tmp_mb"])
        workdir = "/tmp/work"
        shutil.copytree("/assignment", workdir)
        _filter(config)
    elif isolation == "landlock":
        os.close(report_w)
        os.setsid()
        _lead(channel, config, workdir, zygote)
    else:
        os.close(report_w)
        os.setsid()
        if config["uid"] is not None:  # "uid": where the kernel has Landlock, its file rules too
            rules = _file_rules(config, workdir) if config["landlock_abi"] else None
            _drop_to(config["uid"])
            if rules is not None:
                rules.enter()
        if isolation != "none":
            _filter(config)
    session.serve(channel, config, workdir)


def _encoded(status: int) -> int:
    """A child's wait status as an exit code its waiter can pass on (a signal as 128 + n)."""
    return 128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status) & 0x7F


def _filter(config: dict, own_pid: int | None = None) -> None:
    """Load the syscall filter on this process (and all it starts), for good."""
    syscalls.build(own_pid, landlocked=config["isolation"] == "landlock").load()


# ------------------------------------------------------------------- landlock isolation
PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36
#: How often a leader looks at its session's processes and scratch folder.
WATCH_SECONDS = 0.1


def _lead(channel: socket.socket, config: dict, workdir: str, zygote: int) -> None:
    """Be a session's leader under ``landlock`` isolation: start the code below, watch it, and
    end it, whole, when it ends, breaks a cap or the zygote asks (SIGTERM). Never returns.

    The leader enters a Landlock domain of its own (where the kernel scopes signals) and the
    code one nested inside it: the code may signal nothing outside its domain, the leader
    everything in its own, so one ``kill(-1)`` ends the session and nothing else. Orphans
    become the leader's (a child subreaper), so a double fork or a new session does not take
    a process out of its reach, and without scoping it kills what it finds below itself.
    """
    import ctypes

    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    scoped = config["landlock_abi"] >= 6
    if scoped:
        landlock.Ruleset(config["landlock_abi"], files=False).enter()
    # Held until the leader waits for them: the zygote's SIGTERM must not kill it before it has
    # ended its session, and a child's end must wake it at once.
    unblocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGCHLD})
    # The zygote gone (its judge killed, say), the leader still ends its session before itself.
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != zygote:
        os._exit(0)
    code = os.fork()
    if code == 0:
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
            namespaces.die_with_parent()
            _confine(config, workdir, scoped)
            session.serve(channel, config, workdir)
        finally:
            os._exit(70)
    channel.close()
    status, ending = None, 0
    try:
        status = _watch(code, config, workdir)
    except BaseException:  # whatever the code made of its folder, the session still ends whole
        ending = 70
    finally:
        _end_all(scoped)
    os._exit(_encoded(status) if status is not None else ending)


#: How a leader that ended its session for a cap says so (as the kill a cap would have sent).
OVER_PROCESSES, OVER_SCRATCH = 128 + signal.SIGKILL, 128 + signal.SIGXFSZ


def _confine(config: dict, workdir: str, scoped: bool) -> None:
    """Confine the submission's process: its files, the network, its user, its syscalls."""
    rules = _file_rules(config, workdir)
    if config["uid"] is not None:
        _drop_to(config["uid"])
    elif os.geteuid() == 0:
        _drop_capabilities()  # root whose Python no other user may read: uid 0, powerless
    else:  # the grader's own uid: its processes count against the cap too
        config["nproc"] = _tasks_of(os.getuid()) + config["processes"]
    rules.enter()
    _filter(config, None if scoped else os.getpid())


#: What a session may read of its own /proc/self: not its net/ (the machine's sockets, where
#: there is no network namespace) nor its mounts.
OWN_PROC = ("status", "stat", "statm", "maps", "smaps", "limits", "fd", "fdinfo", "cmdline", "comm")
OWN_PROC += ("task", "cgroup", "io", "auxv", "environ", "exe", "cwd", "sched", "schedstat")


def _file_rules(config: dict, workdir: str) -> landlock.Ruleset:
    """The Landlock rules of a session's files (to be entered): the runtime read-only, its own
    /proc/self and scratch folder, the harmless devices, nothing else."""
    rules = landlock.Ruleset(config["landlock_abi"])
    for path in config["read_only"]:
        rules.allow(path, landlock.READ)
    for entry in OWN_PROC:  # some of its own /proc/self, no other process's
        rules.allow(f"/proc/{os.getpid()}/{entry}", landlock.READ)
    rules.allow(f"/proc/{os.getpid()}/oom_score_adj", landlock.READ_FILE | landlock.WRITE_FILE)
    rules.allow(workdir, landlock.SCRATCH)
    for device in ("null", "zero", "full", "random", "urandom"):
        rules.allow(f"/dev/{device}", landlock.READ_FILE | landlock.WRITE_FILE)
    return rules


PR_CAPBSET_DROP, LAST_CAPABILITY, SYS_CAPSET = 24, 63, {"x86_64": 126, "aarch64": 91}


def _drop_capabilities() -> None:
    """Give up every capability, for good (the bounding set too, so no exec brings one back)."""
    import ctypes
    import platform

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in range(LAST_CAPABILITY + 1):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)  # EINVAL past the kernel's last: ignored
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable: none, in two words each
    if libc.syscall(SYS_CAPSET[platform.machine()], header, data) != 0:
        raise OSError(ctypes.get_errno(), "capset: the session could not give up root's capabilities")


def _tasks_of(uid: int) -> int:
    """The tasks (threads) of ``uid`` this process can see, which RLIMIT_NPROC counts."""
    tasks = 0
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/status") as fh:
                    status = dict(line.split(":", 1) for line in fh if ":" in line)
                if int(status["Uid"].split()[0]) == uid:
                    tasks += int(status["Threads"])
            except (OSError, KeyError, ValueError, IndexError):
                continue
    return tasks


def _watch(code: int, config: dict, workdir: str) -> int | None:
    """Reap the session's processes until its code's process ends (return its status) or the
    zygote asks for the end (SIGTERM: None); a session holding more processes or scratch than
    its caps allow is ended here, the leader exiting as the cap's kill would have."""
    while True:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return None
            if pid == code:
                return status
            if pid == 0:
                break
        over = _over_caps(config, workdir)
        if over:
            _end_all(config["landlock_abi"] >= 6)
            os._exit(over)
        woken = signal.sigtimedwait({signal.SIGTERM, signal.SIGCHLD}, WATCH_SECONDS)
        if woken is not None and woken.si_signo == signal.SIGTERM:
            return None


def _over_caps(config: dict, workdir: str) -> int:
    """Does the session hold more tasks (processes and threads, as RLIMIT_NPROC counts them) or
    its scratch folder more than its caps allow? Say which (``OVER_PROCESSES``,
    ``OVER_SCRATCH``), or 0."""
    # A uid of its own caps the session's tasks exactly (RLIMIT_NPROC); a shared one only above
    # what the uid held when the session started, so the leader counts them too.
    if config["uid"] is None and _tasks(_descendants()) > config["processes"]:
        return OVER_PROCESSES
    entries, size = tree.usage(workdir, config["tmp_entries"], config["tmp_mb"] << 20)
    return OVER_SCRATCH if entries > config["tmp_entries"] or size > config["tmp_mb"] << 20 else 0


def _descendants() -> list[int]:
    """Every live process below this one: orphans of the session are this subreaper's children,
    so its tasks' ``children`` files reach them all (where the kernel has none, every process's
    parent is read instead)."""
    if not os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children"):
        return _descendants_by_parent()
    below, frontier = [], [os.getpid()]
    while frontier:
        found = []
        for pid in frontier:
            for tid in _listdir(f"/proc/{pid}/task"):
                try:
                    with open(f"/proc/{pid}/task/{tid}/children") as fh:
                        found += [int(child) for child in fh.read().split()]
                except (OSError, ValueError):
                    continue
        below += found
        frontier = found
    return below


def _descendants_by_parent() -> list[int]:
    parents = {}
    for name in _listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as fh:
                    fields = fh.read().rpartition(b")")[2].split()
                parents[int(name)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    below, frontier = [], {os.getpid()}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier}
        below += frontier
    return below


def _tasks(pids: list[int]) -> int:
    return sum(len(_listdir(f"/proc/{pid}/task")) for pid in pids)


def _listdir(path: str) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []


def _end_all(scoped: bool) -> None:
    """Kill every process of the session and reap them. Scoped, one kill(-1) reaches exactly the
    leader's domain (atomic with fork); then, and without scoping only, what is left below."""
    if scoped:
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
    for _ in range(1000):
        left = _descendants()
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        while True:
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break
        if not left:
            return
        time.sleep(0.001)


def _drop_to(uid: int) -> None:
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    namespaces.no_new_privileges()


def _kill(control: socket.socket, config: dict, sessions: dict, request: dict) -> None:
    pid, leader, workdir = sessions.pop(request["id"], (0, 0, None))
    ended = ""
    if pid:
        done, status = _wait(pid, 1.0 if request.get("gone") else 0.0)
        ended = _ended(status, config["isolation"] in ("namespaces", "landlock")) if done else ""
        isolation = config["isolation"]
        if isolation == "namespaces":
            _signal(leader)  # the PID namespace's init: the kernel kills everything in it
        elif isolation == "landlock":
            _signal(leader, signal.SIGTERM)  # the leader ends its session, whole, then itself
            if config["uid"] is not None:  # what a session left behind, should the leader fail
                _kill_uid(config["uid"], config["killer_uid"])
        elif isolation == "uid":
            _kill_uid(config["uid"], config["killer_uid"])
        else:
            _signal(-leader)  # its process group (what a trusted session started)
        if not done:
            os.waitpid(pid, 0)
        if config["uid"] is not None:
            _reap_gone(config["uid"], {p for p, _, _ in sessions.values()})
            _remove_files_of(config["uid"])
    if workdir:
        tree.remove(workdir)
    _send(control, {"killed": request["id"], "ended": ended})


#: The machine's folders any user may write to, which "uid" isolation shares with the host.
SHARED = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")


def _remove_files_of(uid: int, folders=SHARED, depth: int = 2) -> None:
    """Remove what ``uid`` (whose processes are all dead) left in the shared folders, and in
    folders there that others own but anyone may write (say /tmp/.X11-unix), so that the next
    session of the uid finds nothing of this one's."""
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if info.st_uid == uid:
                if entry.is_dir(follow_symlinks=False):
                    tree.remove(entry.path)
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
            elif depth > 1 and entry.is_dir(follow_symlinks=False) and info.st_mode & 0o002:
                _remove_files_of(uid, [entry.path], depth - 1)


def _wait(pid: int, seconds: float) -> tuple[int, int]:
    """waitpid without blocking, for up to ``seconds`` (a session that closed its channel is
    usually ending already: this says how)."""
    end = time.monotonic() + seconds
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done or time.monotonic() >= end:
            return done, status
        time.sleep(0.005)


SIGNALS = {
    signal.SIGSEGV: "a segmentation fault",
    signal.SIGBUS: "a bus error",
    signal.SIGABRT: "an abort",
    signal.SIGKILL: "SIGKILL (a memory or process limit)",
    signal.SIGXCPU: "the CPU time limit",
    signal.SIGXFSZ: "the file size limit",
}


def _ended(status: int, encoded: bool) -> str:
    """How a session that ended by itself ended (its waiting parent encodes a signal as 128+n)."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
    else:
        code = os.WEXITSTATUS(status)
        if not (encoded and code > 128):
            return f"the code ended the process (exit status {code})"
        number = code - 128
    name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
    return f"it was killed by {SIGNALS.get(number, name)}"


def _signal(pid: int, number: int = signal.SIGKILL) -> None:
    try:
        os.kill(pid, number)
    except ProcessLookupError:
        pass


def _kill_uid(uid: int, killer: int) -> None:
    """Kill every process of ``uid``: a helper whose effective uid is ``uid`` signals all it may
    signal; its real and saved uid (``killer``) are not theirs, so none of them may signal it."""
    helper = os.fork()
    if helper == 0:
        try:
            os.setgroups([])
            os.setresgid(killer, killer, killer)
            os.setresuid(killer, uid, killer)
            os.kill(-1, signal.SIGKILL)  # one call reaches every process of uid (atomic with fork)
        finally:
            os._exit(0)
    os.waitpid(helper, 0)


def _reap_gone(uid: int, keep: set[int], seconds: float = 5.0) -> None:
    """Wait until nothing of the killed ``uid`` is left, dead or alive: RLIMIT_NPROC counts a
    killed process until it is reaped, and the next session of the uid must find its whole
    allowance (a fork bomb's dead would otherwise make its Keras fail to start a thread). What
    sessions left comes to the zygote (a subreaper), which reaps it, never a session in ``keep``."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        while True:
            try:
                info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                break
            if info is None or info.si_pid in keep:
                break
            os.waitpid(info.si_pid, 0)
        if not _tasks_left(uid):
            return
        time.sleep(0.005)


def _tasks_left(uid: int) -> bool:
    """Does any process of ``uid``, a zombie included, exist?"""
    for name in _listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/status") as fh:
                    if any(line.startswith("Uid:") and line.split()[1] == str(uid) for line in fh):
                        return True
            except OSError:
                continue
    return False


def main() -> None:
    namespaces.die_with_parent()  # the grader gone, the sandbox goes too
    if os.getppid() == 1:
        return
    control = socket.socket(fileno=int(sys.argv[1]))
    config = _receive(control)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)  # what the runtime prints goes nowhere
    if config["isolation"] == "namespaces":
        _become_root_of_namespaces(config)
    if config["uid"] is not None:  # what a session of the uid leaves comes here to be reaped
        import ctypes

        ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _preimport(config["mode"])
    _send(control, {"ready": config["mode"]})
    sessions: dict = {}
    while True:
        request = _receive(control)
        if request is None or request.get("op") == "quit":
            return
        handler = {"spawn": _spawn, "kill": _kill}.get(request.get("op"))
        if handler is not None:
            try:
                handler(control, config, sessions, request)
            except Exception as exc:  # the grader's side says so (say, an unreadable assignment)
                _send(control, {"failed": f"{type(exc).__name__}: {exc}"})


if __name__ == "__main__":
    main()
