"""No silent downgrade: where no sandbox can be built grading refuses, says how to get one, and
grades unsandboxed only when told to (saying so); ``auto`` takes the strongest sandbox that
works; landlock keeps its walls where the kernel cannot scope signals; the weaker uid isolation
still keeps what it promises; a link planted in nbgrader's exchange is flagged, not graded."""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from autograder.catalog.mistakes import mistakes
from autograder.course import gradebook
from autograder.course.layout import KIT_ROOT, Course
from autograder.dev.scratch import add_submission, make_course
from autograder.engine.answers import build_submission
from autograder.engine.notebook import read_notebook
from autograder.sandbox import policy, uids
from autograder.sandbox.policy import Isolation
from tests import deployments
from tests.conftest import CLASS_SECRET, KERAS_WEIGHTS
from tests.helpers import constants, readable_python

pytestmark = pytest.mark.slow
HERE = Path(__file__).parent
KIT = Course(KIT_ROOT)
ASSIGNMENT = KIT.assignment(KERAS_WEIGHTS)
FULL = dict(ASSIGNMENT.points)


def without_user_namespaces(*cmd: str) -> list[str]:
    """``cmd`` where the kernel lets it create no user namespace (as some distributions and
    containers are set up), run by util-linux ``unshare``."""
    script = 'echo 0 > /proc/sys/user/max_user_namespaces && exec "$@"'
    return ["unshare", "--user", "--map-root-user", "sh", "-c", script, "sh", *cmd]


def without_any_sandbox(*cmd: str) -> list[str]:
    """``cmd`` where no sandbox can be built (``deployments.no_sandbox``)."""
    return [*deployments.no_sandbox(), *cmd]


