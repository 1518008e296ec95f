"""One submission's process in the sandbox: it runs the notebook's cells in one namespace, as
Jupyter would, and answers the grader's calls of the functions they define with plain data.

Runs without the kit (the standard library, NumPy, Keras and ``protocol`` beside it). What the
code prints goes to /dev/null. Requests (from the grader, trusted) on the channel:

* ``{"op": "cells", "nonce", "cells": [source, ...], "seconds", "total", "graded": {name: i}}``:
  run each cell (each for at most ``seconds``, all of them for at most ``total``), answering
  ``{"nonce", "cell": i, "error": null | {"type", "message"}}`` after each, then
  ``{"nonce", "done": true, "defined": [names of callables]}``; the namespace as it stands
  before cell ``i`` (``i`` = the number of cells: after the last) is kept for ``name``;
* ``{"op": "substitute", "nonce", "name", "sources": [source, ...]}``: from now on, call the
  function ``name`` with these sources (the reference versions of helpers it calls) run in a
  copy of its namespace, answering ``{"nonce", "done": true}`` or ``{"nonce", "error"}``;
* ``{"op": "call", "nonce", "name", "args", "kwargs"}``: call the function, as it stood where
  its name was kept (else as the cells left it), answering
  ``{"nonce", "result" | "model" | "error", "mutated_args"?}``.
"""

import importlib.abc
import importlib.machinery
import os
import resource
import signal
import socket
import sys
import time
import types

import kernel
import protocol

#: How much of an exception message leaves the sandbox (the grader shortens it further).
MESSAGE_LIMIT = 2000


class CellTimeout(BaseException):
    """A cell ran out of its time (a BaseException: ``except Exception`` does not catch it)."""

    def __str__(self) -> str:
        return "the cell did not finish in its time"


# --------------------------------------------------------------- frameworks in a NumPy-only session
_calling: list[str] = []  # the name of the function being called, while it runs


