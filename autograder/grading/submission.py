"""A submitted notebook, planned: what of it runs (``engine/plan.py``), read as a hostile file."""

from pathlib import Path

from autograder.course.collect import read_file
from autograder.engine.notebook import Node, parse_notebook
from autograder.engine.plan import Plan, make_plan
from autograder.model.assignment import Assignment


def plan_of(notebook: Path, release: Node, assignment: Assignment) -> Plan:
    """What of the submitted ``notebook`` runs, against the ``release`` it came from.

    Raises:
        KitError: the notebook cannot be read (a link, too large, not a notebook).
    """
    return make_plan(parse_notebook(read_file(notebook), notebook.name), release, assignment)
