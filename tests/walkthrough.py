"""The README's instructor workflow, run for real in a temporary folder.

``python -m tests.walkthrough`` runs every step (nbgrader's exchange, three students who fetch
and submit as their own users, ``autograder grade``, feedback, export) and rewrites the README
block between the walkthrough markers with each command and what it printed.
``tests/test_walkthrough.py`` runs it again and fails when the README no longer matches.
Students get their own user names the way JupyterHub gives each an account: here each runs in
a user namespace of its own (util-linux ``unshare``) with its own uid, passwd entry and $HOME.
"""

import os
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.course.layout import KIT_ROOT, Course
from autograder.dev.scratch import make_course
from autograder.engine.answers import build_submission, sources_from_file
from autograder.engine.notebook import read_notebook
from autograder.grading.references import reference_sources
from autograder.quiet import quiet_environment

README = KIT_ROOT / "README.md"
BEGIN, END = "<!-- walkthrough:begin -->", "<!-- walkthrough:end -->"
#: How the temporary folder is shown: the README reads as if the course lived here.
SHOWN_ROOT = "~/keras101"
COURSE_ID = "keras101"


@dataclass(frozen=True)
class Step:
    """One command of the workflow: who runs it, what it is for, and whether to show it."""

    who: str  # "instructor" or a student's name
    command: str
    title: str = ""  # a step with a title is shown in the README


def _students() -> dict[str, dict[str, str]]:
    """Three students: one right, one with the demo's typical mistakes, one who did nothing."""
    kit = Course(KIT_ROOT)
    assignment = kit.assignment("keras_weights")
    return {
        "alice": reference_sources(kit, assignment),
        "bob": sources_from_file(assignment.folder / "samples" / "typical_mistakes.py"),
        "carol": {},
    }


def steps() -> list[Step]:
    """The workflow in the order an instructor meets it."""
    course = f"--course {COURSE_ID}"
    plan = [
        Step("instructor", "autograder secret", "Once per course: the secret that seeds per-student checks"),
        Step("instructor", "autograder release", "Make the student version from the source notebook"),
        Step("instructor", "nbgrader release_assignment keras_weights", "Release it to the students"),
    ]
    for name in _students():
        shown = name == "alice"
        plan.append(Step(name, f"nbgrader fetch_assignment keras_weights {course}", _t(shown, "fetches")))
        plan.append(Step(name, f"nbgrader submit keras_weights {course}", _t(shown, "works, then submits")))
    plan += [
        Step("instructor", "nbgrader collect keras_weights", "Collect the submissions"),
        Step("instructor", "autograder grade keras_weights", "Grade them all: sandboxed, in parallel"),
        Step("instructor", "nbgrader generate_feedback keras_weights", "Turn graded notebooks into feedback"),
        Step("instructor", "nbgrader release_feedback keras_weights", "Hand the feedback back"),
        Step("alice", f"nbgrader fetch_feedback keras_weights {course}", "A student fetches her feedback"),
        Step("instructor", "nbgrader export", "Export the grades for your LMS"),
        Step("instructor", "cat grades.csv"),
    ]
    return plan


def _t(shown: bool, what: str) -> str:
    return f"A student (alice) {what}" if shown else ""


