"""concordance_index: its definition (a)-(d) as a loop, ground truth, properties, bad input."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.sessions.simulate import simulate_dyad
from empathy_explorer.synchrony import ConcordanceResult, concordance_index
from empathy_explorer.synchrony.concordance import concordance_from_r
from tests.support.checks import affine_changes, assert_package_error

PROPS = settings(max_examples=30, deadline=None, derandomize=True, database=None)


def loop_reference(x, y, fs, slope_window_s=5.0, corr_window_s=15.0):
    """(a) 1-s means of full seconds, (b) polyfit slopes, (c) corrcoef of slope runs, (d) log ratio."""
    n_sec = math.floor(len(x) / fs)
    ks, kc = round(slope_window_s), round(corr_window_s)

    def second_means(v):
        groups = [[] for _ in range(n_sec)]
        for i, value in enumerate(v):
            j = math.floor(i / fs)
            if j < n_sec:
                groups[j].append(value)
        return [np.mean(g) for g in groups]

    def slopes(m):
        return [np.polyfit(np.arange(ks), m[j : j + ks], 1)[0] for j in range(len(m) - ks + 1)]

    sx, sy = slopes(second_means(x)), slopes(second_means(y))
    r = []
    for k in range(len(sx) - kc + 1):
        a, b = sx[k : k + kc], sy[k : k + kc]
        r.append(np.nan if np.ptp(a) == 0 or np.ptp(b) == 0 else np.corrcoef(a, b)[0, 1])
    pos = sum(v for v in r if v > 0)
    neg = sum(-v for v in r if v < 0)
    if pos == 0 and neg == 0:
        index = math.nan
    elif neg == 0:
        index = 10.0
    elif pos == 0:
        index = -10.0
    else:
        index = min(10.0, max(-10.0, math.log(pos / neg)))
    return np.array(r), index, np.array(sx), np.array(sy)


@pytest.mark.parametrize(
    ("fs", "offset", "slope_window_s", "corr_window_s"),
    [(4.0, 0.0, 5.0, 15.0), (32.0, 10.0, 5.0, 15.0), (2.5, 6.0, 3.0, 10.0), (1.0, -50.0, 2.0, 3.0)],
)
def test_matches_loop_reference(fs, offset, slope_window_s, corr_window_s):
    rng = np.random.default_rng(1)
    n = int(130 * fs) + 3  # a partial last second, left out
    x = np.cumsum(rng.normal(size=n)) / fs + offset
    y = 0.5 * x + np.cumsum(rng.normal(size=n)) / fs + 2 * offset
    res = concordance_index(x, y, fs, slope_window_s=slope_window_s, corr_window_s=corr_window_s)
    r, index, sx, sy = loop_reference(x, y, fs, slope_window_s, corr_window_s)
    assert res.r.shape == r.shape
    np.testing.assert_allclose(res.r, r, atol=1e-9)
    assert res.index == pytest.approx(index, abs=1e-9)
    # slopes are reported for the signal scaled by its largest |value|: same shape, other unit
    np.testing.assert_allclose(res.slopes_x * np.max(np.abs(x)), sx, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(res.slopes_y * np.max(np.abs(y)), sy, rtol=1e-9, atol=1e-12)
    ks, kc = round(slope_window_s), round(corr_window_s)
    np.testing.assert_allclose(res.times_s, np.arange(r.size) + (ks + kc - 1) / 2)


def test_non_integer_rate_uses_floor_rule_for_seconds():
    """At 3.3 Hz seconds hold 3 or 4 samples; the loop's floor(i / fs) rule is followed exactly."""
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=400), rng.normal(size=400)
    res = concordance_index(x, y, 3.3, slope_window_s=4.0, corr_window_s=8.0)
    r, index, _, _ = loop_reference(x, y, 3.3, 4.0, 8.0)
    np.testing.assert_allclose(res.r, r, atol=1e-9)
    assert res.index == pytest.approx(index, abs=1e-9)


