"""The hidden checks run by hand: a pytest plugin that hands them the reference solutions of the
course they sit in (or the functions of ``--submission NOTEBOOK``) and public draws.

    pytest -c autograder/engine/pytest.ini -p autograder.dev.by_hand autograder/assignments/NAME
"""

from pathlib import Path

import pytest

from autograder.course.layout import Course
from autograder.dev.scratch import reference_functions
from autograder.engine import fixtures
from autograder.engine.inprocess import load_notebook
from autograder.model.assignment import Assignment


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--submission",
        default=None,
        help="notebook whose functions to check (default: the reference solutions)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[fixtures.SOURCE_DATA] = Course.find(config.rootpath).source_data_dir()
    config.stash[fixtures.LOADER] = lambda folder: _load(config.getoption("--submission"), folder)


def _load(submission: str | None, assignment_folder: Path) -> dict:
    assignment = Assignment.load(assignment_folder)
    if submission is None:
        return reference_functions(Course.find(assignment_folder), assignment)
    return load_notebook(Path(submission), assignment)[0]
