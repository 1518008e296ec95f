"""The grader's side of the sandbox: start a worker, open a cell in it, call its function."""

import contextlib
import os
import select
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from autograder.quiet import quiet_environment
from autograder.sandbox import protocol

HERE = Path(__file__).resolve().parent
FRAMEWORK_DIRS = ("tensorflow", "keras", "tf_keras")


class SandboxFault(Exception):
    """The student's code made its process die, hang or garble the channel."""


def bwrap_available() -> bool:
    """Is bubblewrap installed and allowed to make namespaces here?"""
    exe = shutil.which("bwrap")
    if exe is None:
        return False
    probe = [exe, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "true"]
    return subprocess.run(probe, capture_output=True).returncode == 0


def _bwrap_prefix(mode: str, course_root: Path, staging: Path) -> list[str]:
    """Bubblewrap arguments: everything read-only, course and home hidden, no network."""
    args = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    args += ["--tmpfs", "/tmp", "--tmpfs", str(course_root)]
    home = Path.home()
    if home != Path("/"):
        args += ["--tmpfs", str(home)]
    # Put back, read-only, what the worker needs if the hiding above covered it.
    for keep in {Path(sys.base_prefix), Path(sys.prefix)}:
        args += ["--ro-bind", str(keep), str(keep)]
    if mode == "numpy":
        site = Path(sysconfig.get_paths()["purelib"])
        for name in FRAMEWORK_DIRS:
            if (site / name).is_dir():
                args += ["--tmpfs", str(site / name)]
    args += ["--ro-bind", str(staging), "/tmp/.autograder-worker"]
    args += ["--unshare-all", "--die-with-parent", "--new-session", "--chdir", "/tmp"]
    return args


