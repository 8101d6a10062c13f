"""stats: checked against scipy, plain loops, and the worked example of Marci et al. 2007."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.stats import (
    bootstrap_r,
    pearson_r,
    r_confidence_interval,
    ratings_needed,
    rowwise_r,
    sample_cohort_r,
    spearman_brown,
)


def _loop_r(x, y):
    n = len(x)
    mx = sum(x) / n
    my = sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy)


def test_marci_2007_interval_matches_the_reference():
    # Marci et al. 2007: r = 0.47, n = 20 -> 95% CI about 0.04-0.76 (Fisher z); exact value 0.035-0.756.
    lo, hi = r_confidence_interval(0.47, 20)
    assert lo == pytest.approx(0.0347, abs=0.001)
    assert hi == pytest.approx(0.7555, abs=0.001)
    assert 0.0 < lo < 0.05  # the interval only just excludes zero


def test_interval_by_hand_and_levels():
    lo, hi = r_confidence_interval(0.3, 50, confidence=0.9)
    z, se = math.atanh(0.3), 1 / math.sqrt(47)
    assert (lo, hi) == pytest.approx((math.tanh(z - 1.6448536 * se), math.tanh(z + 1.6448536 * se)), abs=1e-6)
    lo99, hi99 = r_confidence_interval(0.3, 50, confidence=0.99)
    assert lo99 < lo and hi99 > hi


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=5, max_value=60), st.integers(min_value=0, max_value=10_000))
def test_pearson_matches_scipy_and_a_loop(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = 0.5 * x + rng.normal(size=n)
    res = pearson_r(x, y)
    ref = sps.pearsonr(x, y)
    assert res.r == pytest.approx(ref.statistic, abs=1e-10)
    assert res.r == pytest.approx(_loop_r(list(x), list(y)), abs=1e-10)
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-6, abs=1e-12)
    ci = ref.confidence_interval(0.95)  # scipy also uses Fisher z
    assert (res.ci_low, res.ci_high) == pytest.approx((ci.low, ci.high), abs=1e-9)
    assert res.n == n


def test_describe_reads_like_a_paper():
    res = pearson_r([1, 2, 3, 4, 5, 6], [1, 3, 2, 5, 4, 6])
    assert res.describe().startswith("r = 0.89 (95% CI 0.26 to 0.99, p = 0.019")
    assert "n = 6" in res.describe()


@pytest.mark.parametrize(
    ("x", "y"),
    [
        ([1, 2, 3], [1, 2, 3]),
        ([1, 2, 3, 4], [1, 2, 3]),
        ([1, 1, 1, 1], [1, 2, 3, 4]),
        ([1, 2, np.nan, 4], [1, 2, 3, 4]),
    ],
)
def test_pearson_refuses_unusable_data(x, y):
    with pytest.raises(InputError):
        pearson_r(x, y)


@pytest.mark.parametrize(("r", "n"), [(1.0, 20), (-1.2, 20), (0.5, 3), (0.5, 10.5)])
def test_interval_refuses_bad_arguments(r, n):
    with pytest.raises(ParameterError):
        r_confidence_interval(r, n)


def test_bootstrap_matches_a_loop_with_the_same_indices():
    rng = np.random.default_rng(3)
    x = rng.normal(size=20)
    y = x + rng.normal(size=20)
    rs = bootstrap_r(x, y, n_resamples=300, seed=7)
    idx = np.random.default_rng(7).integers(0, 20, size=(300, 20))
    expected = [_loop_r(list(x[i]), list(y[i])) for i in idx]
    np.testing.assert_allclose(rs, expected, atol=1e-12)
    assert np.array_equal(rs, bootstrap_r(x, y, n_resamples=300, seed=7))  # reproducible


def test_bootstrap_drops_constant_resamples():
    x = np.array([0.0, 0.0, 0.0, 0.0, 1.0])
    y = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    rs = bootstrap_r(x, y, n_resamples=500, seed=0)
    assert 0 < rs.size < 500 and np.isfinite(rs).all()


def test_sampled_cohorts_center_on_the_true_r_and_spread_like_fisher():
    r, p, sig = sample_cohort_r(0.47, 20, n_cohorts=20_000, seed=1)
    z = np.arctanh(r)
    assert np.median(r) == pytest.approx(0.47, abs=0.02)
    assert np.std(z) == pytest.approx(1 / math.sqrt(17), rel=0.05)  # Fisher: SE of z is 1/sqrt(n-3)
    assert sig.mean() == pytest.approx((p < 0.05).mean())
    assert 0.5 < sig.mean() < 0.75  # power of n = 20 at rho = 0.47 is about 0.6
    # a cohort's p-value agrees with scipy's on the same numbers
    r0, p0, _ = sample_cohort_r(0.3, 12, n_cohorts=1, seed=5)
    rng = np.random.default_rng(5)
    a = rng.standard_normal((1, 12))
    b = rng.standard_normal((1, 12))
    y = 0.3 * a + math.sqrt(1 - 0.09) * b
    ref = sps.pearsonr(a[0], y[0])
    assert r0[0] == pytest.approx(ref.statistic, abs=1e-12)
    assert p0[0] == pytest.approx(ref.pvalue, rel=1e-6)


def test_sampled_cohorts_refuse_bad_sizes():
    for kwargs in (
        {"true_r": 1.0, "n": 20},
        {"true_r": 0.5, "n": 2},
        {"true_r": 0.5, "n": 10_000, "n_cohorts": 1000},
    ):
        with pytest.raises(ParameterError):
            sample_cohort_r(**kwargs)


def test_spearman_brown_and_its_inverse():
    assert spearman_brown(0.2, 1) == pytest.approx(0.2)
    assert spearman_brown(0.2, 4) == pytest.approx(0.5)
    ks = np.arange(1, 200)
    rel = spearman_brown(0.074, ks)
    assert np.all(np.diff(rel) > 0) and rel[-1] < 1
    for rho in (0.02, 0.074, 0.1, 0.3, 0.5):
        for target in (0.7, 0.8, 0.9):
            k = ratings_needed(rho, target)
            assert spearman_brown(rho, k) >= target - 1e-12
            assert k == 1 or spearman_brown(rho, k - 1) < target
    # With single-rating reliability 0.075, about 50 ratings reach 0.8 (Mercer 2005's order of magnitude).
    assert ratings_needed(0.075, 0.8) == 50
    assert ratings_needed(0.9, 0.8) == 1


def test_spearman_brown_refuses_bad_input():
    with pytest.raises(ParameterError):
        spearman_brown(1.5, 3)
    with pytest.raises(ParameterError):
        spearman_brown(0.5, 0)
    with pytest.raises(ParameterError):
        ratings_needed(0.0, 0.8)
    with pytest.raises(ParameterError):
        ratings_needed(0.3, 1.0)


def test_describe_reads_as_plain_text_for_tiny_and_ordinary_p():
    from empathy_explorer.stats import pearson_r

    strong = pearson_r(np.arange(30.0), np.arange(30.0) + np.sin(np.arange(30.0)))
    assert "p < 0.001" in strong.describe() and "p = <" not in strong.describe()
    rng = np.random.default_rng(1)
    weak = pearson_r(rng.normal(size=20), rng.normal(size=20))
    assert f"p = {weak.p_value:.3f}" in weak.describe()


def test_rowwise_r_drops_constant_rows_exactly_and_keeps_small_units():
    """Why the constant test is exact, not a threshold on the denominator.

    A resample that drew one person 20 times is a row of 0.7s: centring leaves rounding residues, so the
    old ``den > 0`` rule gave it an r near 0 (counted as a real resample). Data in small units (1e-8)
    have a denominator far below the old ``den > 1e-12`` cut-off, which threw their genuine r away.
    """
    gen = np.random.default_rng(0)
    y = gen.standard_normal((1, 20))
    constant = np.full((1, 20), 0.7)
    centred = constant - constant.mean(axis=1, keepdims=True)
    assert np.any(centred != 0.0)  # the residue the old rule mistook for variation
    assert np.isnan(rowwise_r(constant, y)).all()
    tiny = gen.standard_normal((1, 20)) * 1e-8
    tiny_y = tiny + gen.standard_normal((1, 20)) * 1e-9
    expected = np.corrcoef(tiny[0], tiny_y[0])[0, 1]
    assert rowwise_r(tiny, tiny_y)[0] == pytest.approx(expected, abs=1e-12)
    assert expected > 0.9
