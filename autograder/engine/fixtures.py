"""The pytest plugin that hands hidden checks what they judge, loaded by ``engine/pytest.ini``.

Checks ask for fixtures by name: one per exercise (the student's function, as a
``StudentFunction``), ``draws`` (the per-student random choices) and ``source_data`` (the
course's fixed data). The grader puts them in pytest's stash; run by hand, the checks judge
the reference solutions of the kit's course (or ``--submission NOTEBOOK``) with public draws.
An assignment's ``conftest.py`` declares its exercise fixtures with ``exercise_fixtures``.
"""

from pathlib import Path

import pytest

from autograder.engine.student import Explain, StudentFunction
from autograder.model.draws import Draws

#: What the grader hands the checks: ``{exercise: callable}``, the draws and the data folder.
FUNCTIONS = pytest.StashKey[dict]()
FRAMEWORK_FREE = pytest.StashKey[frozenset]()
DRAWS = pytest.StashKey[Draws]()
SOURCE_DATA = pytest.StashKey[Path]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--submission",
        default=None,
        help="notebook whose functions to check (default: the reference solutions)",
    )


@pytest.fixture(scope="session")
def draws(pytestconfig: pytest.Config) -> Draws:
    """The random choices of the graded student's checks."""
    return pytestconfig.stash.get(DRAWS, Draws())


@pytest.fixture(scope="session")
def source_data(pytestconfig: pytest.Config) -> Path:
    """The course's folder of fixed data files."""
    if SOURCE_DATA not in pytestconfig.stash:
        from autograder.course.layout import Course

        return Course.find(pytestconfig.rootpath).source_data_dir()
    return pytestconfig.stash[SOURCE_DATA]


def _functions(config: pytest.Config, assignment_folder: Path) -> dict:
    """The functions under test: the grader's, else those of --submission or the reference."""
    if FUNCTIONS in config.stash:
        return config.stash[FUNCTIONS]
    from autograder.course.layout import Course
    from autograder.course.scratch import reference_functions
    from autograder.engine.inprocess import load_notebook
    from autograder.model.assignment import Assignment

    assignment = Assignment.load(assignment_folder)
    path = config.getoption("--submission")
    if path is None:
        functions = reference_functions(Course.find(assignment_folder), assignment)
    else:
        functions = load_notebook(Path(path), assignment)[0]
    config.stash[FUNCTIONS] = functions
    return functions


def exercise_fixtures(conftest: str, explain: Explain | None = None) -> dict:
    """One session fixture per exercise of the assignment whose ``conftest.py`` is ``conftest``,
    named after the exercise; ``explain`` names likely causes of the exceptions it raises."""
    from autograder.model.assignment import Assignment

    folder = Path(conftest).parent
    fixtures = {}
    for exercise in Assignment.load(folder).exercises:

        def fixture(pytestconfig: pytest.Config, exercise=exercise) -> StudentFunction:
            functions = _functions(pytestconfig, folder)
            if exercise.name not in functions:
                pytest.fail(f"{exercise.name} is not defined: the cell that defines it is missing or failed")
            free = exercise.name in pytestconfig.stash.get(FRAMEWORK_FREE, frozenset())
            return StudentFunction(
                exercise.name, functions[exercise.name], exercise.numpy_only, free, explain
            )

        fixtures[f"_fixture_{exercise.name}"] = pytest.fixture(name=exercise.name, scope="session")(fixture)
    return fixtures
