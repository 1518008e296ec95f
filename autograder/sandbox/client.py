"""The grader's side of a sandboxed session: run a submission's cells in a fresh session forked
by a warm zygote (``zygotes.py``), call the functions they define, and read every reply as
hostile.

A ``Session`` is one submission in one mode ("keras"; "numpy" for exercises that must do
without any framework; "python", Keras not loaded, for assignments that use none): a process
forked by the mode's warm ``Zygote`` behind the walls of its isolation (``policy``), with a
channel made for it alone. Anything it sends is bounded in size, nesting and time and must
answer the request it was sent (a nonce per request); whatever breaks those rules, hangs or
dies is a ``SandboxFault``: the session is killed, whole, and the exercise that was running
costs the student, nothing else. The next exercise gets a fresh session that runs the cells again,
without any cell that hung.
"""

import contextlib
import secrets
import socket
import time
from dataclasses import dataclass, field

from autograder.sandbox.inside import protocol, tree
from autograder.sandbox.policy import Limits
from autograder.sandbox.zygotes import SCRATCH_ENTRIES, Zygote
from autograder.text import NAME_LIMIT, clean, describe

#: How many cells that hang a session skips before it gives up running the rest.
MAX_HUNG_CELLS = 3
#: Seconds the grader waits beyond a cell's own time limit before it kills the session.
GRACE = 3.0
ENDED = "the process running the code ended"


class SandboxFault(Exception):
    """The student's code made its session die, hang, or break the channel's rules."""


class StudentError(Exception):
    """Base of the exceptions a student's function raised in the sandbox (named like them)."""


def student_error(error: object) -> StudentError:
    """The exception a call raised in the sandbox, rebuilt from its cleaned type and message."""
    error = error if isinstance(error, dict) else {}
    name = clean(error.get("type"), NAME_LIMIT)
    name = name if name.isidentifier() else "Error"
    return type(name, (StudentError,), {})(clean(error.get("message")))