class Walkthrough:
    """A temporary course, exchange and student homes, and a way to run commands in them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # A fixed secret, so the per-student checks (and bob's partial credit) repeat exactly.
        self.course = make_course(root / "course", ("keras_weights",), "walkthrough").root
        self.exchange = root / "exchange"
        self.exchange.mkdir()
        self.exchange.chmod(0o777)  # nbgrader's exchange is writable by every user
        with (self.course / "nbgrader_config.py").open("a") as fh:
            fh.write(self.config_lines())
        self.env = {**os.environ, **quiet_environment()}
        self.env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), self.env.get("PATH", "")])

    def config_lines(self) -> str:
        return (
            f'c.CourseDirectory.course_id = "{COURSE_ID}"\n'
            f'c.Exchange.root = "{self.exchange}"\n'
            "# Only here: the walkthrough's students are one real user under three names, which\n"
            "# nbgrader collect would flag as a cheating attempt. Leave the check on in a real course.\n"
            "c.ExchangeCollect.check_owner = False\n"
        )

    def home(self, student: str) -> Path:
        """A student's home, with the exchange's address in its nbgrader config."""
        home = self.root / "students" / student
        if not home.exists():
            home.mkdir(parents=True)
            (home / "nbgrader_config.py").write_text(f'c.Exchange.root = "{self.exchange}"\n')
        return home

    def run(self, step: Step) -> str:
        """Run one step where its user would and return what it printed (stdout and stderr)."""
        if step.who == "instructor":
            prefix, cwd, env = [], self.course, self.env
        else:  # nbgrader keeps a per-user cache of submissions under $HOME
            prefix, cwd = self._as_student(step.who), self.home(step.who)
            env = {**self.env, "HOME": str(cwd)}
            if "submit" in step.command:
                self._do_the_work(step.who)
        proc = subprocess.run(
            prefix + shlex.split(step.command),
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=900,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"`{step.command}` exited {proc.returncode}:\n{proc.stdout}")
        return proc.stdout.replace(str(self.root), SHOWN_ROOT)

    def _as_student(self, student: str) -> list[str]:
        """util-linux unshare arguments that make the command run as ``student``: a uid of its
        own in a user namespace, with its passwd entry bound over /etc/passwd."""
        uid = 2001 + sorted(_students()).index(student)
        passwd = self.root / f"passwd-{student}"
        passwd.write_text(f"{student}:x:{uid}:{uid}::{self.home(student)}:/bin/sh\n")
        become = (
            f'mount --bind "$0" /etc/passwd && exec unshare --user --map-user={uid} --map-group={uid} "$@"'
        )
        return ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", become, str(passwd)]

    def _do_the_work(self, student: str) -> None:
        """Write the student's answers into the notebook they fetched."""
        path = self.home(student) / "keras_weights" / "keras_weights.ipynb"
        nbformat.write(build_submission(_students()[student], read_notebook(path)), path)


def run_walkthrough() -> str:
    """Run every step in a fresh temporary folder; return the README block (markdown)."""
    with tempfile.TemporaryDirectory(prefix="walkthrough-") as tmp:
        walk = Walkthrough(Path(tmp).resolve())
        config = walk.config_lines().replace(str(walk.root), SHOWN_ROOT)
        parts = [_config_block(config)]
        for step in steps():
            output = walk.run(step)
            if step.title or step.command.startswith("cat "):
                parts.append(_step_block(step, output))
    return "\n".join(parts)


def _config_block(config: str) -> str:
    return (
        "**Set up the exchange** (once), in the course's `nbgrader_config.py` (a real course\n"
        "would use a shared folder such as `/srv/nbgrader/exchange`):\n\n"
        f"```python\n{config}```\n"
    )


def _step_block(step: Step, output: str) -> str:
    where = "course root" if step.who == "instructor" else f"{step.who}'s home"
    head = f"**{step.title}** ({where}):\n\n" if step.title else ""
    return f"{head}```console\n$ {step.command}\n{output.rstrip()}\n```\n"


def normalized(text: str) -> str:
    """Blank out what changes from run to run: times, random ids, secrets, byte counts."""
    text = re.sub(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?( UTC)?", "<time>", text)
    text = re.sub(r"\+[\w-]{12}(?![\w-])", "+<random>", text)  # nbgrader's token_urlsafe
    text = re.sub(r"\b[0-9a-f]{32}\b", "<hash>", text)
    text = re.sub(r"\d+ s(, about \d+ s left)?", "<seconds>", text)
    return re.sub(r"Writing \d+ bytes", "Writing <n> bytes", text)


def readme_block(readme: str) -> str:
    """The walkthrough block of the README, between its markers."""
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[start:end].strip("\n")


def write_readme(block: str) -> None:
    readme = README.read_text()
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    README.write_text(readme[:start] + "\n" + block.strip("\n") + "\n" + readme[end:])


if __name__ == "__main__":
    write_readme(run_walkthrough())
    print(f"rewrote the walkthrough in {README}")
