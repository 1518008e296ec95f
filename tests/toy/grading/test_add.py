"""Hidden checks for add."""

import pytest


@pytest.mark.weight(1)
def test_small_numbers(add):
    """add(1, 2) is 3."""
    assert add(1, 2) == 3, f"add(1, 2) gave {add(1, 2)!r}; expected 3"


@pytest.mark.weight(1)
def test_drawn_numbers(add, draws):
    """add sums numbers drawn for this student."""
    a, b = (int(v) for v in draws.rng("add").integers(-100, 100, size=2))
    assert add(a, b) == a + b, f"add({a}, {b}) is not their sum"
