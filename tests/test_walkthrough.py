"""The README's instructor workflow and demo: every command runs, and prints what the README shows."""

import pytest

from autograder.commands.demo import run_demo
from autograder.course.layout import KIT_ROOT, Course
from autograder.reports.table import render_table
from tests.walkthrough import README, normalized, readme_block, run_walkthrough

pytestmark = pytest.mark.slow


def _lines(block: str) -> list[str]:
    # nbgrader lists the exchange in directory order: compare each step's lines as a set.
    return sorted(normalized(block).splitlines())


def test_readme_walkthrough_is_what_the_commands_print():
    """Does each command of the README's workflow succeed and print what the README shows
    (`python -m tests.walkthrough` rewrites it)?"""
    shown = readme_block(README.read_text())
    assert _lines(run_walkthrough()) == _lines(shown)


def test_readme_demo_tables_are_what_the_demo_prints(tmp_path):
    """Does the demo (`python3 kit.py demo`) grade both sample classes and print exactly the
    tables the README's Quick start shows?"""
    printed: list[str] = []
    results = run_demo(tmp_path, log=printed.append)
    assert list(results) == [a.name for a in Course(KIT_ROOT).assignments()]
    text, readme = "\n".join(printed), README.read_text()
    for name, scores in results.items():
        table = render_table(scores, Course(KIT_ROOT).assignment(name))
        assert table in text and table in readme, f"{name}'s table differs from the README's"
