"""The kit's main job, end to end: release, grade a small sample class with nbgrader, report."""

from pathlib import Path

from autograder.course import gradebook
from autograder.course.layout import KIT_ROOT, Course
from autograder.dev.scratch import add_submission, autograde, feedback_and_export, make_course
from autograder.engine.answers import build_submission, sources_from_file
from autograder.engine.notebook import read_notebook
from autograder.errors import KitError
from autograder.grading.references import reference_sources
from autograder.model.assignment import Assignment
from autograder.reports import class_report
from autograder.reports.table import render_table, write_exercise_csv
from autograder.sandbox.policy import Choice, Isolation, choose

DEFAULT_OUT = KIT_ROOT / "demo_output"
#: A fixed secret, so that the demo's table is the same on every machine (a real course uses
#: a random one: ``autograder secret``).
DEMO_SECRET = "demo"


def sample_class(course: Course, assignment: Assignment) -> dict[str, dict[str, str]]:
    """The bundled sample class: the reference, the untouched release and each sample in the
    assignment's ``samples/`` folder (student id = file name)."""
    students = {"reference": reference_sources(course, assignment), "untouched": {}}
    for path in sorted((assignment.folder / "samples").glob("*.py")):
        students[path.stem] = sources_from_file(path)
    return dict(sorted(students.items()))


def sample_sandbox() -> tuple[Choice, str]:
    """How the demo isolates its samples: the strongest sandbox the machine allows; else, as the
    samples are the kit's own trusted code, none, with a note that says so."""
    try:
        return choose(Isolation.AUTO), ""
    except KitError as exc:
        note = f"note: no sandbox can be built here ({exc.problem}); the demo's own samples run unsandboxed"
        return Choice(Isolation.NONE, "the demo's own trusted samples"), note


def run_demo(out: Path = DEFAULT_OUT, log=print) -> dict[str, dict[str, dict[str, float]]]:
    """Grade the sample class of every kit assignment in ``out/course``; write CSVs and feedback.

    Returns:
        ``{assignment: {student: {exercise: score}}}`` as recorded in the gradebook.
    """
    course_dir = out / "course"
    names = [a.name for a in Course(KIT_ROOT).assignments()]
    log(f"1/4 releasing {', '.join(names)} into {course_dir} (nbgrader generate_assignment)")
    course = make_course(course_dir, secret=DEMO_SECRET)
    classes = {a.name: (a, sample_class(course, a)) for a in course.assignments()}
    for name, (_, students) in classes.items():
        released = read_notebook(course.release_notebook(name))
        for student, answers in students.items():
            add_submission(course, name, student, build_submission(answers, released))
    count = sum(len(students) for _, students in classes.values())
    sandbox, note = sample_sandbox()
    log(f"2/4 grading {count} sample submissions (nbgrader autograde, in the kit's sandbox: {sandbox})")
    if note:
        log(note)
    for name in classes:
        autograde(course, name, sandbox.isolation)
    log("3/4 writing feedback and exporting grades (nbgrader generate_feedback, export)")
    for name in classes:
        grades_csv = feedback_and_export(course, name)
    results = {}
    log("4/4 done\n")
    for name, (assignment, _) in classes.items():
        results[name] = scores = gradebook.scores(course, assignment)
        exercise_csv = write_exercise_csv(scores, assignment, out / f"grades_by_exercise_{name}.csv")
        log(f"{name}: {assignment.title}")
        log(render_table(scores, assignment) + "\n")
        report = class_report.write(course, assignment)  # from the records nbgrader autograde kept
        log(f"grades per exercise:      {_shown(exercise_csv)}")
        log(f"what the class got wrong: {_shown(report['page'])}\n")
    log(f"grades (nbgrader export): {_shown(grades_csv)}")
    feedback = course.feedback_dir("<student>", "<assignment>")
    log(f"feedback per student:     {_shown(feedback)}/<assignment>.html")
    return results


def _shown(path: Path) -> Path:
    """``path`` as seen from where the command runs, when it lies below."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return Path(path)
