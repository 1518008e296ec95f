"""A student's function as the hidden checks call it: what it raises becomes a failed check.

The checks never see the function itself, only a ``StudentFunction``: it turns an exception
into a ``StudentCodeError`` (a failed check whose message says what was called and what it
raised, never the hidden values) and, for an exercise that must use NumPy alone, keeps Keras
and TensorFlow out of reach while the function runs in this process.
"""

import builtins
import contextlib
import os
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from autograder.engine.result import NOT_WRITTEN, NOT_WRITTEN_FIX
from autograder.sandbox.inside.protocol import FRAMEWORKS, NO_FRAMEWORK

#: ``explain(exercise, exc, args)`` names the likely cause of an exception, or returns "".
Explain = Callable[[str, BaseException, tuple], str]


class StudentCodeError(AssertionError):
    """The student's function raised: reported as a failed check with the error it raised.

    Attributes:
        error: what it raised (``"ValueError: ..."``), the same for every call it failed alike.
        cause: the likely cause and fix where one is known, else "".
    """

    def __init__(self, call: str, error: str, cause: str = "") -> None:
        super().__init__(f"{call} raised {error}" + (f"; {cause}" if cause else ""))
        self.error, self.cause = error, cause


class Blocked:
    """What ``keras`` means while the NumPy-only function ``name`` runs: any use says NumPy only."""

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_message", NO_FRAMEWORK.format(name=name))

    def __getattr__(self, attr):
        raise RuntimeError(self._message)

    def __call__(self, *args, **kwargs):
        raise RuntimeError(self._message)


class StudentFunction:
    """A callable standing for the student's function ``name``.

    Attributes:
        framework_free: the function runs where Keras and TensorFlow do not exist at all
            (the grading sandbox's NumPy-only worker), so any call that returns used neither.
    """

    def __init__(
        self,
        name: str,
        func: Callable,
        numpy_only: bool = False,
        framework_free: bool = False,
        explain: Explain | None = None,
    ) -> None:
        self.name, self.func = name, func
        self.framework_free = framework_free
        self._guard = frameworks_hidden if numpy_only and not framework_free else _nothing_hidden
        self._explain = explain

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            with self._guard(self.name, self.func):
                return self.func(*args, **kwargs)
        except Exception as exc:
            shown = ", ".join([_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in kwargs.items()])
            error = f"{type(exc).__name__}: {exc}"
            cause = self._explain(self.name, exc, args) if self._explain else ""
            if type(exc).__name__ == "NotImplementedError" and not str(exc):
                error, cause = NOT_WRITTEN, NOT_WRITTEN_FIX
            raise StudentCodeError(f"{self.name}({shown})", error, cause) from None


@contextlib.contextmanager
def frameworks_hidden(name: str, func: Callable):
    """While ``func`` runs, its ``keras`` and any framework import say: NumPy only.

    This is how ``autograder check`` runs a NumPy-only function in its own process; the grading
    sandbox runs it in a worker that has no framework installed at all.
    """
    names = getattr(func, "__globals__", {})
    saved = {k: names[k] for k in ("keras", "tf", "tensorflow") if k in names}
    real_import = builtins.__import__

    def guarded_import(name, *args, **kwargs):
        if name.split(".")[0] in FRAMEWORKS:
            raise ImportError(NO_FRAMEWORK.format(name=name))
        return real_import(name, *args, **kwargs)

    names.update(dict.fromkeys(saved, Blocked(name)))
    builtins.__import__ = guarded_import
    try:
        yield
    finally:
        builtins.__import__ = real_import
        names.update(saved)


@contextlib.contextmanager
def _nothing_hidden(name: str, func: Callable):
    yield


def _short(value: Any) -> str:
    """Show an argument briefly: arrays by shape, never by content (hidden inputs stay hidden)."""
    if isinstance(value, np.ndarray):
        return f"<array of shape {value.shape}>"
    if isinstance(value, list) and value and isinstance(value[0], np.ndarray):
        return f"<{len(value)} weight arrays>"
    return repr(value)


def framework_calls(func: StudentFunction, *args: Any) -> list[str]:
    """Call ``func(*args)`` and list the Keras or TensorFlow functions it called, directly or not
    (none, by construction, where the function runs framework-free)."""
    if func.framework_free:
        func(*args)
        return []
    import keras
    import tensorflow

    dirs = tuple({os.path.dirname(m.__file__) + os.sep for m in (keras, tensorflow)})
    seen: list[str] = []

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_filename.startswith(dirs):
            seen.append(f"{frame.f_code.co_name} ({os.path.basename(frame.f_code.co_filename)})")
        elif event == "c_call":
            module = getattr(arg, "__module__", None) or ""
            if module.split(".")[0] in {"tensorflow", "keras", "tf_keras"}:
                seen.append(f"{module}.{getattr(arg, '__name__', '?')}")

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        func(*args)
    finally:
        sys.setprofile(previous)
    return seen