def test_identical_signals_give_r_1_and_index_10():
    x = np.cumsum(np.random.default_rng(3).normal(size=4000))
    res = concordance_index(x, x.copy(), 8.0)
    np.testing.assert_allclose(res.r, 1.0, atol=1e-12)
    assert res.index == 10.0 and res.n_negative == 0
    mirrored = concordance_index(x, -x, 8.0)
    assert mirrored.index == -10.0 and mirrored.n_positive == 0


def test_independent_noise_gives_index_near_0():
    rng = np.random.default_rng(4)
    values = []
    for _ in range(5):
        res = concordance_index(np.cumsum(rng.normal(size=12_000)), np.cumsum(rng.normal(size=12_000)), 4.0)
        values.append(res.index)
    assert all(abs(v) < 0.5 for v in values), values
    assert abs(np.mean(values)) < 0.25


def test_simulated_coupling_raises_the_index():
    coupled = simulate_dyad(duration_s=900, fs=8, coupling=0.9, lag_s=1.0, seed=5)
    alone = simulate_dyad(duration_s=900, fs=8, coupling=0.0, seed=5)
    hi = concordance_index(*coupled.pair("eda"), coupled.fs).index
    lo = concordance_index(*alone.pair("eda"), alone.fs).index
    assert hi > lo + 0.3
    assert hi > 0.3 and abs(lo) < 0.5


def test_flat_stretch_gives_nan_r_not_garbage():
    rng = np.random.default_rng(6)
    x = np.cumsum(rng.normal(size=2000)) / 10 + 7.3
    y = np.cumsum(rng.normal(size=2000)) / 10
    x[400:1200] = 7.3  # 100 s flat at 8 Hz: slopes there are 0 up to rounding
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = concordance_index(x, y, 8.0)
    r, _, _, _ = loop_reference(x, y, 8.0)
    assert np.isnan(res.r).sum() >= 70
    finite = np.isfinite(r) & np.isfinite(res.r)
    np.testing.assert_allclose(res.r[finite], r[finite], atol=1e-9)
    assert np.isfinite(res.index)


@pytest.mark.parametrize(
    ("r", "expected"),
    [
        ([0.5, 0.5, -0.25], math.log(4.0)),
        ([0.5, np.nan, -0.5], 0.0),
        ([0.2, 0.3], 10.0),
        ([-0.2, np.nan], -10.0),
        ([np.nan, np.nan], math.nan),
        ([0.0, 0.0], math.nan),
        ([], math.nan),
        ([1.0] * 10 + [-1e-6], 10.0),  # ln(1e7) > 10: clipped
    ],
)
def test_index_step_d(r, expected):
    value = concordance_from_r(np.array(r, dtype=float))
    if math.isnan(expected):
        assert math.isnan(value)
    else:
        assert value == pytest.approx(expected)


def test_result_is_frozen_with_a_frame():
    x = np.cumsum(np.random.default_rng(7).normal(size=400))
    res = concordance_index(x, x[::-1].copy(), 4.0)
    assert isinstance(res, ConcordanceResult)
    with pytest.raises(ValueError, match="read-only"):
        res.r[0] = 0.0
    frame = res.to_frame()
    assert list(frame.columns) == ["time_s", "r"] and len(frame) == res.r.size == 100 - 19 + 1


@st.composite
def signal_pairs(draw):
    fs = draw(st.sampled_from([1.0, 2.0, 4.0]))
    n = int(draw(st.integers(20, 90)) * fs) + draw(st.integers(0, 1))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    x = np.cumsum(rng.normal(size=n))
    y = draw(st.floats(-1, 1)) * x + np.cumsum(rng.normal(size=n))
    return x, y, fs


@PROPS
@given(pair=signal_pairs(), ks=st.integers(2, 8), kc=st.integers(3, 20))
def test_properties_shape_against_loop(pair, ks, kc):
    x, y, fs = pair
    n_sec = math.floor(len(x) / fs)
    if ks + kc - 1 > n_sec:
        with pytest.raises(InputError, match="full second"):
            concordance_index(x, y, fs, slope_window_s=ks, corr_window_s=kc)
        return
    res = concordance_index(x, y, fs, slope_window_s=ks, corr_window_s=kc)
    r, index, _, _ = loop_reference(x, y, fs, ks, kc)
    assert res.r.shape == res.times_s.shape == (n_sec - ks - kc + 2,)
    np.testing.assert_allclose(res.r, r, atol=1e-9)
    if math.isnan(index):
        assert math.isnan(res.index)
    else:
        assert res.index == pytest.approx(index, abs=1e-9)


