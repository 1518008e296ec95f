"""How pytest-xdist shares the suite among workers: modules that share a costly fixture on one
worker, and the longest units first.

``python3 kit.py test`` runs the suite on one worker per core. pytest-xdist's own schedulers
either split modules that share the ``classes`` fixture (which would then be built on every
worker: two minutes of grading each time) or hand out units in the order they were collected,
which can leave one worker with a long module at the end while the other idles.
"""

from xdist.scheduler import LoadScopeScheduling

#: Modules that share a session fixture too costly to build twice, run as one unit.
GROUPS = {
    "test_autograde.py": "classes",
    "test_catalog.py": "classes",
    "test_grade.py": "classes",
}
#: The units that take longest, longest first (seconds, serial, on 2 cores: classes 330,
#: deployments 320, walkthrough 125, container 125, browser 120, gradescope 105, isolation 120,
#: catalog_draws 75, notebook 63, new_assignment 55, similarity 45, cli 30). Workers take these
#: first; the rest follow in the order they were collected.
LONGEST_FIRST = (
    "classes",
    "test_deployments.py",
    "test_walkthrough.py",
    "test_container.py",
    "test_browser.py",
    "test_gradescope.py",
    "test_isolation.py",
    "test_catalog_draws.py",
    "test_notebook.py",
    "test_new_assignment.py",
    "test_similarity.py",
    "test_cli.py",
)


def unit_of(nodeid: str) -> str:
    """The unit a test runs in: its module's group, else its module."""
    module = nodeid.split("::")[0].rsplit("/", 1)[-1]
    return GROUPS.get(module, module)


def _rank(unit: str) -> int:
    return LONGEST_FIRST.index(unit) if unit in LONGEST_FIRST else len(LONGEST_FIRST)


class GroupedLongestFirst(LoadScopeScheduling):
    """Load-scope scheduling by ``unit_of``, the longest units first, and a worker's next unit
    only once it is down to its last test (none waits queued behind a long one)."""

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)

    def _assign_work_unit(self, node) -> None:
        self.workqueue.move_to_end(min(self.workqueue, key=_rank), last=False)
        super()._assign_work_unit(node)

    def _reschedule(self, node) -> None:
        if self.workqueue and not node.shutting_down and self._pending_of(self.assigned_work[node]) > 1:
            return  # a worker runs a test once it knows the next: it needs one more only now
        super()._reschedule(node)


class Scheduling:
    """The plugin that gives pytest-xdist this scheduler (for its default ``--dist load``)."""

    def pytest_xdist_make_scheduler(self, config, log):
        if config.getvalue("dist") == "load":
            return GroupedLongestFirst(config, log)
        return None
