"""How many judges a batch of submissions gets."""

import pytest

from autograder.course.layout import KIT_ROOT
from autograder.engine.judge import JudgeSetup
from autograder.engine.plan import Plan
from autograder.engine.pool import Pool, judges_for
from autograder.errors import GraderError
from autograder.model.draws import Identity
from autograder.sandbox.policy import Choice, Isolation, Limits


@pytest.mark.parametrize(
    ("submissions", "jobs", "cores", "judges"),
    [
        (3, 2, 2, 1),  # measured: one judge 13 s, two 17.5 s (their warm-ups share the cores)
        (7, 2, 2, 1),
        (8, 2, 2, 2),
        (16, 2, 2, 2),  # measured: two judges 25 s, one 30 s
        (1, 8, 8, 1),
        (5, 1, 8, 1),  # never more than --jobs
        (40, 16, 16, 10),  # warm-ups side by side on free cores: many judges pay
        (40, 16, 1, 1),  # one core: judges would only take turns
    ],
)
def test_judges_finish_soonest(submissions, jobs, cores, judges):
    """Does a batch get as many judges as grade it soonest: one for a few submissions on two
    cores (a judge's warm-up costs as much as grading 8), more where cores are free?"""
    assert judges_for(submissions, jobs, cores) == judges


def test_a_judge_that_cannot_start_ends_the_run_at_once():
    """Does a pool whose judge cannot start (here: its assignment does not exist) stop at once
    with the judge's own reason, instead of starting judge after judge?"""
    missing = KIT_ROOT / "no_such_assignment"
    setup = JudgeSetup(missing, missing, missing, Choice(Isolation.NONE), Limits(), ())
    work = [("s", Plan(), Identity("secret", "s"))]
    with pytest.raises(
        GraderError, match="a judge could not start, so nothing was graded: .*no_such_assignment"
    ):
        Pool(setup, 2).grade(work, 1, lambda key, result: pytest.fail(f"{key} was graded"))
