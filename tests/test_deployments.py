"""Where courses actually grade: the attack class graded by `autograder grade --sandbox auto` in
emulated deployments (tests/deployments.py), with the same asserted outcome as on the bare host.

Each deployment grades one class of keras_weights: every attack of tests/attacks/ and every
fault of tests/faults/, then honest students after them, two judges at a time, as
``test_grade.py`` grades them on the bare host:

* ``docker_root``: a container under Docker's default seccomp profile, as root without
  CAP_SYS_ADMIN, its cgroup file system read-only (landlock; sessions as a sandbox uid);
* ``docker_user``: the same container as an ordinary user (landlock; sessions as that user);
* ``ubuntu_user``: an ordinary user whose kernel refuses user namespaces (landlock);
* ``bare_uid``: the bare host as root with ``--sandbox uid`` (a Python other users can read).

Each test reads one outcome: exact scores for the attackers and the students after them, the
isolation the run chose and said, nothing changed outside the sandbox, nothing left running
and nothing left in the machine's shared folders. (uid takes Landlock's file rules where the
kernel has them, as CI's does; without, its sessions could read every world-readable file.)
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.course import gradebook
from autograder.course.layout import KIT_ROOT, Course
from autograder.sandbox import policy, uids
from autograder.sandbox.policy import Isolation
from tests import deployments
from tests.conftest import KERAS_WEIGHTS
from tests.helpers import readable_python
from tests.outcomes import (
    ATTACKS,
    FAULTS,
    FULL,
    attack_class,
    attack_wrongs,
    fault_wrongs,
    feedback_text,
    line_about,
)

pytestmark = pytest.mark.slow
#: The isolation ``auto`` takes where user namespaces are refused, as the run says it.
LANDLOCK = deployments.landlock_chosen()
#: deployment -> (its command prefix, whether the grader is the ordinary user, --sandbox, the
#: isolation the run must report).
DEPLOYMENTS = {
    "docker_root": (lambda: deployments.docker(user=False), False, "auto", LANDLOCK),
    "docker_user": (lambda: deployments.docker(user=True), True, "auto", LANDLOCK),
    "ubuntu_user": (deployments.no_user_namespaces, True, "auto", LANDLOCK),
    "bare_uid": (readable_python, False, "uid", f"uid, {policy.walls(Isolation.UID)} (asked for)"),
}
#: The honest students graded after the attackers and faults.
HONEST = [f"z_honest_{i}" for i in range(1, 5)]
#: The machine's shared folders, where nothing of a session may be left.
SHARED = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")


@dataclass
class Deployed:
    """One class graded in one emulated deployment, and what was seen around it."""

    name: str
    isolation: str
    course: Course
    proc: subprocess.CompletedProcess
    scores: dict
    before: dict[Path, tuple]
    after: dict[Path, tuple]
    gradebook_at_exit: bytes
    gradebook_later: bytes
    leftovers: list[str]
    left_in_shared: list[str]
    left_in_staging: list[str]


@pytest.fixture(scope="module", params=sorted(DEPLOYMENTS))
def deployed(request, reference) -> Deployed:
    """The attack class of keras_weights, graded in one deployment."""
    if os.geteuid() != 0:
        pytest.fail("the deployments are emulated as root (CI runs as root)")
    name = request.param
    prefix, as_user, sandbox, isolation = DEPLOYMENTS[name]
    top = Path(tempfile.mkdtemp(prefix="autograder-deployment-"))  # not under root's 0700 tmp
    top.chmod(0o755)
    try:
        course = attack_class(top / "course", reference, HONEST)
        staging = top / "staging"
        staging.mkdir()
        if as_user:
            subprocess.run(["chown", "-R", f"{deployments.USER}:{deployments.USER}", str(top)], check=True)
        shared_before = _shared_entries()
        before = _files(course)
        proc = _grade(course, prefix(), staging, sandbox)
        at_exit = course.gradebook_file.read_bytes()
        time.sleep(5)  # longer than any lingering process of the attacks waits
        yield Deployed(
            name,
            isolation,
            course,
            proc,
            gradebook.scores(course, course.assignment(KERAS_WEIGHTS)),
            before,
            _files(course),
            at_exit,
            course.gradebook_file.read_bytes(),
            _processes_of(staging),
            sorted(_shared_entries() - shared_before),
            sorted(str(p) for p in staging.glob("autograder-sandbox-*")),  # the zygotes' folders
        )
    finally:
        shutil.rmtree(top, ignore_errors=True)


def _grade(course: Course, prefix: list[str], staging: Path, sandbox: str) -> subprocess.CompletedProcess:
    """`autograder grade --sandbox SANDBOX` with the suite's short limits, in the deployment."""
    home = staging.parent
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(home),
        "TMPDIR": str(staging),
        "MPLCONFIGDIR": str(home / "matplotlib"),
        "LANG": "C.UTF-8",
    }
    cmd = [sys.executable, "-m", "autograder", "grade", KERAS_WEIGHTS, "--force", "--sandbox", sandbox]
    cmd += ["--timeout", "15", "--cell-timeout", "8", "--jobs", "2"]
    return subprocess.run(
        prefix + cmd, cwd=course.root, env=env, capture_output=True, text=True, timeout=1200
    )


def _files(course: Course) -> dict[Path, tuple]:
    """Every file of the course grading must leave alone (its bytes, mode and time) and every
    folder (its mode), the course folder's own included."""
    theirs = {"autograded", "grading_reports", "feedback"}
    found = {course.root: (course.root.stat().st_mode,)}
    for p in course.root.rglob("*"):
        if theirs & set(p.relative_to(course.root).parts) or p.is_symlink():
            continue
        info = p.stat()
        if p.is_dir():
            found[p] = (info.st_mode,)
        elif p.name != "gradebook.db":
            found[p] = (info.st_mode, info.st_mtime_ns, p.read_bytes())
        else:
            found[p] = (info.st_mode,)
    return found


