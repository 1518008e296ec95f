"""``autograder release``: make the student version from the source notebook, by command."""

import shutil
from pathlib import Path

from autograder.course.layout import KIT_ROOT, Course
from autograder.course.nbgrader import run_nbgrader
from autograder.errors import KitError
from autograder.model.assignment import Assignment


def sync_source_data(course: Course, assignment: Assignment) -> list[Path]:
    """Copy the fixed data files the assignment lists next to its source notebook, so
    nbgrader releases them.

    Raises:
        KitError: a listed file is not in the course's source data folder.
    """
    copied = []
    for name in assignment.data:
        src = course.source_data_dir() / name
        if not src.is_file():
            raise KitError(
                f"{assignment.name} lists data file {name!r}, which is not in {src.parent}", "add it"
            )
        dest = course.source_dir(assignment.name) / name
        if not dest.exists() or dest.read_bytes() != src.read_bytes():
            shutil.copyfile(src, dest)
        copied.append(dest)
    return copied


def taught(course: Course) -> list[str]:
    """The assignments this course has a source notebook for, in course order."""
    return [a.name for a in course.assignments() if course.source_notebook(a.name).is_file()]


def release(course: Course, name: str) -> Path:
    """Regenerate the release of assignment ``name`` from its source notebook.

    Returns:
        The folder of the released assignment.
    Raises:
        KitError: the assignment is unknown or nbgrader failed.
    """
    assignment = course.assignment(name)
    source = course.source_notebook(name)
    if not source.is_file():
        raise KitError(
            f"{name} has no source notebook in this course ({source} is missing)",
            f"copy the kit's {Course(KIT_ROOT).source_notebook(name).parent} folder there, or release only "
            f"the assignments this course teaches: {', '.join(taught(course)) or 'none yet'}",
        )
    sync_source_data(course, assignment)
    run_nbgrader(["generate_assignment", name, "--force"], course.root)
    return course.release_dir(name)