class Sandbox:
    """One warm worker process of one mode ("keras" or "numpy"), restarted after a fault."""

    def __init__(self, mode: str, course_root: Path, isolate: bool) -> None:
        self.mode, self.course_root, self.isolate = mode, Path(course_root), isolate
        self.staging = Path(tempfile.mkdtemp(prefix="autograder-worker-"))
        for name in ("worker.py", "protocol.py"):
            shutil.copy(HERE / name, self.staging / name)
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the worker and wait until it has imported what it needs."""
        to_r, self._to_w = os.pipe()
        self._from_r, from_w = os.pipe()
        if self.isolate:
            script = "/tmp/.autograder-worker/worker.py"
            prefix = _bwrap_prefix(self.mode, self.course_root, self.staging)
        else:
            script, prefix = str(self.staging / "worker.py"), []
        env = {"PATH": os.environ.get("PATH", ""), "HOME": "/tmp", **quiet_environment()}
        cmd = [*prefix, sys.executable, "-E", "-s", script, self.mode, str(to_r), str(from_w)]
        self.proc = subprocess.Popen(
            cmd,
            pass_fds=(to_r, from_w),
            env=env,
            cwd=tempfile.gettempdir(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        os.close(to_r)
        os.close(from_w)
        hello = self._receive(timeout=120)
        if hello.get("ready") != self.mode:
            raise RuntimeError(f"the {self.mode} sandbox did not start: {hello}")

    def stop(self) -> None:
        """Kill the worker and everything it started."""
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            self.proc = None
            for fd in (self._to_w, self._from_r):
                with contextlib.suppress(OSError):
                    os.close(fd)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.staging, ignore_errors=True)

    def _send(self, message: dict) -> None:
        try:
            protocol.send(self._to_w, message)
        except OSError as exc:
            raise SandboxFault(f"the channel to the code broke ({exc})") from None

    def _receive(self, timeout: float) -> dict:
        ready, _, _ = select.select([self._from_r], [], [], max(timeout, 0))
        if not ready:
            raise TimeoutError
        try:
            return protocol.receive(self._from_r)
        except (EOFError, ValueError, OSError) as exc:
            raise SandboxFault(f"the channel from the code broke ({exc})") from None

    def open(self, name: str, source: str, limits: dict) -> "Cell":
        """Run ``source`` in a fresh child and return a handle to the function ``name``."""
        message = {"op": "start", "name": name, "source": source, **limits}
        if self.proc is None or self.proc.poll() is not None:
            self.stop()
            self.start()
        self._send(message)
        return Cell(self, name, float(limits.get("seconds", 60)), int(limits.get("memory_mb", 0)))


class Cell:
    """A student's function living in a sandbox child, called through the channel."""

    def __init__(self, sandbox: Sandbox, name: str, budget: float, memory_mb: int = 0) -> None:
        self.sandbox, self.name, self.memory_mb = sandbox, name, memory_mb
        self.runs_without_frameworks = sandbox.mode == "numpy"
        self.deadline = time.monotonic() + budget
        self.budget = budget
        self.fault = ""
        self.finished = False
        self.defined, self.problem = self._first_reply()

    def _reply(self) -> dict:
        try:
            message = self.sandbox._receive(self.deadline - time.monotonic())
        except TimeoutError:
            self._fail(f"the time limit of {self.budget:g} s for this exercise ran out")
        except SandboxFault as exc:
            self._fail(str(exc))
        if message.get("event") == "ended":
            self._fail(message.get("status", "the process running the code ended"))
        return message

    def _fail(self, reason: str):
        self.fault = reason
        self.sandbox.stop()
        raise SandboxFault(reason)

    def _first_reply(self) -> tuple[bool, str]:
        try:
            reply = self._reply()
        except SandboxFault as exc:
            return False, f"running the cell failed: {exc}"
        if reply.get("defined"):
            return True, ""
        self._wait_ended()  # the child exits by itself after a cell that defined nothing
        error = reply.get("error", {})
        if error.get("type") == "NotDefined":
            return False, f"the cell with grade_id '{self.name}' does not define {self.name}"
        return False, f"the cell defining {self.name} raised {error.get('type')}: {error.get('message')}"

    def __call__(self, *args, **kwargs):
        if self.fault:
            raise SandboxFault(self.fault)
        self.sandbox._send(
            {"op": "call", "args": protocol.encode(list(args)), "kwargs": protocol.encode(kwargs)}
        )
        reply = self._reply()
        if "mutated_args" in reply:
            _copy_back(args, protocol.decode(reply["mutated_args"]))
        if "error" in reply:
            error = reply["error"]
            if error.get("type") == "MemoryError":
                self.fault = f"MemoryError: the code needed more than the {self.memory_mb} MB allowed"
                raise SandboxFault(self.fault)
            raise type(str(error.get("type", "Error")), (Exception,), {})(error.get("message", ""))
        return _rebuild(protocol.decode(reply["result"]))

    def end(self) -> None:
        """Let the child exit (or, after a fault, nothing: the worker was restarted)."""
        if self.finished or self.sandbox.proc is None:
            return
        with contextlib.suppress(SandboxFault):
            self.sandbox._send({"op": "end"})
            self._wait_ended()

    def _wait_ended(self) -> None:
        """Read up to the worker's note that the child has gone; restart it if none comes."""
        self.finished = True
        while True:
            try:
                message = self.sandbox._receive(10)
            except (TimeoutError, SandboxFault):
                self.sandbox.stop()
                return
            if message.get("event") == "ended":
                return


def _copy_back(args: tuple, after: list) -> None:
    """Show the caller's arrays the changes the student's code made to its copies."""
    import numpy as np

    for before, now in zip(args, after):
        if isinstance(before, np.ndarray) and isinstance(now, np.ndarray):
            with contextlib.suppress(Exception):
                np.copyto(before, now)
        elif isinstance(before, list | tuple) and isinstance(now, list | tuple):
            _copy_back(tuple(before), list(now))


def _rebuild(value):
    """Turn a model sent as data back into a Keras model the checks can inspect."""
    if isinstance(value, dict) and "__model__" in value:
        import json

        from autograder.quiet import import_keras_quietly

        keras = import_keras_quietly()
        data = value["__model__"]
        model = keras.models.model_from_json(data["json"])
        config = json.loads(data["compile_json"])
        if config is not None:
            model.compile_from_config(config)
        model.set_weights(data["weights"])
        return model
    return value
