"""The kit's main job, end to end: release, grade a small sample class with nbgrader, report."""

from pathlib import Path

from autograder.course import add_submission, autograde, feedback_and_export, make_course
from autograder.notebook_io import read_notebook
from autograder.paths import REPO_ROOT, SAMPLES_DIR, release_notebook
from autograder.scores import gradebook_scores, render_table, write_exercise_csv
from autograder.submissions import build_submission, reference_sources, sources_from_file

DEFAULT_OUT = REPO_ROOT / "demo_output"
#: A fixed secret, so that the demo's table is the same on every machine (a real course uses
#: a random one: ``autograder secret``).
DEMO_SECRET = "demo"


def sample_class() -> dict[str, dict[str, str]]:
    """Return the bundled sample class: student id -> answers by exercise."""
    return {
        "reference": reference_sources(),
        "untouched": {},
        "typical_mistakes": sources_from_file(SAMPLES_DIR / "typical_mistakes.py"),
    }


def run_demo(out: Path = DEFAULT_OUT, log=print) -> dict[str, dict[str, float]]:
    """Grade the sample class in ``out/course`` and write the CSVs and feedback there.

    Returns:
        ``{student: {exercise: score}}`` as recorded in the gradebook.
    """
    course = out / "course"
    log(f"1/4 releasing keras_weights into {course} (nbgrader generate_assignment)")
    make_course(course, secret=DEMO_SECRET)
    released = read_notebook(release_notebook(course))
    for student, answers in sample_class().items():
        add_submission(course, student, build_submission(answers, released))
    log("2/4 grading 3 sample submissions (nbgrader autograde; about 15 s each)")
    autograde(course)
    log("3/4 writing feedback and exporting grades (nbgrader generate_feedback, export)")
    grades_csv = feedback_and_export(course)
    scores = gradebook_scores(course)
    exercise_csv = write_exercise_csv(scores, out / "grades_by_exercise.csv")
    log("4/4 done\n")
    log(render_table(scores))
    log(f"\ngrades (nbgrader export): {grades_csv}")
    log(f"grades per exercise:      {exercise_csv}")
    log(f"feedback per student:     {course / 'feedback'}/<student>/keras_weights/keras_weights.html")
    return scores
