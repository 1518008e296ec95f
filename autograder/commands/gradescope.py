"""Gradescope: export an autograder zip, and grade inside Gradescope's container.

Gradescope runs ``setup.sh`` once to build the image, then ``run_autograder`` for each
submission, with the student's files in ``/autograder/submission/`` and the results expected in
``/autograder/results/results.json`` (one entry per check: score, max_score, status, name,
output, visibility). Every submission gets a container of its own, which is how a course that
outgrows one machine scales out.
"""

import json
import re
import zipfile
from pathlib import Path

from autograder.commands.check import check_notebook
from autograder.course.layout import CONFIG_FILE, KIT_ROOT, Course
from autograder.course.secret import read_secret
from autograder.engine.draws import PUBLIC_SECRET
from autograder.errors import KitError

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
CONFIG = "gradescope.json"

SETUP_SH = """#!/usr/bin/env bash
# Gradescope image setup: Python 3.11 and the kit's pinned dependencies in /autograder/venv.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y python3.11 python3.11-venv || apt-get install -y python3 python3-venv
PY=$(command -v python3.11 || command -v python3)
"$PY" -m venv /autograder/venv
/autograder/venv/bin/pip install --upgrade pip
/autograder/venv/bin/pip install -r /autograder/source/requirements.txt
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Grade /autograder/submission/*.ipynb into /autograder/results/results.json.
# AUTOGRADER_ROOT and AUTOGRADER_PYTHON move it elsewhere (the kit's tests do).
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
cd "$ROOT/source"
exec "${AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}" -m autograder gradescope-run --root "$ROOT"
"""


def export(course: Course, name: str, out: Path, visibility: str = "after_published") -> Path:
    """Write the Gradescope autograder zip for assignment ``name`` of ``course`` to ``out``.

    The zip carries the course secret, so per-student checks match ``autograder grade``; it is
    for Gradescope's instructor upload only, never for students.

    Raises:
        KitError: unknown assignment or visibility.
    """
    assignment = course.assignment(name)
    if visibility not in VISIBILITIES:
        raise KitError(f"unknown visibility {visibility!r}", f"use one of {', '.join(VISIBILITIES)}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    config = {"assignment": name, "visibility": visibility, "secret": read_secret(course.secret_file)}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        _add_text(zf, "setup.sh", SETUP_SH)
        _add_text(zf, "run_autograder", RUN_AUTOGRADER)
        _add_text(zf, "requirements.txt", "\n".join(_pinned_requirements()) + "\n")
        _add_text(zf, CONFIG, json.dumps(config, indent=2))
        for path, arcname in _course_files(course, assignment):
            zf.write(path, arcname)
    return out


def _add_text(zf: zipfile.ZipFile, name: str, text: str) -> None:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o755 << 16
    zf.writestr(info, text)


def _pinned_requirements() -> list[str]:
    import tomllib

    project = tomllib.loads((KIT_ROOT / "pyproject.toml").read_text())["project"]
    return [d for d in project["dependencies"]]


def _course_files(course: Course, assignment) -> list[tuple[Path, str]]:
    """(file, name in the zip): a course of one assignment, laid out as the course lays it out.

    The kit's engine, the assignment's grading folder (without its catalog), its source folder
    and the course config; the zip's ``source/`` folder is then itself a course.
    """
    engine = [
        p
        for p in (KIT_ROOT / "autograder").rglob("*")
        if p.is_file()
        and p.suffix in {".py", ".ini"}
        and "__pycache__" not in p.parts
        and "assignments" not in p.relative_to(KIT_ROOT / "autograder").parts
    ]
    files = [(p, p.relative_to(KIT_ROOT).as_posix()) for p in engine]
    grading = Path("autograder") / "assignments" / assignment.name
    files += [
        (p, (grading / p.relative_to(assignment.folder)).as_posix())
        for p in assignment.folder.rglob("*")
        if p.is_file()
        and "catalog" not in p.relative_to(assignment.folder).parts
        and "__pycache__" not in p.parts
    ]
    source = course.source_dir(assignment.name)
    files += [(p, p.relative_to(course.root).as_posix()) for p in sorted(source.iterdir()) if p.is_file()]
    files += [(course.source_data_dir() / name, f"source_data/{name}") for name in assignment.data]
    files += [(course.root / CONFIG_FILE, CONFIG_FILE)]
    return sorted(files, key=lambda f: f[1])


def run(root: Path) -> dict:
    """Grade the submission under Gradescope's ``root`` and write ``results/results.json``."""
    root = Path(root)
    config = json.loads((root / "source" / CONFIG).read_text())
    try:
        tests, score = _tests(root, config)
    except KitError as exc:
        entry = {"name": "notebook", "score": 0, "max_score": 0, "status": "failed", "output": str(exc)}
        tests, score = [{**entry, "visibility": "visible"}], 0.0
    results = {
        # The kit's score (each exercise rounded to 2 decimals, as nbgrader records it); the
        # unrounded per-check shares below may add up to a few thousandths less or more.
        "score": score,
        "tests": tests,
        "visibility": "visible",
        "stdout_visibility": "hidden",
    }
    (root / "results").mkdir(parents=True, exist_ok=True)
    (root / "results" / "results.json").write_text(json.dumps(results, indent=2))
    return results


def _tests(root: Path, config: dict) -> tuple[list[dict], float]:
    """One entry per check, and the submission's score as ``autograder grade`` gives it."""
    notebook = _submitted_notebook(root / "submission", config["assignment"])
    source = root / "source"
    result = check_notebook(
        notebook,
        student=_student(root),
        assignment=config["assignment"],
        cwd=source,
        secret=config.get("secret") or PUBLIC_SECRET,
    )
    return result.gradescope_tests(config["visibility"]), result.total


def _submitted_notebook(folder: Path, assignment: str) -> Path:
    notebooks = sorted(folder.rglob("*.ipynb"))
    if not notebooks:
        raise KitError("the submission holds no notebook (.ipynb)", f"upload {assignment}.ipynb")
    named = [p for p in notebooks if p.name == f"{assignment}.ipynb"]
    return (named or notebooks)[0]


def _student(root: Path) -> str:
    """The student id the checks are drawn for: Gradescope's user id, else 'gradescope'."""
    try:
        meta = json.loads((root / "submission_metadata.json").read_text())
        user = meta["users"][0]
        return re.sub(r"[^A-Za-z0-9._@+-]", "_", str(user.get("id") or user.get("email")))
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return "gradescope"
