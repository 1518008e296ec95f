"""Linux control groups: a cap on the memory (tmpfs included) and on the number of processes of
a group of processes, wherever the machine lets the grader make one.

cgroup v2 (one unified hierarchy) and v1 (a hierarchy per controller, as on older or hybrid
systems) are both handled; making a group needs root, or a delegated cgroup v2 subtree.
Where neither is possible, ``Cgroup.create`` returns None and says why in ``unavailable``;
the sandbox then relies on per-process limits (see the README's table).
"""

import contextlib
import os
import signal
import time
import uuid
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
#: Why the last ``Cgroup.create`` returned None.
unavailable = ""


class Cgroup:
    """One control group (a folder per hierarchy) holding some processes."""

    def __init__(self, folders: dict[str, Path], v2: bool) -> None:
        self.folders, self.v2 = folders, v2  # controller -> folder ("" for v2's one folder)

    @classmethod
    def create(cls, label: str) -> "Cgroup | None":
        """Make a new, empty group named after ``label``; None where that is not possible."""
        global unavailable
        name = f"autograder-{label}-{uuid.uuid4().hex[:8]}"
        try:
            if (ROOT / "cgroup.controllers").is_file():
                return cls._create_v2(name)
            return cls._create_v1(name)
        except OSError as exc:
            unavailable = f"cannot make a control group ({exc.strerror or exc})"
            return None

    @classmethod
    def _create_v2(cls, name: str) -> "Cgroup":
        own = _own_path("")
        for parent in (ROOT / own.lstrip("/")).parent, ROOT:
            controllers = (parent / "cgroup.subtree_control").read_text().split()
            if {"memory", "pids"} <= set(controllers):
                folder = parent / name
                folder.mkdir()
                return cls({"": folder}, True)
        raise OSError("memory and pids are not enabled for child groups")

    @classmethod
    def _create_v1(cls, name: str) -> "Cgroup":
        folders = {}
        for controller in ("memory", "pids"):
            mount = ROOT / controller
            if not (mount / "cgroup.procs").is_file():
                raise OSError(f"no {controller} hierarchy at {mount}")
            folder = mount / _own_path(controller).lstrip("/") / name
            folder.mkdir()
            folders[controller] = folder
        return cls(folders, False)

    def _file(self, controller: str, v2_name: str, v1_name: str) -> Path:
        return self.folders[""] / v2_name if self.v2 else self.folders[controller] / v1_name

    def add(self, pid: int) -> None:
        """Move process ``pid`` (and what it starts from now on) into the group."""
        for folder in self.folders.values():
            (folder / "cgroup.procs").write_text(str(pid))

    def limit(self, memory_bytes: int, processes: int) -> None:
        """Cap the group's memory and its number of processes (threads count)."""
        self._file("memory", "memory.max", "memory.limit_in_bytes").write_text(str(memory_bytes))
        self._file("pids", "pids.max", "pids.max").write_text(str(processes))

    def usage(self) -> tuple[int, int]:
        """(memory in bytes, processes) the group holds now."""
        memory = self._file("memory", "memory.current", "memory.usage_in_bytes").read_text()
        pids = self._file("pids", "pids.current", "pids.current").read_text()
        return int(memory), int(pids)

    def remove(self) -> None:
        """Kill whatever is left in the group, then remove it."""
        for _ in range(50):
            pids = {int(p) for f in self.folders.values() for p in _read(f / "cgroup.procs").split()}
            for pid in pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            for folder in self.folders.values():
                with contextlib.suppress(OSError):
                    folder.rmdir()
            if not any(f.exists() for f in self.folders.values()):
                return
            time.sleep(0.02)


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _own_path(controller: str) -> str:
    """This process's group in the hierarchy of ``controller`` ("" for cgroup v2)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if (controller == "" and controllers == "") or controller in controllers.split(","):
            return path
    raise OSError(f"this process is in no {controller or 'v2'} control group")


def usable() -> bool:
    """Can the grader make control groups here?"""
    group = Cgroup.create("probe")
    if group is None:
        return False
    group.remove()
    return True


def supported() -> str:
    """Say which memory and process caps hold here, for people."""
    if usable():
        return "control groups (memory, tmpfs included, and processes per sandbox)"
    return f"per-process limits only: {unavailable}"
