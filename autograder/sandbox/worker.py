"""The sandbox worker: runs one student's cell at a time and answers calls with plain data.

Started by ``autograder.sandbox.client`` (inside bubblewrap where available) as
``python worker.py MODE IN_FD OUT_FD``. MODE ``keras`` imports Keras once and then forks a
fresh child for every cell, so no student's code outlives its exercise and no child pays
TensorFlow's import; MODE ``numpy`` has no Keras or TensorFlow at all (manual_forward).
This file runs without the kit: it imports only the standard library, NumPy, Keras and the
``protocol`` module copied next to it.
"""

import contextlib
import importlib.abc
import os
import resource
import shutil
import signal
import sys
import tempfile
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import protocol  # noqa: E402  (the copy beside this file)


class _NoFramework(importlib.abc.MetaPathFinder):
    """Refuse to import a deep-learning framework (the numpy-only worker)."""

    name = "this function"  # the function being graded, once its cell runs

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in protocol.FRAMEWORKS:
            raise ImportError(protocol.NO_FRAMEWORK.format(name=self.name))
        return None


def _describe(exc: BaseException) -> dict:
    text = str(exc)
    return {"type": type(exc).__name__, "message": text[:2000]}


def _encode_result(value, keras):
    if keras is not None and isinstance(value, keras.Model):
        import json

        return {
            "__model__": {
                "json": value.to_json(),
                "compile_json": json.dumps(value.get_compile_config() if value.compiled else None),
                "weights": protocol.encode([w for w in value.get_weights()]),
            }
        }
    return protocol.encode(value)


def _limit(memory_mb: int, seconds: int) -> None:
    """Cap what one child may take: memory above the worker's own, CPU time, files, cores."""
    try:  # Linux: the address space the worker already has, plus the allowance
        with open("/proc/self/status") as fh:
            vm_kb = next(int(line.split()[1]) for line in fh if line.startswith("VmSize:"))
        cap = (vm_kb * 1024) + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (OSError, ValueError, StopIteration):
        pass  # macOS has no /proc and does not enforce RLIMIT_AS
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 20, 64 << 20))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _serve(message: dict, fds: tuple[int, int], keras) -> None:
    """The child: define the function from its cell, then answer calls until told to end."""
    fd_in, fd_out = fds
    name, source = message["name"], message["source"]
    _limit(int(message.get("memory_mb", 2048)), int(message.get("cpu_seconds", 120)))
    namespace = {"np": __import__("numpy"), "numpy": __import__("numpy")}
    namespace["keras"] = keras if keras is not None else protocol.Blocked(name)
    _NoFramework.name = name
    try:
        exec(compile(source, f"<cell {name}>", "exec"), namespace)
    except BaseException as exc:  # a cell may raise anything, SystemExit included
        protocol.send(fd_out, {"defined": False, "error": _describe(exc)})
        return
    func = namespace.get(name)
    if not callable(func):
        protocol.send(fd_out, {"defined": False, "error": {"type": "NotDefined", "message": ""}})
        return
    protocol.send(fd_out, {"defined": True})
    while True:
        request = protocol.receive(fd_in)
        if request.get("op") != "call":
            return
        args = protocol.decode(request["args"])
        kwargs = protocol.decode(request["kwargs"])
        before = request["args"]
        try:
            result = func(*args, **kwargs)
        except BaseException as exc:
            protocol.send(fd_out, {"error": _describe(exc)})
            continue
        try:
            reply = {"result": _encode_result(result, keras)}
        except Exception as exc:
            reply = {"error": {"type": "UnsupportedReturn", "message": str(exc)}}
        after = protocol.encode(args)
        if after != before:
            reply["mutated_args"] = after
        protocol.send(fd_out, reply)


def _run_child(message: dict, fds: tuple[int, int], keras, workdir: str) -> None:
    code = 0
    os.chdir(workdir)
    try:
        _serve(message, fds, keras)
    except BaseException:
        code = 3
        with contextlib.suppress(Exception):
            sys.__stderr__.write(traceback.format_exc())
    finally:
        os._exit(code)


def _status(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        names = {signal.SIGSEGV: "a segmentation fault", signal.SIGKILL: "SIGKILL (memory or time)"}
        return f"the process running the code was killed by {names.get(sig, signal.Signals(sig).name)}"
    return f"the code ended the process (exit status {os.WEXITSTATUS(status)})"


def main() -> None:
    mode, fd_in, fd_out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # whatever students print goes nowhere and cannot jam the channel
    os.dup2(devnull, 2)
    keras = None
    if mode == "keras":
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
        import keras
    else:
        for name in list(sys.modules):
            if name.split(".")[0] in protocol.FRAMEWORKS:
                del sys.modules[name]
        sys.meta_path.insert(0, _NoFramework())
    import numpy  # noqa: F401  (imported once, before any fork)

    protocol.send(fd_out, {"ready": mode})
    while True:
        try:
            message = protocol.receive(fd_in)
        except EOFError:
            return
        if message.get("op") == "quit":
            return
        if message.get("op") != "start":
            continue  # e.g. an "end" for a child that already ended on its own
        workdir = tempfile.mkdtemp(prefix="cell-")
        pid = os.fork()
        if pid == 0:
            _run_child(message, (fd_in, fd_out), keras, workdir)
        _, status = os.waitpid(pid, 0)
        shutil.rmtree(workdir, ignore_errors=True)
        clean = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
        protocol.send(fd_out, {"event": "ended", "clean": clean, "status": _status(status)})


if __name__ == "__main__":
    main()
