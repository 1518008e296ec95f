"""The pytest plugin that hands hidden checks what they judge, loaded by ``engine/pytest.ini``.

Checks ask for fixtures by name: one per exercise (the student's function, as a
``StudentFunction``), ``draws`` (the per-student random choices) and ``source_data`` (the
course's fixed data). The grader puts them in pytest's stash; run by hand,
``autograder/dev/by_hand.py`` does (the reference solutions, or ``--submission NOTEBOOK``).
An assignment's ``conftest.py`` declares its exercise fixtures with ``exercise_fixtures``.
"""

from collections.abc import Callable
from pathlib import Path

import pytest

from autograder.engine.student import Explain, StudentFunction
from autograder.model.assignment import Assignment
from autograder.model.draws import Draws

#: What the grader hands the checks: ``{exercise: callable}``, the draws and the data folder.
FUNCTIONS = pytest.StashKey[dict]()
FRAMEWORK_FREE = pytest.StashKey[frozenset]()
DRAWS = pytest.StashKey[Draws]()
SOURCE_DATA = pytest.StashKey[Path]()
#: Run by hand (``autograder/dev/by_hand.py``): what loads an assignment's functions under test.
LOADER = pytest.StashKey[Callable[[Path], dict]]()
BY_HAND = (
    "nothing handed these checks the functions to judge: the grader does, or run them by hand "
    "with `-p autograder.dev.by_hand` (see autograder/engine/pytest.ini)"
)


@pytest.fixture(scope="session")
def draws(pytestconfig: pytest.Config) -> Draws:
    """The random choices of the graded student's checks."""
    return pytestconfig.stash.get(DRAWS, Draws())


@pytest.fixture(scope="session")
def source_data(pytestconfig: pytest.Config) -> Path:
    """The course's folder of fixed data files."""
    if SOURCE_DATA not in pytestconfig.stash:
        pytest.fail(BY_HAND)
    return pytestconfig.stash[SOURCE_DATA]


def _functions(config: pytest.Config, assignment_folder: Path) -> dict:
    """The functions under test: the grader's, else those the by-hand plugin loads."""
    if FUNCTIONS not in config.stash:
        if LOADER not in config.stash:
            pytest.fail(BY_HAND)
        config.stash[FUNCTIONS] = config.stash[LOADER](assignment_folder)
    return config.stash[FUNCTIONS]


def exercise_fixtures(conftest: str, explain: Explain | None = None) -> dict:
    """One session fixture per exercise of the assignment whose ``conftest.py`` is ``conftest``,
    named after the exercise; ``explain`` names likely causes of the exceptions it raises."""
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
