"""Hidden checks for make_dataset: array types and shapes, value range, uniformity, labels, seeds.

PYTEST_DONT_REWRITE: the messages are the hints; pytest must not add hidden values to them.
"""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .support import away_from, labels_for

#: Property tests run the same examples at every grading (derandomize) and do not shrink, so a
#: wrong answer costs bounded time and every regrade gives the same verdict.
PROPERTY = settings(
    max_examples=30,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def cases(draws) -> list[tuple[int, int, float, int]]:
    """(n_samples, n_features, threshold, seed) of the calls whose data the label rule and the
    uniformity are judged on, together, so that no call can be told from the others: the
    notebook's 2 features and threshold 0.5 (called with the defaults), then four feature
    counts and thresholds drawn for this student, each about 4,000 rows."""
    gen = draws.rng("make_dataset", "cases")
    drawn = [(int(gen.integers(3500, 4500)), 2, 0.5, int(gen.integers(1 << 30)))]
    for n_features in gen.choice([3, 4, 5, 6, 7], size=4, replace=False):
        nf = int(n_features)
        threshold = away_from(gen, 0.2 * nf, 0.8 * nf, 0.5, 0.2)
        drawn.append((int(gen.integers(3500, 4500)), nf, threshold, int(gen.integers(1 << 30))))
    return drawn


#: Uniformity: for each of the first three features, the largest gap between the empirical
#: CDF of its N values over the judged calls and the uniform CDF. For truly uniform data
#: P(gap > eps) <= 2 exp(-2 N eps^2) (Dvoretzky-Kiefer-Wolfowitz, Massart's constant), so with
#: eps as below a correct student fails with probability at most FALSE_ALARM per feature,
#: 3 features: at most 3e-7 per grading. N is about 20,000 (16,000 for the third feature).
FALSE_ALARM = 1e-7
UNIFORM_FEATURES = 3
#: The share of rows a label check must be able to judge (rows on the threshold itself are
#: left out: round-off decides their label). Uniform data puts about 1e-6 of its rows there.
JUDGED = 0.99


def uniform_eps(n: int) -> float:
    """The largest CDF gap ``n`` uniform values show with probability at least 1 - FALSE_ALARM."""
    return math.sqrt(math.log(2 / FALSE_ALARM) / (2 * n))


@pytest.fixture(scope="session")
def judged(make_dataset, draws) -> list[tuple[str, float, np.ndarray, np.ndarray]]:
    """(call, threshold, X, y) of the calls the rule and the uniformity are judged on."""
    calls = []
    for k, (n, nf, t, seed) in enumerate(cases(draws)):
        if k == 0:  # the notebook's call: the defaults must be the blog's 2 features and 0.5
            calls.append((f"make_dataset({n})", t, *_arrays(make_dataset, n, seed=seed)))
            continue
        call = f"make_dataset({n}, n_features={nf}, threshold={t})"
        calls.append((call, t, *_arrays(make_dataset, n, n_features=nf, threshold=t, seed=seed)))
    return calls


def _arrays(make_dataset, *args, **kwargs):
    """Call make_dataset and return (X, y) as arrays, failing clearly on another return shape."""
    result = make_dataset(*args, **kwargs)
    assert isinstance(result, tuple | list) and len(result) == 2, (
        f"make_dataset should return two things, (X, y); it returned {type(result).__name__}"
    )
    return np.asarray(result[0]), np.asarray(result[1])


def label_hint(x: np.ndarray, y: np.ndarray, threshold: float) -> str:
    """Name the misconception the labels show, judged from the data alone."""
    y = np.asarray(y).ravel()
    want = labels_for(x, threshold)
    sums = x.sum(axis=1)
    values = set(np.unique(y).tolist())
    if 0 in values and values <= {0, 1}:
        return "the labels are 0/1; this task labels the classes -1 and +1"
    if np.array_equal(y, -want):
        return "the labels are inverted: +1 belongs to rows whose sum is above the threshold"
    if np.array_equal(y, np.where(x.mean(axis=1) > threshold, 1, -1)):
        return "the labels follow the mean of each row; the rule uses the sum of the row"
    blog = np.where(sums > 0.5, 1, -1)
    if values == {1} and np.all(blog == 1):  # all +1, as 0.5 gives here too: no telling which
        return "+1 where the row sum is greater than the threshold, else -1"
    if np.array_equal(y, blog):
        return "the labels use 0.5 whatever the threshold argument says; use the threshold"
    if values == {1}:
        return (
            "every label is +1: label each row by the rule, +1 where its sum is above the threshold, else -1"
        )
    if np.array_equal(y, np.where(sums >= threshold, 1, -1)):
        return "a row whose sum equals the threshold is -1 (strictly greater means +1)"
    return "+1 where the row sum is greater than the threshold, else -1"


@pytest.mark.weight(1)
def test_returns_arrays(make_dataset):
    """make_dataset returns a pair of NumPy arrays (X, y)."""
    result = make_dataset(10, seed=1)
    assert isinstance(result, tuple | list) and len(result) == 2, "make_dataset should return a pair (X, y)"
    assert all(isinstance(a, np.ndarray) for a in result), (
        "X and y should be NumPy arrays (np.ndarray), not lists or tensors"
    )


@pytest.mark.weight(1)
def test_default_shape(make_dataset):
    """make_dataset(n) gives X of shape (n, 2) and y of shape (n,)."""
    x, y = _arrays(make_dataset, 250, seed=2)
    assert x.shape == (250, 2), f"make_dataset(250): X has shape {x.shape}, expected (250, 2)"
    assert y.shape == (250,), (
        f"make_dataset(250): y has shape {y.shape}, expected (250,): one label per row, flat"
    )


@pytest.mark.weight(2)
def test_n_features_respected(judged, draws):
    """X has n_features columns and n_samples rows for other sizes than the notebook's."""
    for (n, nf, _, _), (call, _, x, y) in zip(cases(draws), judged):
        assert x.shape == (n, nf), f"{call}: X has shape {x.shape}, expected ({n}, {nf})"
        assert y.shape == (n,), f"{call}: y has shape {y.shape}, expected ({n},): one label per row, flat"


@pytest.mark.weight(1)
def test_x_is_float(make_dataset):
    """X holds floating-point numbers."""
    x, _ = _arrays(make_dataset, 50, seed=4)
    assert np.issubdtype(x.dtype, np.floating), f"X has dtype {x.dtype}; expected floats"


@pytest.mark.weight(1)
def test_x_in_unit_interval(judged):
    """Every value of X lies in [0, 1)."""
    for call, _, x, _ in judged:
        lo, hi = (float(x.min()), float(x.max())) if x.size else (0.0, 0.0)
        assert lo >= 0.0 and hi < 1.0, (
            f"{call}: X ranges over [{lo:.3f}, {hi:.3f}]; every value should lie in [0, 1)"
        )


@pytest.mark.weight(2)
def test_x_uniform(judged):
    """Each feature of X is uniform on [0, 1) (a Kolmogorov-Smirnov bound, false alarm <= 1e-7)."""
    for j in range(UNIFORM_FEATURES):
        columns = [x[:, j] for _, _, x, _ in judged if x.ndim == 2 and x.shape[1] > j]
        if j and not columns:
            continue  # a missing feature is the shape check's to judge
        values = np.sort(np.concatenate(columns).astype(np.float64)) if columns else np.zeros(0)
        n = len(values)
        assert n >= 1000, f"feature {j} of X: only {n} values came back from the calls; expected thousands"
        steps = np.arange(1, n + 1) / n
        gap = max(np.max(steps - values), np.max(values - (steps - 1 / n)))
        assert gap <= uniform_eps(n), (
            f"feature {j} of X is not uniform on [0, 1) (its distribution is off by {gap:.3f}); "
            "draw every value with equal chance anywhere in [0, 1)"
        )


@pytest.mark.weight(1)
def test_label_values(make_dataset):
    """y holds only the labels -1 and +1."""
    x, y = _arrays(make_dataset, 400, seed=7)
    values = sorted(set(np.unique(y).tolist()))
    cause = label_hint(x, y, 0.5) if set(values) <= {0, 1} else "expected only -1 and +1"
    assert set(values) <= {-1, 1}, f"y holds the values {values[:6]}; {cause}"


@pytest.mark.weight(2)
def test_label_rule_default(judged):
    """With the default threshold, y is +1 exactly where the row sum of X is above 0.5."""
    call, threshold, x, y = judged[0]
    _assert_labels(x, y, threshold, call)


@pytest.mark.weight(2)
def test_label_rule_threshold(judged):
    """y follows the threshold argument for other thresholds and feature counts."""
    for call, threshold, x, y in judged[1:]:
        _assert_labels(x, y, threshold, call)


def _assert_labels(x: np.ndarray, y: np.ndarray, threshold: float, call: str) -> None:
    """Compare labels on nearly every row: all but those on the threshold itself, where
    round-off decides (and a data set that puts many rows there is not uniform)."""
    assert x.ndim == 2 and x.shape[0] > 0 and np.asarray(y).size == x.shape[0], (
        f"{call}: X has shape {x.shape} and y {np.asarray(y).size} labels; expected one label per row"
    )
    clear = np.abs(x.astype(np.float64).sum(axis=1) - threshold) > 1e-6
    assert clear.mean() >= JUDGED, (
        f"{call}: {int((~clear).sum())} of {len(clear)} rows sum to the threshold itself, where uniform "
        "data puts almost none; draw X uniformly in [0, 1)"
    )
    wrong = int(np.sum(np.asarray(y).ravel()[clear] != labels_for(x, threshold)[clear]))
    assert wrong == 0, f"{call}: {wrong} of {len(y)} labels are wrong; {label_hint(x, y, threshold)}"


@pytest.mark.weight(1)
def test_same_seed_same_data(make_dataset):
    """The same seed gives the same X and y."""
    x1, y1 = _arrays(make_dataset, 30, n_features=3, seed=11)
    x2, y2 = _arrays(make_dataset, 30, n_features=3, seed=11)
    assert np.array_equal(x1, x2) and np.array_equal(y1, y2), (
        "two calls with seed=11 gave different data; the same seed must give the same data"
    )


@pytest.mark.weight(1)
def test_different_seeds_differ(make_dataset):
    """Different seeds give different data."""
    x1, _ = _arrays(make_dataset, 30, seed=12)
    x2, _ = _arrays(make_dataset, 30, seed=13)
    assert not np.array_equal(x1, x2), "seed=12 and seed=13 gave the same X; the seed is ignored"


@pytest.mark.weight(1)
def test_no_seed_varies(make_dataset):
    """Without a seed, two calls give different data."""
    x1, _ = _arrays(make_dataset, 30)
    x2, _ = _arrays(make_dataset, 30)
    assert not np.array_equal(x1, x2), (
        "two calls without a seed gave the same X; seed=None should mean fresh random data"
    )


@pytest.mark.weight(1)
@PROPERTY
@given(n=st.integers(1, 300), nf=st.integers(1, 8), seed=st.integers(0, 2**31 - 1))
def test_shape_and_range_property(make_dataset, n, nf, seed):
    """For any size and feature count, X is (n, n_features) in [0, 1) and y is (n,)."""
    x, y = _arrays(make_dataset, n, n_features=nf, seed=seed)
    assert x.shape == (n, nf) and y.shape == (n,), (
        f"make_dataset({n}, n_features={nf}) gave X {x.shape} and y {y.shape}; "
        f"expected ({n}, {nf}) and ({n},)"
    )
    assert x.min() >= 0.0 and x.max() < 1.0, f"make_dataset({n}, n_features={nf}) left [0, 1)"


@pytest.mark.weight(1)
@PROPERTY
@given(
    nf=st.integers(1, 8),
    fraction=st.floats(0.05, 0.95),
    seed=st.integers(0, 2**31 - 1),
)
def test_label_rule_property(make_dataset, nf, fraction, seed):
    """For any feature count and threshold, y is +1 exactly where the row sum exceeds it."""
    threshold = round(fraction * nf, 3)
    x, y = _arrays(make_dataset, 100, n_features=nf, threshold=threshold, seed=seed)
    _assert_labels(x, y, threshold, f"make_dataset(n_features={nf}, threshold={threshold})")
