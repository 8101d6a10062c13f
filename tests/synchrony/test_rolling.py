"""rolling_correlation: vs a plain loop reference, ground truth, pandas, properties and bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.synchrony import RollingCorrelationResult, rolling_correlation
from tests.support.checks import affine_changes, assert_package_error, related_pairs

PROPS = settings(max_examples=40, deadline=None, derandomize=True, database=None)


def loop_reference(x, y, fs, window_s):
    """rolling_correlation's rule, plainly: value i uses the w samples from i - w//2; NaN if partial/flat."""
    w = round(window_s * fs)
    out = np.full(len(x), np.nan)
    for i in range(len(x)):
        a = i - w // 2
        if a < 0 or a + w > len(x):
            continue
        xs, ys = x[a : a + w], y[a : a + w]
        if np.all(xs == xs[0]) or np.all(ys == ys[0]):
            continue
        out[i] = np.corrcoef(xs, ys)[0, 1]
    return out


@pytest.mark.parametrize("offset", [0.0, 10.0, -1e3])
@pytest.mark.parametrize("window_s", [2.5, 10.0, 30.25])
def test_matches_loop_reference(offset, window_s):
    rng = np.random.default_rng(1)
    x = rng.normal(size=500) + offset
    y = 0.4 * x + rng.normal(size=500) + 3 * offset
    res = rolling_correlation(x, y, 4.0, window_s=window_s)
    ref = loop_reference(x, y, 4.0, window_s)
    np.testing.assert_array_equal(np.isnan(res.r), np.isnan(ref))
    np.testing.assert_allclose(res.r, ref, atol=1e-9)
    np.testing.assert_allclose(res.times_s, np.arange(500) / 4.0)


def test_drifting_level_with_tiny_responses_keeps_precision():
    """A skin-conductance level drifting from 5 to 15 µS with 0.01 µS wiggles: no lost digits."""
    rng = np.random.default_rng(2)
    n = 6000
    t = np.arange(n) / 8.0
    x = 5 + 10 * t / t[-1] + 0.01 * rng.normal(size=n)
    y = 7 - 3 * np.sin(t / 60) + 0.01 * rng.normal(size=n) + 0.002 * (x - x.mean())
    res = rolling_correlation(x, y, 8.0, window_s=30.0)
    ref = loop_reference(x, y, 8.0, 30.0)
    np.testing.assert_allclose(res.r, ref, atol=1e-9)


