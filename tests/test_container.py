"""A real container: the attack class graded by `autograder grade --sandbox auto` inside Docker,
under its default seccomp profile and capabilities, as root and as an ordinary user.

The image (``IMAGE``) is a Debian root file system made by ``debootstrap``; ``.ci/run`` builds it
and starts the engine. The kit's checkout and its Python are mounted read-only at the paths they
have here, the course read-write; the container has no network. Where no engine runs (a
developer's machine), the module says so and is skipped; in CI it must run.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.course import gradebook
from autograder.course.layout import KIT_ROOT, Course
from tests import deployments
from tests.conftest import KERAS_WEIGHTS
from tests.outcomes import (
    ATTACKS,
    FULL,
    attack_class,
    attack_wrongs,
    feedback_text,
    line_about,
)

pytestmark = pytest.mark.slow
#: The image .ci/run builds: Debian bookworm's minimal root file system.
IMAGE = "kit-grader:bookworm"
HONEST = [f"z_honest_{i}" for i in range(1, 4)]
#: What the run must say it chose: Docker's profile refuses unshare without CAP_SYS_ADMIN.
LANDLOCK = deployments.landlock_chosen()


def engine_problem() -> str:
    """Why no container can be run here, or ""."""
    if shutil.which("docker") is None:
        return "no docker client"
    proc = subprocess.run(["docker", "image", "inspect", IMAGE], capture_output=True, text=True)
    return "" if proc.returncode == 0 else f"no container engine with {IMAGE} ({proc.stderr.strip()[:200]})"


@pytest.fixture(scope="module", autouse=True)
def engine():
    """The engine and its image: required in CI, said and skipped elsewhere."""
    problem = engine_problem()
    if problem and os.environ.get("CI"):
        pytest.fail(f"CI must grade in a real container, but {problem}: see .ci/run")
    if problem:
        pytest.skip(f"{problem}; .ci/run sets one up (docker.io, debootstrap)")


@dataclass
class Contained:
    """One class graded in a container."""

    course: Course
    proc: subprocess.CompletedProcess
    scores: dict


@pytest.fixture(scope="module", params=["root", "user"])
def contained(request, reference) -> Contained:
    """The attack class of keras_weights, graded in a default container as ``request.param``."""
    top = Path(tempfile.mkdtemp(prefix="autograder-container-"))
    top.chmod(0o755)
    try:
        course = attack_class(top / "course", reference, HONEST, faults=False)
        (top / "staging").mkdir()
        user = []
        if request.param == "user":
            subprocess.run(["chown", "-R", f"{deployments.USER}:{deployments.USER}", str(top)], check=True)
            user = ["--user", f"{deployments.USER}:{deployments.USER}"]
        proc = subprocess.run(_docker(top, course, user), capture_output=True, text=True, timeout=1800)
        yield Contained(course, proc, gradebook.scores(course, course.assignment(KERAS_WEIGHTS)))
    finally:
        shutil.rmtree(top, ignore_errors=True)


def _docker(top: Path, course: Course, user: list[str]) -> list[str]:
    """`docker run` of `autograder grade --sandbox auto` on the course, with the suite's limits."""
    runtime = Path(sys.base_prefix).resolve()
    mounts = [f"{KIT_ROOT}:{KIT_ROOT}:ro", f"{runtime}:{runtime}:ro", f"{top}:{top}"]
    env = {
        "HOME": str(top),
        "TMPDIR": str(top / "staging"),
        "MPLCONFIGDIR": str(top / "mpl"),
        "LANG": "C.UTF-8",
    }
    grade = [sys.executable, "-m", "autograder", "grade", KERAS_WEIGHTS, "--force", "--sandbox", "auto"]
    grade += ["--timeout", "15", "--cell-timeout", "8", "--jobs", "2"]
    cmd = ["docker", "run", "--rm", "--network", "none", "--workdir", str(course.root), *user]
    cmd += [f"--volume={m}" for m in mounts] + [f"--env={k}={v}" for k, v in env.items()]
    return [*cmd, IMAGE, *grade]


def _line(contained: Contained, student: str) -> str:
    return line_about(contained.proc.stdout, student)


def _page(contained: Contained, student: str) -> str:
    return feedback_text(contained.course, student)


def test_the_container_grades_with_landlock(contained):
    """Does the run in the container exit 0 with no grader failure, having chosen landlock
    because the profile refuses user namespaces, and say so?"""
    out = contained.proc.stdout
    assert contained.proc.returncode == 0, out[-3000:] + contained.proc.stderr[-3000:]
    assert "grader failures 0" in out
    assert f"(isolation: {LANDLOCK})" in out


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_scores_as_on_the_bare_host(contained, name):
    """Does each attack score in the container exactly what it scores on the bare host?"""
    student = f"attack_{name}"
    page = _page(contained, student)
    assert attack_wrongs(name, contained.scores.get(student), _line(contained, student), page) == []


def test_students_after_the_attackers_get_full_marks(contained):
    """Do the honest students graded after every attack score full marks?"""
    assert {s: contained.scores.get(s) for s in HONEST} == dict.fromkeys(HONEST, FULL)
