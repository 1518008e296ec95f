"""What each attack of tests/attacks/ and each fault of tests/faults/ must score, read from the
constants at the top of its file, for every module that grades them (test_grade.py on the bare
host, test_deployments.py where courses grade)."""

import html
from pathlib import Path

from autograder.catalog.mistakes import grade_answers, mistakes
from autograder.course.layout import KIT_ROOT, Course
from autograder.dev.scratch import add_submission, make_course
from autograder.engine.answers import build_submission
from autograder.engine.notebook import read_notebook
from autograder.model.draws import Identity
from tests.conftest import CLASS_SECRET, KERAS_WEIGHTS
from tests.helpers import constants

HERE = Path(__file__).parent
KIT = Course(KIT_ROOT)
ASSIGNMENT = KIT.assignment(KERAS_WEIGHTS)
FULL = dict(ASSIGNMENT.points)


def _files(folder: str) -> dict[str, Path]:
    paths = sorted((HERE / folder).glob("*.py")) + sorted((HERE / folder).glob("*.py.txt"))
    return {p.name.split(".")[0]: p for p in paths}


ATTACKS = _files("attacks")
FAULTS = _files("faults")


def attack_class(root: Path, reference: dict, honest: list[str], faults: bool = True) -> Course:
    """A course at ``root`` whose keras_weights class holds every attack (``attack_<name>``),
    every fault too unless told not (``fault_<name>``), then the ``honest`` students."""
    course = make_course(root, (KERAS_WEIGHTS,), CLASS_SECRET)
    released = read_notebook(course.release_notebook(KERAS_WEIGHTS))
    students = {f"attack_{a}": (path, attack_source(a, course.root)) for a, path in ATTACKS.items()}
    if faults:
        students |= {f"fault_{f}": (path, path.read_text()) for f, path in FAULTS.items()}
    for student, (path, source) in students.items():
        answers = {**reference, constants(path)["EXERCISE"]: source}
        add_submission(course, KERAS_WEIGHTS, student, build_submission(answers, released))
    for student in honest:
        add_submission(course, KERAS_WEIGHTS, student, build_submission(reference, released))
    return course


def line_about(stdout: str, student: str) -> str:
    """What a run of `autograder grade` printed about ``student`` (its line after the table)."""
    return next((ln for ln in stdout.splitlines() if ln.strip().startswith(student + ":")), "")


def feedback_text(course: Course, student: str) -> str:
    """The text of ``student``'s keras_weights feedback page."""
    return html.unescape(course.feedback_page(KERAS_WEIGHTS, student).read_text())


def attack_source(name: str, course_root: Path) -> str:
    """The attack's code, aimed at this course and this kit."""
    text = ATTACKS[name].read_text()
    return text.replace("@COURSE_ROOT@", str(course_root)).replace("@KIT_ROOT@", str(KIT_ROOT))


def honest_score(name: str | None, student: str) -> float:
    """What the honest wrong answer behind an attack scores for this student."""
    if name is None:
        return 0.0
    mistake = mistakes(ASSIGNMENT)[name]
    identity = Identity(CLASS_SECRET, student)
    return grade_answers(KIT, ASSIGNMENT, {mistake.exercise: mistake.source}, identity).exercises[0].points


def attack_wrongs(name: str, scores: dict, line: str, page: str) -> list[str]:
    """What is wrong with attack ``name``'s outcome (none: it scored exactly the honest wrong
    answer behind it on its exercise, or its stated score, and full marks elsewhere), given the
    student's scores, the run's line about the student and the student's feedback page."""
    const = constants(ATTACKS[name])
    student, exercise = f"attack_{name}", const["EXERCISE"]
    honest = honest_score(const.get("HONEST"), student)
    want = const.get("SCORE", honest)
    wrongs = []
    if const.get("HONEST_OR_ZERO") and scores.get(exercise) == 0.0:
        want = 0.0
        if "limit" not in line:
            wrongs.append(f"scored 0 on {exercise} without a limit named as the reason: {line!r}")
    if scores != FULL | {exercise: want}:
        wrongs.append(f"scored {scores}, not full marks but {want} on {exercise} (the run said: {line!r})")
    if const.get("AT_MOST") and want > honest:
        wrongs.append(f"scored {want}, above the honest answer's {honest}")
    if "PROBLEM" in const and const["PROBLEM"] not in line:
        wrongs.append(f"the run does not say {const['PROBLEM']!r}: {line!r}")
    if "HINT" in const and const["HINT"] not in page:
        wrongs.append(f"the feedback does not say {const['HINT']!r}")
    return wrongs


def fault_wrongs(name: str, scores: dict, line: str) -> list[str]:
    """What is wrong with fault ``name``'s outcome (none: 0 on its exercise, with its reason
    in the run's line, and full marks elsewhere)."""
    const = constants(FAULTS[name])
    want = FULL | ({const["EXERCISE"]: 0.0} if const["REASON"] else {})
    wrongs = [f"scored {scores}, not {want} (the run said: {line!r})"] if scores != want else []
    if const["REASON"] not in line:
        wrongs.append(f"the run does not say {const['REASON']!r}: {line!r}")
    return wrongs
