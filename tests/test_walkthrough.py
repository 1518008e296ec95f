"""The README's instructor workflow: every command runs, and prints what the README shows."""

import pytest

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