def grade(course: Course, *args: str, prefix=without_any_sandbox) -> subprocess.CompletedProcess:
    cmd = prefix(sys.executable, "-m", "autograder", "grade", KERAS_WEIGHTS, "--jobs", "1", *args)
    return subprocess.run(cmd, cwd=course.root, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def small(tmp_path_factory, reference) -> Course:
    """A course of two submissions: the reference and one typical mistake."""
    course = make_course(tmp_path_factory.mktemp("small") / "course", (KERAS_WEIGHTS,), CLASS_SECRET)
    released = read_notebook(course.release_notebook(KERAS_WEIGHTS))
    mistake = mistakes(ASSIGNMENT)["manual_forward_no_bias"]
    add_submission(course, KERAS_WEIGHTS, "reference", build_submission(reference, released))
    add_submission(
        course,
        KERAS_WEIGHTS,
        mistake.name,
        build_submission({**reference, mistake.exercise: mistake.source}, released),
    )
    return course


SMALL_SCORES = {"reference": FULL, "manual_forward_no_bias": FULL | {"manual_forward": 2.31}}


def test_grading_refuses_without_any_sandbox(small):
    """Where neither user namespaces nor Landlock nor a uid of its own can be had, does
    `autograder grade` exit 2, say why for each, how to allow one or what else to choose, and
    record nothing?"""
    proc = grade(small)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    for text in (
        "student code cannot be isolated here",
        "no namespaces: [Errno 1] unshare: Operation not permitted",
        "no landlock: the kernel has no Landlock",
        "no uid:",
        "kernel.unprivileged_userns_clone",
        "--sandbox none",
    ):
        assert text in proc.stderr
    assert gradebook.scores(small, ASSIGNMENT) == {}


def test_a_typo_in_the_sandbox_is_an_error(small):
    """Does an unknown --sandbox stop with exit 2 and the modes to choose from, grading nothing,
    and an unknown c.SandboxedAutograde.sandbox in the course's config stop nbgrader autograde
    at its first notebook, naming the typo, with no graded notebook written?"""
    proc = grade(small, "--sandbox", "namspaces", prefix=lambda *cmd: list(cmd))
    assert proc.returncode == 2 and "there is no sandbox 'namspaces'" in proc.stderr, proc.stderr
    assert "auto, namespaces, landlock, uid, none" in proc.stderr
    config = small.root / "nbgrader_config.py"
    kept = config.read_text()
    try:
        config.write_text(kept + '\nc.SandboxedAutograde.sandbox = "namspaces"\n')
        from autograder.course.nbgrader import run_nbgrader

        with pytest.raises(Exception, match="namspaces"):
            run_nbgrader(["autograde", KERAS_WEIGHTS, "--force"], small.root)
    finally:
        config.write_text(kept)
    for student in SMALL_SCORES:
        assert not (small.autograded_dir(student, KERAS_WEIGHTS) / f"{KERAS_WEIGHTS}.ipynb").exists()


def test_unsandboxed_grading_only_when_told_and_it_says_so(small):
    """With --sandbox none, does it grade (the same scores) and warn in its output and in the
    class summary?"""
    proc = grade(small, "--sandbox", "none")
    assert proc.returncode == 0, proc.stderr
    assert "WARNING: graded WITHOUT a sandbox" in proc.stdout and "isolation: none" in proc.stdout
    assert (
        "WARNING: graded WITHOUT a sandbox" in (small.reports_dir(KERAS_WEIGHTS) / "summary.md").read_text()
    )
    assert gradebook.scores(small, ASSIGNMENT) == SMALL_SCORES


def test_a_masked_proc_is_found_by_the_probe_and_auto_takes_landlock(small):
    """Where user namespaces work but a fresh /proc cannot be mounted (a container runtime's
    masked /proc under seccomp=unconfined), does --sandbox namespaces refuse at once, saying
    so, and --sandbox auto grade with landlock, with the same scores?"""
    refused = grade(small, "--sandbox", "namespaces", "--force", prefix=_masked)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "a fresh /proc cannot be mounted" in refused.stderr
    proc = grade(small, "--force", prefix=_masked)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    landlock = f"isolation: landlock, {policy.walls(Isolation.LANDLOCK)} (auto: no namespaces: a fresh /proc"
    assert landlock in proc.stdout
    assert gradebook.scores(small, ASSIGNMENT) == SMALL_SCORES


def _masked(*cmd: str) -> list[str]:
    return [*deployments.masked_proc(), *cmd]


def test_the_demo_says_when_its_samples_run_unsandboxed():
    """Where no sandbox can be built, does the demo choose to grade its own trusted samples
    unsandboxed, and say so?"""
    code = "from autograder.commands.demo import sample_sandbox as s\nc, note = s()\nprint(c.isolation, note)"
    proc = subprocess.run(without_any_sandbox(sys.executable, "-c", code), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (
        proc.stdout.startswith("none note: no sandbox can be built here") and "run unsandboxed" in proc.stdout
    )


#: The honest students of the uid class, graded after the attackers.
HONEST = [f"z_honest_{i}" for i in range(1, 6)]


@pytest.fixture(scope="module")
def uid_class(tmp_path_factory, reference):
    """A class graded with --sandbox uid (as root), two judges at a time: honest students
    after attackers, and a link to the source notebook planted in nbgrader's exchange, then
    collected."""
    if os.geteuid() != 0:
        pytest.fail("the uid sandbox is tested as root (CI runs as root)")
    course = make_course(tmp_path_factory.mktemp("uid") / "course", (KERAS_WEIGHTS,), CLASS_SECRET)
    exchange = course.root.parent / "exchange"
    with (course.root / "nbgrader_config.py").open("a") as fh:
        fh.write(f'\nc.CourseDirectory.course_id = "uid101"\nc.Exchange.root = "{exchange}"\n')
        fh.write("c.ExchangeCollect.check_owner = False\n")
    course = Course(course.root)
    released = read_notebook(course.release_notebook(KERAS_WEIGHTS))
    for name in ("takeover", "lingering_writer", "second_account"):
        path = HERE / "attacks" / f"{name}.py"
        source = path.read_text().replace("@COURSE_ROOT@", str(course.root))
        add_submission(
            course,
            KERAS_WEIGHTS,
            f"a_{name}",
            build_submission({**reference, constants(path)["EXERCISE"]: source}, released),
        )
    for honest in HONEST:  # 8 submissions in all: a class two judges grade sooner than one
        add_submission(course, KERAS_WEIGHTS, honest, build_submission(reference, released))
    inbound = (
        exchange
        / "uid101"
        / "inbound"
        / f"mallory+{KERAS_WEIGHTS}+2026-11-29 10:00:00.000000 UTC+abcdefghijkl"
    )
    inbound.mkdir(parents=True)
    (inbound / f"{KERAS_WEIGHTS}.ipynb").symlink_to(KIT.source_notebook(KERAS_WEIGHTS))
    from autograder.course.nbgrader import run_nbgrader

    run_nbgrader(["collect", KERAS_WEIGHTS], course.root)
    proc = grade(course, "--sandbox", "uid", "--jobs", "2", prefix=lambda *cmd: [*readable_python(), *cmd])
    at_exit = course.gradebook_file.read_bytes()
    time.sleep(5)
    return course, proc, at_exit


def test_uid_isolation_keeps_attackers_to_themselves(uid_class):
    """With --sandbox uid, do attackers score their honest answers, the students after them
    full marks, and does nothing of theirs outlive the run or change the gradebook later?"""
    course, proc, at_exit = uid_class
    assert proc.returncode == 0, proc.stdout + proc.stderr
    scores = gradebook.scores(course, ASSIGNMENT)
    assert {s: scores[s] for s in HONEST} == dict.fromkeys(HONEST, FULL)
    assert scores["a_second_account"] == FULL | {"make_oracle_weights": 0.0}
    page = course.feedback_page(KERAS_WEIGHTS, "a_second_account").read_text()
    assert "loot: []" in page
    assert course.gradebook_file.read_bytes() == at_exit
    assert orphans() == []


def orphans() -> list[int]:
    """Live processes of a sandbox uid that no zygote holds (other runs may be grading meanwhile)."""
    live = uids.live_processes().items()
    return [pid for pid, uid in live if uids.is_sandbox_uid(uid) and not uids.held(uid)]


def test_a_link_planted_in_the_exchange_is_flagged(uid_class):
    """Is a notebook collected by nbgrader from a link to the source notebook flagged for the
    instructor, with no grade and no graded notebook holding the reference solutions?"""
    course, proc, _ = uid_class
    assert "mallory: FLAGGED, not graded" in proc.stdout
    assert "mallory" not in gradebook.scores(course, ASSIGNMENT)
    assert not course.autograded_dir("mallory", KERAS_WEIGHTS).exists()


#: Two zygotes of "uid" isolation, as two judges of a run (or two runs) have. A session of one
#: kills every process it may signal; a session of the other, alive meanwhile, must still answer.
#: Its argument: the (empty) assignment folder.
TWO_JUDGES = """
import json, sys, time
from autograder.sandbox.client import SandboxFault, Session
from autograder.sandbox.zygotes import Zygote
from autograder.sandbox.policy import Limits
limits = Limits(seconds=20)
zygotes = [Zygote("numpy", "uid", sys.argv[1], limits, []) for _ in range(2)]
try:
    for zygote in zygotes:
        zygote.start()
    honest = Session(zygotes[0], ["def alive():\\n    return 42\\n"], limits)
    honest.start()
    attack = "import os, signal\\ndef attack():\\n    os.kill(-1, signal.SIGKILL)\\n"
    attacker = Session(zygotes[1], [attack], limits)
    attacker.start()
    try:
        attacker.call("attack", (), {}, time.monotonic() + 20)
    except SandboxFault:
        pass
    attacker.close()
    try:
        answer = honest.call("alive", (), {}, time.monotonic() + 20)
    except SandboxFault as exc:
        answer = str(exc)
    print(json.dumps({"uids": [z.lease.uid for z in zygotes], "answer": answer}))
finally:
    for zygote in zygotes:
        zygote.close()
"""


def test_uid_sessions_of_two_judges_cannot_reach_each_other(tmp_path):
    """Under --sandbox uid, does a student's session that kills every process it may signal
    leave the session another judge is grading at the same time alive (each judge's sessions
    run as a uid of their own)?"""
    if os.geteuid() != 0:
        pytest.fail("the uid sandbox is tested as root (CI runs as root)")
    cmd = [*readable_python(), sys.executable, "-c", TWO_JUDGES, str(tmp_path)]
    started = time.time()
    proc = subprocess.run(cmd, cwd=KIT_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["answer"] == 42, seen
    assert len(set(seen["uids"])) == 2 and all(map(uids.is_sandbox_uid, seen["uids"])), seen
    assert orphans() == []
    assert folders_left_in_tmp(seen["uids"], started) == [], "a session's folder outlived its zygote"


def folders_left_in_tmp(owners: list[int], since: float) -> list[str]:
    """Folders of the machine's /tmp made since ``since`` that belong to one of ``owners``."""
    found = []
    for entry in os.scandir("/tmp"):
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if entry.is_dir(follow_symlinks=False) and info.st_uid in owners and info.st_mtime >= since:
                found.append(entry.path)
    return found


#: Under "uid" isolation, sessions that leave a helper killing every process it may signal (the
#: kill helper of their uid too, if it could) and, in a NumPy-only zygote, Keras settings in the
#: machine's /tmp; after each, an honest session of the same zygote, and then a Keras zygote
#: that reports the float type its Keras computes in. Its argument: the assignment folder.
SURVIVORS = """
import json, os, sys, time
from autograder.sandbox.client import Session
from autograder.sandbox.zygotes import Zygote
from autograder.sandbox.policy import Limits
limits = Limits(seconds=20, cell_seconds=5)
attack = "import os, signal\\nif os.fork() == 0:\\n    while True:\\n        os.kill(-1, signal.SIGKILL)\\n"
plant = "import json, os\\nos.makedirs('/tmp/.keras', exist_ok=True)\\n" + (
    "json.dump({'floatx': 'float16'}, open('/tmp/.keras/keras.json', 'w'))\\n"
)
answers = []
zygote = Zygote("numpy", "uid", sys.argv[1], limits, [])
try:
    zygote.start()
    for cells in [[attack]] * 5 + [[plant]]:
        left = Session(zygote, cells, limits)  # ended as the judge ends a submission's session
        left.start()
        left.close()
        honest = Session(zygote, ["def alive():\\n    return 42"], limits)
        honest.start()
        try:
            answers.append(honest.call("alive", (), {}, time.monotonic() + 20))
        except Exception as exc:  # SandboxFault, or a NameError where the cell never ran
            answers.append(f"{type(exc).__name__}: {exc}")
        honest.close()
finally:
    zygote.close()
keras_zygote = Zygote("keras", "uid", sys.argv[1], limits, [])
try:
    keras_zygote.start()
    cell = "import keras\\ndef floatx():\\n    return keras.config.floatx()"
    session = Session(keras_zygote, [cell], limits)
    session.start()
    floatx = session.call("floatx", (), {}, time.monotonic() + 20)
finally:
    keras_zygote.close()
print(json.dumps({"answers": answers, "floatx": floatx}))
"""


def test_uid_sessions_leave_nothing_for_the_next(tmp_path):
    """Under --sandbox uid, does nothing a session leaves behind (a helper that keeps killing
    every process of its uid; Keras settings planted in /tmp) reach the sessions graded after
    it, in its zygote or in the next Keras zygote?"""
    if os.geteuid() != 0:
        pytest.fail("the uid sandbox is tested as root (CI runs as root)")
    planted = Path("/tmp/.keras")
    existed = planted.exists()
    cmd = [*readable_python(), sys.executable, "-c", SURVIVORS, str(tmp_path)]
    try:
        proc = subprocess.run(cmd, cwd=KIT_ROOT, capture_output=True, text=True, timeout=600)
    finally:
        if not existed and planted.exists():
            shutil.rmtree(planted)
    assert proc.returncode == 0, proc.stderr[-2000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen == {"answers": [42] * 6, "floatx": "float32"}, seen
    assert orphans() == []


#: Builds the sandbox's root with one extra runtime folder under /tmp (as a venv in a clone in
#: /tmp is), then a session; prints what each sees there. Runs as a fresh single-threaded process.
HELD_RUNTIME = """
import os, sys
sys.path.insert(0, sys.argv[1])
import namespaces
runtime, root = sys.argv[2], sys.argv[3]
binds = [(p, p) for p in ("/usr", "/lib", "/lib64", "/bin", sys.base_prefix, sys.prefix) if os.path.exists(p)]
namespaces.new_user_namespace(0)
namespaces.unshare(namespaces.ALL)
if os.fork():
    sys.exit(os.wait()[1] >> 8)
namespaces.enter_root(root, binds + [(runtime, runtime)], [runtime + "/hidden"], 8)
seen = [os.path.exists(runtime + "/module.py"), os.listdir(runtime + "/hidden")]
namespaces.unshare(namespaces.ALL)
if os.fork():
    sys.exit(os.wait()[1] >> 8)
namespaces.enter_session(8)
print(seen + [os.path.exists(runtime + "/module.py"), os.listdir(runtime + "/hidden")])
"""


def test_a_runtime_under_tmp_stays_visible_through_private_tmps(tmp_path):
    """Does a runtime folder under /tmp (a kit cloned into /tmp, its .venv inside) stay
    visible, with its masks, in the sandbox and in a session, behind their private /tmp?"""
    runtime = Path(tempfile.mkdtemp(dir="/tmp", prefix="runtime-"))
    try:
        (runtime / "module.py").write_text("x = 1\n")
        (runtime / "hidden").mkdir()
        (runtime / "hidden" / "secret").write_text("masked\n")
        (tmp_path / "root").mkdir()
        sandbox_code = KIT_ROOT / "autograder" / "sandbox" / "inside"
        cmd = [
            sys.executable,
            "-I",
            "-c",
            HELD_RUNTIME,
            str(sandbox_code),
            str(runtime),
            str(tmp_path / "root"),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    finally:
        shutil.rmtree(runtime)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "[True, [], True, []]"


#: Under "landlock" isolation as the grader's own user, with the kernel's Landlock ABI taken as
#: given (argv[2]: below 6, signals are not scoped): a session that signals everything it may,
#: leaves a double-forked daemon in a new session that goes on doing so, and tries to read
#: /proc; then an honest session. Prints what each saw. argv[1]: the (empty) assignment folder.
UNSCOPED = """
import json, sys, time
from autograder.sandbox import zygotes
from autograder.sandbox.client import SandboxFault, Session
from autograder.sandbox.zygotes import Zygote
from autograder.sandbox.policy import Isolation, Limits
zygotes.landlock_abi = lambda: int(sys.argv[2])
limits = Limits(seconds=20, cell_seconds=5)
attack = '''
import os, signal, time
def attack():
    tried = {}
    for name, target in [("leader", os.getppid()), ("everyone", -1), ("group", 0), ("init", 1)]:
        try:
            os.kill(target, 0)
            tried[name] = "reached"
        except OSError as exc:
            tried[name] = type(exc).__name__
    try:
        tried["proc"] = len(os.listdir("/proc"))
    except OSError as exc:
        tried["proc"] = type(exc).__name__
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            for _ in range(200):
                for target in (-1, 0):
                    try:
                        os.kill(target, signal.SIGKILL)
                    except OSError:
                        pass
                time.sleep(0.01)
        os._exit(0)
    return tried
'''
zygote = Zygote("numpy", Isolation.LANDLOCK, sys.argv[1], limits, [])
try:
    zygote.start()
    attacker = Session(zygote, [attack], limits)
    attacker.start()
    tried = attacker.call("attack", (), {}, time.monotonic() + 20)
    time.sleep(0.5)  # the daemon at work, while the session lives
    attacker.close()
    honest = Session(zygote, ["def alive():\\n    return 42\\n"], limits)
    honest.start()
    answer = honest.call("alive", (), {}, time.monotonic() + 20)
    honest.close()
finally:
    zygote.close()
time.sleep(2.5)  # longer than the daemon would go on, had it survived
print(json.dumps({"tried": tried, "answer": answer}))
"""


@pytest.mark.parametrize("abi", [5, 7])
def test_landlock_keeps_signals_inside_without_scoping(abi):
    """Under --sandbox landlock as the grader's own user, where the kernel scopes signals (ABI 6+)
    and where it does not (the syscall filter then lets a session signal its own process only),
    does a session reach no process outside it (the grader, its leader, init), see no /proc,
    and leave no daemon behind for the session after it?"""
    if os.geteuid() != 0:
        pytest.fail("the ordinary user is emulated as root (CI runs as root)")
    top = Path(tempfile.mkdtemp(prefix="autograder-unscoped-"))  # the user's, not under root's tmp
    try:
        for folder in (top / "assignment", top / "staging"):
            folder.mkdir()
        subprocess.run(["chown", "-R", f"{deployments.USER}:{deployments.USER}", str(top)], check=True)
        cmd = [*deployments.as_user(), sys.executable, "-c", UNSCOPED, str(top / "assignment"), str(abi)]
        env = {**os.environ, "TMPDIR": str(top / "staging"), "HOME": str(top)}
        proc = subprocess.run(cmd, cwd=KIT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    denied = "PermissionError"
    assert seen["tried"] == {
        "leader": denied,
        "everyone": denied,
        "group": denied,
        "init": denied,
        "proc": denied,
    } or (
        abi >= 6
        and seen["tried"]
        == {"leader": denied, "everyone": "reached", "group": "reached", "init": denied, "proc": denied}
    ), seen
    assert seen["answer"] == 42
    left = [pid for pid, uid in uids.live_processes().items() if uid == deployments.USER]
    assert left == []


#: Under "landlock" isolation as the grader's own user: a session leaves a daemon (double fork,
#: new session) and reports its pid; then the zygote is killed outright, as when its judge
#: dies. Prints whether the daemon is still alive a moment later. argv[1]: the assignment folder.
ZYGOTE_KILLED = """
import os, signal, sys, time
from autograder.sandbox.client import Session
from autograder.sandbox.zygotes import Zygote
from autograder.sandbox.policy import Isolation, Limits
limits = Limits(seconds=20, cell_seconds=5)
cell = '''
import os, time
def daemon():
    read, write = os.pipe()
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.write(write, str(os.getpid()).encode())
            while True:
                time.sleep(0.1)
        os._exit(0)
    return int(os.read(read, 32))
'''
zygote = Zygote("numpy", Isolation.LANDLOCK, sys.argv[1], limits, [])
zygote.start()
session = Session(zygote, [cell], limits)
session.start()
pid = session.call("daemon", (), {}, time.monotonic() + 20)
alive_before = os.path.exists(f"/proc/{pid}")
os.kill(zygote.proc.pid, signal.SIGKILL)
time.sleep(2)
try:
    state = open(f"/proc/{pid}/stat").read().rpartition(")")[2].split()[0]
except OSError:
    state = "gone"
print(alive_before, state)
zygote.close()
"""


def test_landlock_sessions_end_with_their_zygote():
    """Under --sandbox landlock as the grader's own user, does a daemon a session left die
    when the zygote is killed outright (its judge killed), its leader ending the session first?"""
    if os.geteuid() != 0:
        pytest.fail("the ordinary user is emulated as root (CI runs as root)")
    top = Path(tempfile.mkdtemp(prefix="autograder-zygote-killed-"))
    try:
        for folder in (top / "assignment", top / "staging"):
            folder.mkdir()
        subprocess.run(["chown", "-R", f"{deployments.USER}:{deployments.USER}", str(top)], check=True)
        cmd = [*deployments.as_user(), sys.executable, "-c", ZYGOTE_KILLED, str(top / "assignment")]
        env = {**os.environ, "TMPDIR": str(top / "staging"), "HOME": str(top)}
        proc = subprocess.run(cmd, cwd=KIT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    alive_before, state = proc.stdout.split()[-2:]
    assert alive_before == "True" and state in ("gone", "Z"), proc.stdout


#: Under "uid" isolation: a session fills its uid's process allowance with children; right after
#: it is killed, a session of the same uid starts as many threads as an honest one may. Prints
#: the second session's answer. argv[1]: the (empty) assignment folder.
AFTER_A_BOMB = """
import json, sys, time
from autograder.sandbox.client import Session
from autograder.sandbox.zygotes import Zygote
from autograder.sandbox.policy import Isolation, Limits
limits = Limits(seconds=20, cell_seconds=5)
bomb = '''
import os, time
def bomb():
    n = 0
    try:
        while True:
            if os.fork() == 0:
                time.sleep(60)
                os._exit(0)
            n += 1
    except OSError:
        return n
'''
threads = '''
import threading
def threads():
    ts = [threading.Thread(target=lambda: None) for _ in range(40)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return len(ts)
'''
zygote = Zygote("numpy", Isolation.UID, sys.argv[1], limits, [])
try:
    zygote.start()
    answers = []
    for _ in range(3):
        first = Session(zygote, [bomb], limits)
        first.start()
        answers.append(first.call("bomb", (), {}, time.monotonic() + 20))
        first.close()
        second = Session(zygote, [threads], limits)
        second.start()
        try:
            answers.append(second.call("threads", (), {}, time.monotonic() + 20))
        except Exception as exc:
            answers.append(f"{type(exc).__name__}: {exc}")
        second.close()
finally:
    zygote.close()
print(json.dumps(answers))
"""


def test_uid_sessions_get_their_whole_allowance_after_a_fork_bomb(tmp_path):
    """Under --sandbox uid, does a session right after one that filled the uid's process limit
    still start 40 threads (its killed processes gone, not waiting to be reaped)?"""
    if os.geteuid() != 0:
        pytest.fail("the uid sandbox is tested as root (CI runs as root)")
    cmd = [*readable_python(), sys.executable, "-c", AFTER_A_BOMB, str(tmp_path)]
    proc = subprocess.run(cmd, cwd=KIT_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    answers = json.loads(proc.stdout.strip().splitlines()[-1])
    assert answers[1::2] == [40, 40, 40], answers
    assert all(isinstance(n, int) and n > 40 for n in answers[0::2]), answers
    assert orphans() == []


#: A session fills its scratch folder past its cap in one call that returns at once (the blocks
#: allocated, not written), and is checked as the judge checks it after an exercise; then a
#: fresh session answers. Prints how each ended.
#: argv[1]: the (empty) assignment folder; argv[2]: the isolation.
FILLED = """
import json, sys, time
from autograder.sandbox.client import SandboxFault, Session
from autograder.sandbox.zygotes import Zygote
from autograder.sandbox.policy import Isolation, Limits
limits = Limits(seconds=20, cell_seconds=5, tmp_mb=64)
cell = '''
import os
def fill():
    for i in range(2):
        with open(f"part{i}", "wb") as fh:
            os.posix_fallocate(fh.fileno(), 0, 40 << 20)
    return "filled"
def alive():
    return 42
'''
zygote = Zygote("numpy", Isolation(sys.argv[2]), sys.argv[1], limits, [])
ended = []
try:
    zygote.start()
    for name in ("fill", "alive"):
        session = Session(zygote, [cell], limits)
        session.start()
        try:
            answer = session.call(name, (), {}, time.monotonic() + 20)
            session.check_scratch()  # as the judge does after an exercise's calls
            ended.append(answer)
        except SandboxFault as fault:
            ended.append(f"fault: {fault}")
        session.close()
finally:
    zygote.close()
print(json.dumps(ended))
"""


@pytest.mark.parametrize("isolation", ["landlock", "uid"])
def test_a_filled_scratch_folder_costs_the_call_that_filled_it(tmp_path, isolation):
    """Where a session's scratch folder is one of the machine's, does the exercise whose call
    filled it past 64 MB fail, saying so, before the next exercise runs (not whatever runs when
    the leader's periodic check notices), and the next session answer?"""
    if os.geteuid() != 0:
        pytest.fail("the uid sandbox is tested as root (CI runs as root)")
    cmd = [*readable_python(), sys.executable, "-c", FILLED, str(tmp_path), isolation]
    proc = subprocess.run(cmd, cwd=KIT_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    fill, alive = json.loads(proc.stdout.strip().splitlines()[-1])
    assert (
        fill == "fault: the code filled its scratch folder past the limit of 64 MB and 8192 files and folders"
    )
    assert alive == 42
