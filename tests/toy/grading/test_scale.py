"""Hidden checks for scale."""

import numpy as np
import pytest


@pytest.mark.weight(1)
def test_returns_array(scale):
    """scale returns a NumPy array."""
    assert isinstance(scale([1.0, 2.0], 2), np.ndarray), "scale should return a NumPy array"


@pytest.mark.weight(2)
def test_values(scale, draws):
    """scale(x, k) is x times k, for an array drawn for this student."""
    gen = draws.rng("scale")
    x, k = gen.random(5), float(gen.integers(2, 9))
    assert np.allclose(scale(x, k), x * k), f"scale(x, {k:g}) is not x times {k:g}"
