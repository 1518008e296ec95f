"""Gradescope: export an autograder zip, and grade inside Gradescope's container.

Gradescope runs ``setup.sh`` once to build the image, then ``run_autograder`` for each
submission, with the student's files in ``/autograder/submission/`` and the results expected in
``/autograder/results/results.json`` (one entry per check: score, max_score, status, name,
output, visibility). Every submission gets a container of its own, which is how a course that
outgrows one machine scales out.
"""

import json
import zipfile
from dataclasses import asdict
from pathlib import Path

from autograder.course.collect import student_id
from autograder.course.layout import CONFIG_FILE, GRADING_FOLDER, KIT_ROOT, Course
from autograder.course.secret import read_secret
from autograder.engine.judge import JudgeSetup
from autograder.engine.notebook import read_notebook
from autograder.engine.plan import Plan
from autograder.errors import KitError
from autograder.grading.judges import private_paths
from autograder.grading.references import references
from autograder.grading.sinks import Graded
from autograder.grading.sinks.gradescope_results import GradescopeResults, not_graded, notice, write_results
from autograder.grading.submission import plan_of
from autograder.model.assignment import Assignment
from autograder.model.draws import PUBLIC_SECRET, Identity
from autograder.sandbox.policy import Choice, Isolation, Limits, choose, other_uid

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
CONFIG = "gradescope.json"
#: The zip's folder of the assignment's data files.
GRADING_DATA = "data"

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
exec "${AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}" -m autograder gradescope-run --root "$ROOT" "$@"
"""


def export(
    course: Course, name: str, out: Path, visibility: str = "after_published", limits: Limits | None = None
) -> Path:
    """Write the Gradescope autograder zip for assignment ``name`` of ``course`` to ``out``.

    The zip carries the course secret, so per-student checks match ``autograder grade``, and
    the ``limits`` each submission is graded with there; it is for Gradescope's instructor
    upload only, never for students.

    Raises:
        KitError: unknown assignment or visibility.
    """
    assignment = course.assignment(name)
    if visibility not in VISIBILITIES:
        raise KitError(f"unknown visibility {visibility!r}", f"use one of {', '.join(VISIBILITIES)}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    config = {
        "assignment": name,
        "visibility": visibility,
        "secret": read_secret(course.secret_file),
        # Where the course keeps the release and the data, inside the zip's source/ (so that
        # grading a submission there needs neither nbgrader nor its two seconds of imports).
        "release": course.release_dir(name).relative_to(course.root).as_posix(),
        "source_data": GRADING_DATA,
        "limits": asdict(limits or Limits()),
        # What stands in for a helper that fails its own checks (attribution), as at home.
        "references": references(course, assignment),
    }
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

    The kit's engine, the assignment's grading folder (without its catalog), its release and
    its data, and the course config. The source notebook (the reference solutions) stays home:
    grading needs only the checks.
    """
    engine = [
        p
        for p in (KIT_ROOT / "autograder").rglob("*")
        if p.is_file()
        and p.suffix in {".py", ".ini"}
        and "__pycache__" not in p.parts
        and not p.is_relative_to(KIT_ROOT / GRADING_FOLDER)
    ]
    files = [(p, p.relative_to(KIT_ROOT).as_posix()) for p in engine]
    grading = GRADING_FOLDER / assignment.name
    files += [
        (p, (grading / p.relative_to(assignment.folder)).as_posix())
        for p in assignment.folder.rglob("*")
        if p.is_file()
        and "catalog" not in p.relative_to(assignment.folder).parts
        and "__pycache__" not in p.parts
    ]
    release = course.release_dir(assignment.name)
    files += [(p, p.relative_to(course.root).as_posix()) for p in sorted(release.iterdir()) if p.is_file()]
    files += [(course.source_data_dir() / name, f"{GRADING_DATA}/{name}") for name in assignment.data]
    files += [(course.root / CONFIG_FILE, CONFIG_FILE)]
    return sorted(files, key=lambda f: f[1])


def run(root: Path, sandbox: Isolation = Isolation.AUTO) -> dict:
    """Grade the submission under Gradescope's ``root`` and write ``results/results.json``;
    return what it holds.

    The submission's code runs in the kit's sandbox, as under ``autograder grade``: the
    strongest isolation the container allows (``policy.choose``). A failure of the grader
    itself raises, so Gradescope reports an autograder error rather than the student's zero;
    where no sandbox can be had, ``results.json`` says so to the student first.
    """
    root = Path(root)
    config = json.loads((root / "source" / CONFIG).read_text())
    try:
        isolation = _isolation(sandbox, root)
    except KitError as exc:
        write_results(
            root, not_graded(f"the autograder cannot sandbox your code on this machine: {exc.problem}")
        )
        raise
    sink = GradescopeResults(root, config["visibility"], isolation)
    try:
        assignment, plan = _plan(root, config)
    except KitError as exc:
        sink.write_tests([notice("notebook", str(exc))], 0.0)
    else:
        sink.write(Graded(assignment, _grade(root, config, isolation, assignment, plan), plan))
    return json.loads((root / "results" / "results.json").read_text())


def _isolation(sandbox: Isolation, root: Path) -> Choice:
    """The strongest isolation the container allows; where sessions run as a user of their own,
    the autograder's files (secret, reference solutions, checks) are closed to it."""
    isolation = choose(sandbox)
    if other_uid(isolation.isolation):
        for path in (root / "source", root / "results"):
            path.mkdir(exist_ok=True)
            path.chmod(0o700)
    return isolation


def _plan(root: Path, config: dict) -> tuple[Assignment, Plan]:
    """The assignment, and what of the submitted notebook runs."""
    source = root / "source"
    assignment = Assignment.load(source / GRADING_FOLDER / config["assignment"])
    notebook = _submitted_notebook(root / "submission", assignment.name)
    release = read_notebook(source / config["release"] / f"{assignment.name}.ipynb")
    return assignment, plan_of(notebook, release, assignment)


def _grade(root: Path, config: dict, isolation: Choice, assignment: Assignment, plan: Plan):
    source = root / "source"
    setup = JudgeSetup(
        assignment.folder,
        source / config["release"],
        source / config["source_data"],
        isolation,
        Limits(**config.get("limits", {})),
        private_paths(root, source),
        tuple(config.get("references", {}).items()),
    )
    judge = setup.open()
    try:
        return judge.grade(plan, Identity(config.get("secret") or PUBLIC_SECRET, _student(root)))
    finally:
        judge.close()


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
        return student_id(str(user.get("id") or user.get("email")))
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return "gradescope"
