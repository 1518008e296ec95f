#!/usr/bin/env python3
"""Quick start for the Keras course kit, with nothing but Python 3.11+ installed.

    python3 kit.py demo    release both assignments and grade a sample class of each with nbgrader
    python3 kit.py test    run the kit's whole test suite

Each command creates ``.venv`` at the repository root on first use, installs the pinned
dependencies into it (again only when pyproject.toml changes), then runs inside it.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".kit-installed"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
COMMANDS = {
    "demo": ["-m", "autograder", "demo"],
    "test": ["-m", "pytest", "--numprocesses=logical", "--maxprocesses=4"],
}


def venv_python() -> Path:
    return BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_environment() -> None:
    """Create .venv and install the kit into it unless it is already up to date."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and venv_python().exists():
        return
    if not venv_python().exists():
        print(f"kit: creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    print("kit: installing the pinned dependencies (a few minutes the first time)", flush=True)
    pip = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True, cwd=ROOT)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if len(argv) < 1 or argv[0] not in COMMANDS:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if sys.version_info < (3, 11):
        print(f"kit: Python 3.11 or newer is needed; this is {sys.version.split()[0]}", file=sys.stderr)
        return 2
    try:
        ensure_environment()
    except subprocess.CalledProcessError as exc:
        print(
            f"kit: installing the dependencies failed (exit {exc.returncode}); see pip's "
            "messages above, fix the cause (network, disk space) and run the command again",
            file=sys.stderr,
        )
        return 2
    env = {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}
    cmd = [str(venv_python()), *COMMANDS[argv[0]], *argv[1:]]
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
