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
nothing it started survives. ``uid``: (root only) the submissions run as the uid this
zygote leased (no other zygote's) and everything of that uid is killed after each.
``none``: plain processes (trusted code only).
"""

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
import namespaces  # noqa: E402  (the copies beside this file)
import session  # noqa: E402

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
    _send(control, {"spawned": request["id"]}, [ours.fileno()])
    ours.close()


def _workdir(config: dict) -> str:
    """A fresh folder with the assignment's files, owned by the session's uid, in the zygote's
    staging folder (which the grader removes with the zygote, whatever was left running)."""
    workdir = tempfile.mkdtemp(prefix="session-", dir=config["sessions_dir"])
    shutil.copytree(config["assignment_dir"], workdir, dirs_exist_ok=True)
    if config["isolation"] == "uid":
        for folder, _, files in os.walk(workdir):
            for path in [folder, *(os.path.join(folder, f) for f in files)]:
                os.chown(path, config["uid"], config["uid"])
    return workdir


def _session_process(channel: socket.socket, report_w: int, config: dict, workdir: str | None) -> None:
    """The process a submission runs in (or, with namespaces, the one that waits on it)."""
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
            os._exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status) & 0x7F)
        namespaces.die_with_parent()
        os.close(report_w)
        namespaces.enter_session(config["tmp_mb"])
        workdir = "/tmp/work"
        shutil.copytree("/assignment", workdir)
    else:
        os.close(report_w)
        os.setsid()
        if isolation == "uid":
            _drop_to(config["uid"])
    session.serve(channel, config, workdir)


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
        ended = _ended(status, config["isolation"] == "namespaces") if done else ""
        isolation = config["isolation"]
        if isolation == "namespaces":
            _signal(leader)  # the PID namespace's init: the kernel kills everything in it
        elif isolation == "uid":
            _kill_uid(config["uid"], config["killer_uid"])
        else:
            _signal(-leader)  # its process group (what a trusted session started)
        if not done:
            os.waitpid(pid, 0)
    if workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    _send(control, {"killed": request["id"], "ended": ended})


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


def _signal(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
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
            handler(control, config, sessions, request)


if __name__ == "__main__":
    main()
