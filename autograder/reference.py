"""The reference solutions, taken from the instructor's source notebook (their one home)."""

import functools
from collections.abc import Callable

from autograder.errors import GraderError
from autograder.notebook_io import load_functions, read_notebook
from autograder.paths import source_notebook


@functools.cache
def reference_functions() -> dict[str, Callable]:
    """Return the four reference functions defined in ``solutions/``.

    Raises:
        GraderError: the source notebook is missing or a reference solution does not load.
    """
    try:
        functions, problems = load_functions(read_notebook(source_notebook()))
    except Exception as exc:
        raise GraderError(f"the reference solutions could not be loaded: {exc}") from exc
    if problems:
        raise GraderError(f"the reference solutions are incomplete: {problems}")
    return functions
