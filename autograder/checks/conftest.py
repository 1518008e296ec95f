"""Fixtures that hand the hidden checks the functions under test (the reference by default)."""

import pytest

from autograder.checks.support import SUBMISSION_KEY, student
from autograder.exercises import EXERCISES


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--submission",
        default=None,
        help="notebook whose functions to check (default: the reference solutions)",
    )


@pytest.fixture(scope="session")
def submission(pytestconfig: pytest.Config) -> dict:
    """The functions under test: injected by the grader, read from --submission, or the reference."""
    injected = pytestconfig.stash.get(SUBMISSION_KEY, None)
    if injected is not None:
        return injected
    path = pytestconfig.getoption("--submission")
    if path is None:
        from autograder.reference import reference_functions

        return reference_functions()
    from autograder.notebook_io import load_functions, read_notebook

    return load_functions(read_notebook(path))[0]


def _function_fixture(name: str):
    # One wrapper per grading run, so checks may share what it returned (see _model).
    @pytest.fixture(name=name, scope="session")
    def fixture(submission: dict):
        if name not in submission:
            pytest.fail(f"{name} is not defined: the cell that defines it is missing or failed")
        return student(name, submission[name])

    return fixture


for _name in EXERCISES:
    globals()[f"_fixture_{_name}"] = _function_fixture(_name)