@PROPS
@given(pair=signal_pairs(), change=affine_changes())
def test_properties_invariant_to_scale_and_offset(pair, change):
    x, y, fs = pair
    base = concordance_index(x, y, fs, slope_window_s=3, corr_window_s=5)
    moved = concordance_index(*change.apply(x, y), fs, slope_window_s=3, corr_window_s=5)
    np.testing.assert_array_equal(np.isnan(moved.r), np.isnan(base.r))
    np.testing.assert_allclose(moved.r, base.r, atol=1e-7)
    assert moved.index == pytest.approx(base.index, abs=1e-6)


GOOD = np.cumsum(np.random.default_rng(9).normal(size=400))


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((GOOD, GOOD[:-1], 4.0), {}, InputError, "same length"),
        ((GOOD, GOOD, -1.0), {}, InputError, "greater than 0 Hz"),
        ((GOOD, GOOD, float("nan")), {}, InputError, "finite"),
        ((GOOD, GOOD, 0.5), {}, InputError, "at least one sample per second"),
        ((GOOD, GOOD, 32.0), {}, InputError, "longer than the recording"),  # 12.5 s of recording
        ((GOOD, GOOD, 25.0), {}, InputError, "together need at least 19 s"),  # 16 full seconds
        ((GOOD, GOOD, 4.0), {"slope_window_s": 500.0}, InputError, "longer than the recording"),
        ((GOOD, GOOD, 4.0), {"corr_window_s": 1e300}, InputError, "longer than the recording"),
        ((GOOD, GOOD, 4.0), {"slope_window_s": 1.0}, ParameterError, "at least 2 s"),
        ((GOOD, GOOD, 4.0), {"corr_window_s": 2.0}, ParameterError, "at least 3 s"),
        ((GOOD, GOOD, 4.0), {"corr_window_s": 0.0}, ParameterError, "greater than 0"),
        ((GOOD, GOOD, 4.0), {"slope_window_s": float("inf")}, ParameterError, "finite"),
        ((np.full(400, np.nan), GOOD, 4.0), {}, InputError, "every sample is missing"),
        ((np.full(400, 2.0), GOOD, 4.0), {}, InputError, "constant"),
        ((GOOD.reshape(2, 200), GOOD.reshape(2, 200), 4.0), {}, InputError, "1-D"),
        ((GOOD.astype(str), GOOD, 4.0), {}, InputError, "numbers only"),
    ],
)
def test_bad_input_gives_package_error(args, kwargs, error, message):
    assert_package_error(lambda: concordance_index(*args, **kwargs), error, message)


def test_chunked_computation_matches_loop(monkeypatch):
    """Long windows are computed in chunks of windows (bounded memory); chunk edges change nothing."""
    import empathy_explorer.synchrony.concordance as concordance_module

    monkeypatch.setattr(concordance_module, "_CHUNK_ELEMENTS", 40)  # a few windows per chunk
    rng = np.random.default_rng(12)
    x = np.cumsum(rng.normal(size=900)) + 20
    y = 0.3 * x + np.cumsum(rng.normal(size=900))
    res = concordance_index(x, y, 4.0, slope_window_s=6.0, corr_window_s=9.0)
    r, index, _, _ = loop_reference(x, y, 4.0, 6.0, 9.0)
    np.testing.assert_allclose(res.r, r, atol=1e-9)
    assert res.index == pytest.approx(index, abs=1e-9)


def test_huge_values_give_the_same_result_without_warnings():
    rng = np.random.default_rng(13)
    x = np.cumsum(rng.normal(size=800))
    y = 0.5 * x + np.cumsum(rng.normal(size=800))
    base = concordance_index(x, y, 4.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        big = concordance_index(x * 1e306, y * -1e306, 4.0)
    np.testing.assert_allclose(big.r, -base.r, atol=1e-9)