class FrameworkStub:
    """What Keras and TensorFlow are in a NumPy-only session: harmless while cells run (so a
    setup cell that imports Keras does not fail), an error as soon as a called function
    touches it."""

    def __init__(self, name: str = "keras") -> None:
        object.__setattr__(self, "_stub_name", name)

    def _use(self):
        if _calling:
            raise RuntimeError(protocol.NO_FRAMEWORK.format(name=_calling[-1]))
        return FrameworkStub(self._stub_name)

    def __getattr__(self, attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        return self._use()

    def __call__(self, *args, **kwargs):
        return self._use()

    def __getitem__(self, key):
        return self._use()

    def __iter__(self):
        self._use()
        return iter(())

    def __bool__(self):
        self._use()
        return False

    def __str__(self):
        self._use()
        return f"<{self._stub_name}: not available in this sandbox>"

    __repr__ = __str__
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __call__
    __truediv__ = __rtruediv__ = __matmul__ = __rmatmul__ = __neg__ = __call__
    __array__ = None  # NumPy must not turn a stub into an array of objects


class _StubModule(types.ModuleType):
    __version__ = "(not available in this sandbox)"

    def __getattr__(self, attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        return FrameworkStub(self.__name__)._use()


class _FrameworkFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Frameworks import as stubs while cells run and refuse to import inside a call."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] not in protocol.FRAMEWORKS:
            return None
        if _calling:
            raise ImportError(protocol.NO_FRAMEWORK.format(name=_calling[-1]))
        return importlib.machinery.ModuleSpec(name, self, is_package=True)

    def create_module(self, spec):
        module = _StubModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        pass


def block_frameworks() -> None:
    """Make this process NumPy-only: no framework module is or can be imported for real."""
    for name in list(sys.modules):
        if name.split(".")[0] in protocol.FRAMEWORKS:
            del sys.modules[name]
    sys.meta_path.insert(0, _FrameworkFinder())


# --------------------------------------------------------------- serving the grader
def serve(channel: socket.socket, config: dict, workdir: str) -> None:
    """Answer the grader's requests until it closes the channel (then exit)."""
    fd = channel.detach()
    os.closerange(3, fd)
    os.closerange(fd + 1, 1 << 16)
    os.chdir(workdir)
    os.environ.update(HOME=workdir, TMPDIR="/tmp" if config["isolation"] == "namespaces" else workdir)
    sys.path.insert(0, workdir)
    _limit(config)
    namespace = kernel.namespace()
    graded: dict[str, dict] = {}  # name -> the namespace where its function is graded
    keras = sys.modules.get("keras")
    while True:
        try:
            request = protocol.receive(fd)
        except (EOFError, OSError):
            os._exit(0)
        if request.get("op") == "cells":
            graded = _run_cells(fd, request, namespace)
        elif request.get("op") == "substitute":
            protocol.send(fd, {"nonce": request["nonce"], **_substitute(request, graded, namespace)})
        elif request.get("op") == "call":
            names = graded.get(request["name"], namespace)
            protocol.send(fd, {"nonce": request["nonce"], **_call(request, names, keras)})


def _limit(config: dict) -> None:
    """Cap memory (above what the process already maps), CPU time, files, processes."""
    try:
        with open("/proc/self/status") as fh:
            vm_kb = next(int(line.split()[1]) for line in fh if line.startswith("VmSize:"))
        cap = vm_kb * 1024 + config["memory_mb"] * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (OSError, ValueError, StopIteration):
        pass  # no /proc (macOS): the memory cap is not enforced
    cpu = int(config["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 20, 64 << 20))
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    processes = config.get("nproc", config["processes"])  # the uid's count, where it is shared
    resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        with open("/proc/self/oom_score_adj", "w") as fh:
            fh.write("1000")  # under memory pressure, student code goes first
    except OSError:
        pass


def _timeout(signum, frame):
    raise CellTimeout()


def _run_cells(fd: int, request: dict, namespace: dict) -> dict[str, dict]:
    """Run the cells; return the namespace kept at each graded cell, by name."""
    signal.signal(signal.SIGALRM, _timeout)
    end = time.monotonic() + float(request["total"])
    at: dict[int, list[str]] = {}
    for name, position in request.get("graded", {}).items():
        at.setdefault(position, []).append(name)
    graded = {}
    for i, source in enumerate(request["cells"]):
        graded |= {name: kernel.snapshot(namespace) for name in at.get(i, ())}
        error = None
        seconds = min(float(request["seconds"]), end - time.monotonic())
        if seconds <= 0:
            error = {"type": "CellTimeout", "message": "the notebook's time for running cells was used up"}
        else:
            signal.setitimer(signal.ITIMER_REAL, seconds)
            try:
                exec(compile(source, f"<cell {i}>", "exec"), namespace)
            except BaseException as exc:  # a cell may raise anything, SystemExit included
                error = _describe(exc)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        protocol.send(fd, {"nonce": request["nonce"], "cell": i, "error": error})
    graded |= {name: kernel.snapshot(namespace) for name in at.get(len(request["cells"]), ())}
    defined = [k for k, v in namespace.items() if callable(v) and isinstance(k, str) and k not in graded]
    defined += [k for k, names in graded.items() if callable(names.get(k))]
    protocol.send(fd, {"nonce": request["nonce"], "done": True, "defined": defined})
    return graded


def _substitute(request: dict, graded: dict[str, dict], namespace: dict) -> dict:
    try:
        names = graded.get(request["name"], namespace)
        graded[request["name"]] = kernel.snapshot(names, tuple(request["sources"]))
    except BaseException as exc:  # the student's namespace may break even the reference
        return {"error": _describe(exc)}
    return {"done": True}


def _call(request: dict, namespace: dict, keras) -> dict:
    func = namespace.get(request["name"])
    if not callable(func):
        return {"error": {"type": "NameError", "message": f"name {request['name']!r} is not defined"}}
    args = protocol.decode(request["args"])
    kwargs = protocol.decode(request["kwargs"])
    _calling.append(request["name"])
    try:
        result = func(*args, **kwargs)
    except BaseException as exc:
        return {"error": _describe(exc)}
    finally:
        _calling.pop()
    try:
        reply = _encode_result(result, keras)
    except Exception as exc:
        reply = {"error": {"type": "UnsupportedReturn", "message": str(exc)[:MESSAGE_LIMIT]}}
    try:
        after = protocol.encode(args)
    except Exception:
        after = None
    if after is not None and after != request["args"]:
        reply["mutated_args"] = after
    return reply


def _encode_result(value, keras) -> dict:
    if keras is not None and isinstance(value, keras.Model):
        import json

        compiled = value.get_compile_config() if value.compiled else None
        return {
            "model": {
                "json": value.to_json(),
                "compile": json.dumps(compiled),
                "weights": protocol.encode(list(value.get_weights())),
            }
        }
    return {"result": protocol.encode(value)}


def _describe(exc: BaseException) -> dict:
    try:
        message = str(exc)
        path = getattr(exc, "path", None) if isinstance(exc, ImportError) else None
        if isinstance(path, str) and path:  # a module's file, without the session's folder
            message = message.replace(path, os.path.basename(path))
    except BaseException:
        message = "(the exception's message could not be shown)"
    return {"type": type(exc).__name__[:200], "message": message[:MESSAGE_LIMIT]}
