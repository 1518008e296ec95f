"""What a sandboxed session sees of the machine: the runtime it may read, the paths hidden under
it, and its whole environment."""

import os
import site
import sys
from pathlib import Path

from autograder.sandbox.inside import protocol


def runtime_paths() -> list[str]:
    """The paths the sandbox sees, read-only: the system's libraries and the Python runtime."""
    paths = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]
    paths += ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d"]
    prefixes = {sys.base_prefix, sys.prefix, sys.exec_prefix, sys.base_exec_prefix, *site.getsitepackages()}
    paths += sorted(prefixes)
    kept: list[str] = []
    for path in sorted({os.path.realpath(p) if not os.path.islink(p) else p for p in paths}, key=len):
        if os.path.lexists(path) and not any(path.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(path)
    return kept


def hidden_paths(mode: str, private: list[Path]) -> list[str]:
    """What to hide under the bound runtime: frameworks in NumPy-only mode, and any ``private``
    folder (the kit, the course, home) that happens to lie inside a bound path."""
    binds = runtime_paths()
    masks = []
    if mode == "numpy":
        for packages in site.getsitepackages():
            masks += [
                str(Path(packages) / name) for name in protocol.FRAMEWORKS if (Path(packages) / name).is_dir()
            ]
    for path in {str(Path(p).resolve()) for p in private}:
        if any(path.startswith(b.rstrip("/") + "/") for b in binds) and os.path.isdir(path):
            masks.append(path)
    return sorted(set(masks))


def environment() -> dict[str, str]:
    """The sandbox's whole environment: quiet TensorFlow on the CPU, one thread per library."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "KERAS_BACKEND": "tensorflow",
        "CUDA_VISIBLE_DEVICES": "",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "TF_NUM_INTRAOP_THREADS": "1",
        "TF_NUM_INTEROP_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def carve(binds: list[str], masks: list[str]) -> list[str]:
    """``binds`` less ``masks``, as paths a Landlock rule each (it can allow a folder, never
    hide part of one): a folder on the way to a mask is replaced by its entries, but that one."""
    kept = []
    for bind in binds:
        inside = [m for m in masks if m == bind or m.startswith(bind.rstrip("/") + "/")]
        if not inside:
            kept.append(bind)
        elif bind not in inside and os.path.isdir(bind) and not os.path.islink(bind):
            kept += carve(sorted(os.path.join(bind, e) for e in os.listdir(bind)), inside)
    return kept