def _shared_entries() -> set[str]:
    """Entries of the shared folders owned by the deployment's user or a sandbox uid (no other
    test writes as those)."""
    found = set()
    for folder in SHARED:
        for entry in Path(folder).iterdir() if os.path.isdir(folder) else ():
            try:
                owner = entry.lstat().st_uid
            except OSError:
                continue
            if owner == deployments.USER or uids.is_sandbox_uid(owner):
                found.add(str(entry))
    return found


def _processes_of(staging: Path) -> list[str]:
    """Live processes whose command line names the run's staging folder, or of a sandbox uid
    that no zygote holds."""
    found = []
    for pid, uid in uids.live_processes().items():
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if str(staging) in cmdline or (uids.is_sandbox_uid(uid) and not uids.held(uid)):
            found.append(f"{pid} (uid {uid}): {cmdline[:120]}")
    return found


def _line(deployed: Deployed, student: str) -> str:
    return line_about(deployed.proc.stdout, student)


def _page(deployed: Deployed, student: str) -> str:
    return feedback_text(deployed.course, student)


def test_the_run_chooses_its_isolation_and_says_why(deployed):
    """Does the run exit 0 with no grader failure, in the isolation the deployment allows
    (landlock where user namespaces are refused), and say which and why in its table, its
    summary and every feedback page?"""
    out = deployed.proc.stdout
    assert deployed.proc.returncode == 0, out[-3000:] + deployed.proc.stderr[-3000:]
    assert "grader failures 0" in out
    assert f"(isolation: {deployed.isolation})" in out
    summary = (deployed.course.reports_dir(KERAS_WEIGHTS) / "summary.md").read_text()
    assert f"Isolation: {deployed.isolation}." in summary
    assert f"sandbox: {deployed.isolation}." in _page(deployed, HONEST[-1])


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_scores_as_on_the_bare_host(deployed, name):
    """Does each attack score exactly what it scores on the bare host (its honest wrong answer,
    or its stated score, and full marks elsewhere)?"""
    student = f"attack_{name}"
    page = _page(deployed, student)
    if name == "allowlist" and deployed.name == "bare_uid":  # what any user may read, it reads
        page = page.replace(
            page[page.index("readable: [") : page.index("]", page.index("readable: ["))], "readable: ["
        )
    wrongs = attack_wrongs(name, deployed.scores.get(student), _line(deployed, student), page)
    assert wrongs == []


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_fault_costs_only_its_exercise(deployed, name):
    """Does each fault cost its exercise only, with its reason, as on the bare host?"""
    student = f"fault_{name}"
    assert fault_wrongs(name, deployed.scores.get(student), _line(deployed, student)) == []


def test_students_after_the_attackers_get_full_marks(deployed):
    """Do the honest students graded after every attack and fault score full marks?"""
    assert {s: deployed.scores.get(s) for s in HONEST} == dict.fromkeys(HONEST, FULL)


def test_nothing_outside_the_sandbox_changed(deployed):
    """Are every course file and every submitted notebook as they were after the run (their
    bytes, modes and times; every folder's mode), and the gradebook unchanged after it ended?"""
    changed = [
        str(p)
        for p in set(deployed.before) | set(deployed.after)
        if deployed.before.get(p) != deployed.after.get(p)
    ]
    assert changed == []
    assert deployed.gradebook_later == deployed.gradebook_at_exit


def test_nothing_is_left_running_or_on_disk(deployed):
    """Is no process of the run alive a few seconds after it, nothing of a session left in
    /tmp, /var/tmp, /dev/shm or /run/lock, and no zygote's folder in the run's staging folder?"""
    assert deployed.leftovers == []
    assert deployed.left_in_shared == []
    assert deployed.left_in_staging == []


def test_the_kit_and_course_stayed_closed(deployed):
    """Could the code read nothing of the kit, the course, the system or other processes, and
    did the takeover collect nothing for its second account?"""
    assert "readable: []" in _page(deployed, "attack_allowlist")
    assert "loot: []" in _page(deployed, "attack_second_account")


def test_the_demo_class_scores_as_on_the_bare_host():
    """Does the demo, run by an ordinary user in an emulated default container, grade its
    sample classes (nbgrader autograde through the engine) in landlock, with exactly the tables
    the README shows for the bare host?"""
    top = Path(tempfile.mkdtemp(prefix="autograder-deployment-demo-"))
    top.chmod(0o755)
    try:
        (top / "staging").mkdir()
        subprocess.run(["chown", "-R", f"{deployments.USER}:{deployments.USER}", str(top)], check=True)
        env = {
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "HOME": str(top),
            "TMPDIR": str(top / "staging"),
            "MPLCONFIGDIR": str(top / "matplotlib"),
            "LANG": "C.UTF-8",
        }
        cmd = [
            *deployments.docker(user=True),
            sys.executable,
            "-m",
            "autograder",
            "demo",
            "--out",
            str(top / "out"),
        ]
        proc = subprocess.run(cmd, cwd=KIT_ROOT, env=env, capture_output=True, text=True, timeout=1200)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert f"in the kit's sandbox: {LANDLOCK})" in proc.stdout
    readme = (KIT_ROOT / "README.md").read_text()
    for assignment in Course(KIT_ROOT).assignments():
        block = proc.stdout.split(f"{assignment.name}: {assignment.title}\n", 1)[1].split("\n\n", 1)[0]
        assert block in readme, f"{assignment.name}'s table differs from the README's:\n{block}"