def test_long_recording_spans_several_blocks_and_matches_pandas():
    """Longer than one block group; pandas rolling().corr() ends a window where ours is centred."""
    rng = np.random.default_rng(3)
    n, w = 40_000, 97
    x = np.cumsum(rng.normal(size=n)) + 100
    y = 0.3 * x + np.cumsum(rng.normal(size=n))
    res = rolling_correlation(x, y, 1.0, window_s=float(w))
    pandas = pd.Series(x).rolling(w).corr(pd.Series(y)).to_numpy()
    np.testing.assert_allclose(res.r[w // 2 : w // 2 + n - w + 1], pandas[w - 1 :], atol=1e-8)
    idx = np.random.default_rng(4).integers(w // 2, n - w // 2, size=50)
    for i in idx:
        a = i - w // 2
        assert res.r[i] == pytest.approx(np.corrcoef(x[a : a + w], y[a : a + w])[0, 1], abs=1e-9)


def test_nan_exactly_at_edges_and_flat_stretches():
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=300), rng.normal(size=300)
    x[100:140] = 2.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = rolling_correlation(x, y, 1.0, window_s=20.0)
    ref = loop_reference(x, y, 1.0, 20.0)
    np.testing.assert_array_equal(np.isnan(res.r), np.isnan(ref))
    assert np.isnan(res.r[:10]).all() and np.isnan(res.r[-9:]).all()  # w//2 = 10 before, w-w//2-1 = 9 after
    assert np.isfinite(res.r[10]) and np.isfinite(res.r[-10])
    assert np.isnan(res.r[120])  # window inside the flat stretch


def test_identical_signals_give_r_1_and_mirror_gives_minus_1():
    x = np.random.default_rng(6).normal(size=400)
    res = rolling_correlation(x, x.copy(), 2.0, window_s=10.0)
    np.testing.assert_allclose(res.r[np.isfinite(res.r)], 1.0, atol=1e-12)
    assert res.mean_r == pytest.approx(1.0)
    neg = rolling_correlation(x, 5.0 - 2.0 * x, 2.0, window_s=10.0)
    np.testing.assert_allclose(neg.r[np.isfinite(neg.r)], -1.0, atol=1e-12)


def test_independent_noise_averages_near_zero():
    rng = np.random.default_rng(7)
    res = rolling_correlation(rng.normal(size=20_000), rng.normal(size=20_000), 4.0, window_s=30.0)
    assert abs(res.mean_r) < 0.05


def test_result_is_frozen_with_a_frame():
    x = np.random.default_rng(8).normal(size=100)
    res = rolling_correlation(x, x[::-1].copy(), 2.0, window_s=5.0)
    assert isinstance(res, RollingCorrelationResult)
    assert res.window_samples == 10
    with pytest.raises(ValueError, match="read-only"):
        res.r[0] = 1.0
    frame = res.to_frame()
    assert list(frame.columns) == ["time_s", "r"] and len(frame) == 100


@PROPS
@given(
    pair=related_pairs((5, 150), flat_lengths=(2, 40)), w=st.integers(3, 60), fs=st.sampled_from([1.0, 4.0])
)
def test_properties_shape_and_nan_placement(pair, w, fs):
    x, y = pair
    if w > x.size or np.all(x == x[0]) or np.all(y == y[0]):
        with pytest.raises(InputError):
            rolling_correlation(x, y, fs, window_s=w / fs)
        return
    res = rolling_correlation(x, y, fs, window_s=w / fs)
    ref = loop_reference(x, y, fs, w / fs)
    assert res.r.shape == res.times_s.shape == x.shape
    np.testing.assert_array_equal(np.isnan(res.r), np.isnan(ref))
    np.testing.assert_allclose(res.r, ref, atol=1e-9)


@PROPS
@given(pair=related_pairs((5, 150), flat_lengths=(2, 40)), change=affine_changes())
def test_properties_invariant_to_scale_and_offset(pair, change):
    x, y = pair
    try:
        base = rolling_correlation(x, y, 1.0, window_s=5.0)
    except InputError:
        return
    moved = rolling_correlation(*change.apply(x, y), 1.0, window_s=5.0)
    np.testing.assert_array_equal(np.isnan(moved.r), np.isnan(base.r))
    np.testing.assert_allclose(moved.r, base.r, atol=1e-8)


GOOD = np.random.default_rng(9).normal(size=200)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((GOOD, GOOD[:-5], 4.0), {"window_s": 5.0}, InputError, "same length"),
        ((GOOD, GOOD, 0.0), {"window_s": 5.0}, InputError, "greater than 0 Hz"),
        ((GOOD, GOOD, float("inf")), {"window_s": 5.0}, InputError, "finite"),
        ((GOOD, GOOD, 4.0), {"window_s": 60.0}, InputError, "longer than the recording"),
        ((GOOD, GOOD, 4.0), {"window_s": 1e308}, InputError, "longer than the recording"),
        ((GOOD, GOOD, 4.0), {"window_s": 0.5}, ParameterError, "at least 3 sample"),
        ((GOOD, GOOD, 4.0), {"window_s": -5.0}, ParameterError, "greater than 0"),
        ((GOOD, GOOD, 4.0), {"window_s": None}, ParameterError, "number of seconds"),
        ((np.full(200, np.nan), GOOD, 4.0), {"window_s": 5.0}, InputError, "every sample is missing"),
        ((np.ones(200), GOOD, 4.0), {"window_s": 5.0}, InputError, "constant"),
        ((GOOD.reshape(20, 10), GOOD.reshape(20, 10), 4.0), {"window_s": 1.0}, InputError, "1-D"),
        ((GOOD.astype(complex), GOOD, 4.0), {"window_s": 5.0}, InputError, "complex"),
        ((["a"] * 200, GOOD, 4.0), {"window_s": 5.0}, InputError, "numbers only"),
    ],
)
def test_bad_input_gives_package_error(args, kwargs, error, message):
    assert_package_error(lambda: rolling_correlation(*args, **kwargs), error, message)


def test_huge_values_give_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = rolling_correlation(GOOD * 1e305, np.roll(GOOD, 1) * -1e305, 4.0, window_s=5.0)
    ref = rolling_correlation(GOOD, -np.roll(GOOD, 1), 4.0, window_s=5.0)
    np.testing.assert_allclose(res.r, ref.r, atol=1e-9)


def test_a_short_flat_stretch_in_a_long_recording_is_found_exactly():
    """Few near-constant windows are checked one by one (the fast path): NaN exactly where flat."""
    rng = np.random.default_rng(10)
    n, w = 20_000, 50
    x, y = rng.normal(size=n) + 10.0, rng.normal(size=n)
    x[5000:5060] = 10.0  # 11 flat windows
    y[12_000:12_051] = -3.0  # 2 flat windows
    res = rolling_correlation(x, y, 1.0, window_s=float(w))
    flat = np.ptp(np.lib.stride_tricks.sliding_window_view(x, w), axis=1) == 0
    flat |= np.ptp(np.lib.stride_tricks.sliding_window_view(y, w), axis=1) == 0
    assert flat.sum() == 13
    valid = res.r[w // 2 : w // 2 + n - w + 1]
    np.testing.assert_array_equal(np.isnan(valid), flat)
    for i in (4990, 5000, 5010, 5084, 5085, 12_030):  # around the flat stretches
        a = i - w // 2
        if not flat[a]:
            assert res.r[i] == pytest.approx(np.corrcoef(x[a : a + w], y[a : a + w])[0, 1], abs=1e-9)