@dataclass
class Session:
    """One submission in one mode: its cells run once, its functions answer calls."""

    zygote: Zygote
    cells: list[str]
    limits: Limits
    model_from: object = None  # callable(data) -> model; refuses what the assignment forbids
    graded_at: dict[str, int] = field(default_factory=dict)  # as Plan.graded_at
    cell_errors: dict[int, str] = field(default_factory=dict)
    skipped: dict[int, str] = field(default_factory=dict)
    defined: frozenset = frozenset()
    fault: str = ""
    _id: int = 0
    _channel: socket.socket | None = None
    _culprit: int | None = None
    _scratch: str | None = None

    def start(self) -> None:
        """Run the cells in a fresh process, again without any cell that hangs or kills it."""
        while True:
            self._id, self._channel, self._scratch = self.zygote.spawn()
            self.fault = ""
            culprit = self._run_cells()
            if culprit is None:
                return
            self.fault = ""
            if len(self.skipped) >= MAX_HUNG_CELLS:
                for i in range(culprit + 1, len(self.cells)):
                    self.skipped.setdefault(i, "did not run: cells before it kept hanging")

    def _run_cells(self) -> int | None:
        """Run every cell not skipped; return the index of a cell that broke the session
        (it is then skipped, and the session killed)."""
        order = [i for i in range(len(self.cells)) if i not in self.skipped]
        nonce = secrets.token_hex(8)
        per_cell, total = self.limits.cell_seconds, self.limits.notebook_seconds
        end = time.monotonic() + total + GRACE
        cells = [self.cells[i] for i in order]
        graded = {name: sum(i < at for i in order) for name, at in self.graded_at.items()}
        try:
            request = {"op": "cells", "nonce": nonce, "cells": cells, "seconds": per_cell, "total": total}
            self._send({**request, "graded": graded})
            for position, i in enumerate(order):
                deadline = min(time.monotonic() + per_cell + GRACE, end)
                reply = self._receive(nonce, deadline, culprit=i)
                self.check_scratch(culprit=i)
                if reply.get("cell") != position:
                    self._broken("the cells' replies came out of order", culprit=i)
                if reply.get("error") is not None:
                    error = student_error(reply["error"])
                    self.cell_errors[i] = describe(error)
            done = self._receive(nonce, time.monotonic() + GRACE, culprit=order[-1] if order else None)
        except SandboxFault:
            return self._culprit
        names = done.get("defined") if done.get("done") is True else None
        self.defined = (
            frozenset(n for n in names if isinstance(n, str)) if isinstance(names, list) else frozenset()
        )
        return None

    def call(self, name: str, args: tuple, kwargs: dict, deadline: float):
        """Call the function ``name`` in the session; return what it returned, rebuilt.

        Raises:
            StudentError: the function raised (a class named like the exception it raised).
            SandboxFault: the session died, hung past ``deadline`` or broke the rules.
        """
        if self.fault:
            raise SandboxFault(self.fault)
        nonce = secrets.token_hex(8)
        self._send(
            {
                "op": "call",
                "nonce": nonce,
                "name": name,
                "args": protocol.encode(list(args)),
                "kwargs": protocol.encode(kwargs),
            }
        )
        reply = self._receive(nonce, deadline)
        if isinstance(reply.get("error"), dict) and reply["error"].get("type") == "MemoryError":
            self._broken(f"MemoryError: the code needed more than the {self.limits.memory_mb} MB allowed")
        try:
            if "mutated_args" in reply:
                _copy_back(args, protocol.decode(reply["mutated_args"]))
            if "error" in reply:
                raise student_error(reply["error"])
            if "model" in reply:
                return self.model_from(reply["model"])
            if "result" in reply:
                return protocol.decode(reply["result"])
            raise protocol.ProtocolError("a reply holds neither a result nor an error")
        except protocol.ProtocolError as exc:
            self._broken(f"the code broke the grading channel's rules ({exc})")

    def substitute(self, name: str, sources: list[str], deadline: float) -> None:
        """From now on, call ``name`` with ``sources`` (reference helpers) run in a copy of its
        namespace.

        Raises:
            SandboxFault: the session broke, or the sources could not run in its namespace.
        """
        if self.fault:
            raise SandboxFault(self.fault)
        nonce = secrets.token_hex(8)
        self._send({"op": "substitute", "nonce": nonce, "name": name, "sources": sources})
        reply = self._receive(nonce, deadline)
        if reply.get("done") is not True:
            why = describe(student_error(reply.get("error")))
            self._broken(f"the reference helpers could not run beside {name} ({why})")

    def _send(self, message: dict) -> None:
        try:
            protocol.send(self._channel.fileno(), message)
        except OSError as exc:
            self._broken(f"the channel to the code broke ({exc.strerror or exc})")

    def _receive(self, nonce: str, deadline: float, culprit: int | None = None) -> dict:
        try:
            reply = protocol.receive(self._channel.fileno(), deadline)
        except TimeoutError:
            self._broken("the time limit ran out", culprit)
        except EOFError:
            self.check_scratch(culprit)  # its leader may have ended it for that
            self._broken(ENDED, culprit)
        except (protocol.ProtocolError, OSError) as exc:
            self._broken(f"the code broke the grading channel's rules ({clean(exc)})", culprit)
        if reply.get("nonce") != nonce:
            self._broken("the code sent a reply that answers no request", culprit)
        return reply

    def check_scratch(self, culprit: int | None = None) -> None:
        """Break the session if its scratch folder holds more than its caps allow (a walk of
        it: done after each cell, and by the judge after each exercise's calls, not after
        every call).

        Raises:
            SandboxFault: it does, which costs cell ``culprit``, if any, or the exercise.
        """
        if self._scratch is None or self._channel is None:
            return
        most = self.limits.tmp_mb << 20
        entries, size = tree.usage(self._scratch, SCRATCH_ENTRIES, most)
        if entries > SCRATCH_ENTRIES or size > most:
            self._broken(
                f"the code filled its scratch folder past the limit of {self.limits.tmp_mb} MB "
                f"and {SCRATCH_ENTRIES} files and folders",
                culprit,
            )

    def _broken(self, reason: str, culprit: int | None = None):
        """Kill the session: ``reason`` is the student's fault (of cell ``culprit``, if any)."""
        ended = self.close(gone=reason == ENDED)
        if reason == ENDED and ended:
            reason = f"{ENDED}: {ended}"
        self.fault, self._culprit = reason, culprit
        if culprit is not None:
            self.skipped[culprit] = reason
        raise SandboxFault(reason)

    def close(self, gone: bool = False) -> str:
        """Kill the session, whole; say how it had ended if it ended by itself."""
        if self._channel is None:
            return ""
        self._channel.close()
        self._channel = None
        return self.zygote.kill(self._id, gone)


def _copy_back(args: tuple, after: object) -> None:
    """Show the caller's arrays the changes the student's code made to its copies."""
    import numpy as np

    if not isinstance(after, list):
        return
    for before, now in zip(args, after):
        if isinstance(before, np.ndarray) and isinstance(now, np.ndarray):
            with contextlib.suppress(Exception):
                np.copyto(before, now)
        elif isinstance(before, list | tuple) and isinstance(now, list | tuple):
            _copy_back(tuple(before), list(now))
