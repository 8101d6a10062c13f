"""windowed_xcorr and pick_peaks: vs a plain loop reference, ground truth, properties, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.sessions.simulate import simulate_dyad
from empathy_explorer.synchrony import WindowedXcorrResult, pick_peaks, windowed_xcorr
from tests.support.checks import affine_changes, assert_package_error, related_pairs

PROPS = settings(max_examples=40, deadline=None, derandomize=True, database=None)


def loop_reference(x, y, fs, window_s, step_s, max_lag_s):
    """windowed_xcorr's index rule, written as plainly as possible: one np.corrcoef per window and lag."""
    w, s, lag = round(window_s * fs), round(step_s * fs), round(max_lag_s * fs)
    rows, starts = [], []
    a = lag
    while a + w + lag <= len(x):
        row = []
        for tau in range(-lag, lag + 1):
            xs, ys = x[a : a + w], y[a + tau : a + tau + w]
            if np.all(xs == xs[0]) or np.all(ys == ys[0]):
                row.append(np.nan)
            else:
                row.append(np.corrcoef(xs, ys)[0, 1])
        rows.append(row)
        starts.append(a)
        a += s
    return np.array(rows), np.array(starts)


def loop_peaks(r_row, lags_s):
    """Peak nearest lag 0, searched outward lag by lag (a peak: finite, > 0, >= both neighbours)."""
    vals = np.where(np.isfinite(r_row), r_row, -np.inf)
    centre = len(vals) // 2
    for d in range(centre + 1):
        found = []
        for j in {centre - d, centre + d}:
            left = vals[j - 1] if j > 0 else -np.inf
            right = vals[j + 1] if j < len(vals) - 1 else -np.inf
            if vals[j] > 0 and vals[j] >= left and vals[j] >= right:
                found.append(j)
        if found:
            j = max(found, key=lambda i: vals[i])
            return r_row[j], lags_s[j]
    return np.nan, np.nan


@pytest.mark.parametrize("offset", [0.0, 10.0, -250.0])
def test_matches_loop_reference_on_random_and_offset_data(offset):
    rng = np.random.default_rng(1)
    fs = 4.0
    x = rng.normal(size=700) + offset
    y = 0.5 * np.roll(x, 3) + rng.normal(size=700) + 2 * offset
    res = windowed_xcorr(x, y, fs, window_s=12.5, step_s=3.0, max_lag_s=2.0)
    ref, starts = loop_reference(x, y, fs, 12.5, 3.0, 2.0)
    assert res.r.shape == ref.shape == (len(starts), 17)
    np.testing.assert_allclose(res.r, ref, rtol=0, atol=1e-9)
    np.testing.assert_allclose(res.lags_s, np.arange(-8, 9) / fs)
    np.testing.assert_allclose(res.times_s, (starts + (50 - 1) / 2) / fs)
    for k in range(ref.shape[0]):
        pr, pl = loop_peaks(ref[k], res.lags_s)
        np.testing.assert_allclose([res.peak_r[k], res.peak_lag_s[k]], [pr, pl], atol=1e-9)


def test_large_skin_conductance_level_costs_no_precision():
    rng = np.random.default_rng(2)
    x = 1e4 + 1e-3 * rng.normal(size=400)  # a huge level with tiny responses
    y = 1e4 + 1e-3 * rng.normal(size=400)
    res = windowed_xcorr(x, y, 8.0, window_s=10.0, step_s=2.0, max_lag_s=1.0)
    ref, _ = loop_reference(x, y, 8.0, 10.0, 2.0, 1.0)
    np.testing.assert_allclose(res.r, ref, atol=1e-9)


def test_constant_windows_give_nan_not_an_error():
    rng = np.random.default_rng(3)
    x = rng.normal(size=600)
    y = rng.normal(size=600)
    x[100:250] = 4.0  # x flat for 150 samples
    y[400:520] = -1.0  # y flat for 120 samples
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = windowed_xcorr(x, y, 4.0, window_s=20.0, step_s=2.5, max_lag_s=2.0)
    ref, _ = loop_reference(x, y, 4.0, 20.0, 2.5, 2.0)
    assert np.isnan(ref).any() and np.isfinite(ref).any()
    np.testing.assert_array_equal(np.isnan(res.r), np.isnan(ref))
    np.testing.assert_allclose(res.r, ref, atol=1e-9)


def test_delayed_copy_gives_median_peak_lag_plus_3_s():
    rng = np.random.default_rng(4)
    fs = 8.0
    n = int(600 * fs)
    # A smooth driver (like skin conductance): a lag profile without noise bumps between 0 and +3 s.
    x = np.convolve(rng.normal(size=n + 200), np.hanning(32), mode="same")[100 : n + 100]
    delay = int(3 * fs)
    y = np.concatenate((rng.normal(size=delay), x[:-delay])) + 0.5 * x.std() * rng.normal(size=n)
    res = windowed_xcorr(x, y, fs, window_s=30.0, step_s=5.0, max_lag_s=5.0)
    assert res.median_peak_lag_s == pytest.approx(3.0)
    assert res.share_x_leads > 0.5  # most windows: x leads
    assert res.mean_peak_r > 0.4
    # and the other way round: y leads, negative lag
    res_rev = windowed_xcorr(y, x, fs, window_s=30.0, step_s=5.0, max_lag_s=5.0)
    assert res_rev.median_peak_lag_s == pytest.approx(-3.0)
    assert res_rev.share_y_leads > 0.5


def test_simulated_dyad_lag_is_recovered():
    """Simulated skin conductance, clinician answering the patient 3 s later (the simulator's truth)."""
    s = simulate_dyad(duration_s=900, fs=8, coupling=0.9, lag_s=3.0, leader="patient", seed=3)
    x, y = s.pair("eda")
    res = windowed_xcorr(x, y, s.fs)
    assert res.median_peak_lag_s == pytest.approx(3.0, abs=0.5)
    assert res.share_x_leads > 0.5


def test_identical_signals_give_r_1_at_lag_0():
    x = np.random.default_rng(5).normal(size=500)
    res = windowed_xcorr(x, x.copy(), 4.0, window_s=20.0, step_s=5.0, max_lag_s=3.0)
    np.testing.assert_allclose(res.lag0_r, 1.0, atol=1e-12)
    np.testing.assert_allclose(res.peak_r, 1.0, atol=1e-12)
    np.testing.assert_array_equal(res.peak_lag_s, 0.0)
    assert res.share_in_phase == 1.0 and res.share_x_leads == 0.0 and res.share_y_leads == 0.0
    assert res.sd_peak_lag_s == 0.0


def test_max_lag_zero_gives_lag_zero_only():
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=200), rng.normal(size=200)
    res = windowed_xcorr(x, y, 2.0, window_s=10.0, step_s=5.0, max_lag_s=0.0)
    ref, _ = loop_reference(x, y, 2.0, 10.0, 5.0, 0.0)
    assert res.r.shape[1] == 1
    np.testing.assert_allclose(res.r, ref, atol=1e-9)


def test_result_is_frozen_and_frames_are_tidy():
    rng = np.random.default_rng(7)
    res = windowed_xcorr(rng.normal(size=300), rng.normal(size=300), 2.0, window_s=20, step_s=10, max_lag_s=4)
    assert isinstance(res, WindowedXcorrResult)
    with pytest.raises(AttributeError):
        res.fs = 3.0  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        res.r[0, 0] = 0.0
    frame = res.to_frame()
    assert list(frame.columns) == ["time_s", "peak_lag_s", "peak_r", "lag0_r", "leader"]
    assert len(frame) == res.n_windows
    assert set(frame["leader"]) <= {"x", "y", "both", "none"}
    long = res.matrix_frame()
    assert len(long) == res.r.size
    assert isinstance(long, pd.DataFrame)
    summary = res.summary()
    assert summary["n_windows"] == res.n_windows
    for key in ("mean_peak_r", "sd_peak_r", "mean_peak_lag_s", "share_x_leads", "share_y_leads"):
        assert key in summary


# ------------------------------------------------------------------------------------------ pick_peaks

LAGS = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])


@pytest.mark.parametrize(
    ("row", "expected_r", "expected_lag"),
    [
        ([0.1, 0.5, 0.2, 0.3, 0.9], 0.5, -1.0),  # nearest peak, not the biggest
        ([0.1, 0.2, 0.6, 0.2, 0.1], 0.6, 0.0),  # peak at lag 0
        ([0.9, 0.5, 0.1, 0.05, 0.02], 0.9, -2.0),  # peak at the edge of the lag range
        ([0.1, 0.4, 0.2, 0.7, 0.1], 0.7, 1.0),  # equally near: the larger r wins
        ([-0.1, -0.5, -0.2, -0.3, -0.4], np.nan, np.nan),  # no positive peak
        ([np.nan] * 5, np.nan, np.nan),  # all NaN (constant windows)
        ([np.nan, 0.3, np.nan, 0.1, 0.2], 0.3, -1.0),  # NaN neighbours count as lower
        ([0.0, 0.0, 0.0, 0.0, 0.0], np.nan, np.nan),  # zero is not a positive peak
    ],
)
def test_pick_peaks_cases(row, expected_r, expected_lag):
    peak_r, peak_lag = pick_peaks(np.array([row]), LAGS)
    np.testing.assert_allclose(peak_r, [expected_r])
    np.testing.assert_allclose(peak_lag, [expected_lag])


def test_pick_peaks_matches_loop_on_random_rows():
    rng = np.random.default_rng(8)
    r = rng.uniform(-1, 1, size=(300, 11))
    r[rng.uniform(size=r.shape) < 0.1] = np.nan
    lags = np.arange(-5, 6) * 0.25
    peak_r, peak_lag = pick_peaks(r, lags)
    for k in range(r.shape[0]):
        np.testing.assert_allclose([peak_r[k], peak_lag[k]], loop_peaks(r[k], lags))


def test_pick_peaks_refuses_mismatched_shapes():
    with pytest.raises(ParameterError, match="one lag per column"):
        pick_peaks(np.zeros((3, 4)), LAGS)


# ------------------------------------------------------------------------------------------ properties


@PROPS
@given(
    pair=related_pairs((30, 160), flat_lengths=(5, 40)),
    fs=st.sampled_from([1.0, 2.0, 4.0]),
    window_n=st.integers(3, 30),
    step_n=st.integers(1, 10),
    lag_n=st.integers(0, 6),
)
def test_properties_shape_nan_placement_against_loop(pair, fs, window_n, step_n, lag_n):
    x, y = pair
    window_s, step_s, max_lag_s = window_n / fs, step_n / fs, lag_n / fs
    if window_n + 2 * lag_n > x.size or np.all(x == x[0]) or np.all(y == y[0]):
        with pytest.raises(InputError):
            windowed_xcorr(x, y, fs, window_s=window_s, step_s=step_s, max_lag_s=max_lag_s)
        return
    res = windowed_xcorr(x, y, fs, window_s=window_s, step_s=step_s, max_lag_s=max_lag_s)
    ref, _ = loop_reference(x, y, fs, window_s, step_s, max_lag_s)
    n_win = (x.size - window_n - 2 * lag_n) // step_n + 1
    assert res.r.shape == (n_win, 2 * lag_n + 1) == ref.shape
    assert res.times_s.shape == res.peak_r.shape == res.peak_lag_s.shape == (n_win,)
    np.testing.assert_array_equal(np.isnan(res.r), np.isnan(ref))
    np.testing.assert_allclose(res.r, ref, atol=1e-9)
    finite = res.r[np.isfinite(res.r)]
    assert np.all(np.abs(finite) <= 1.0)


@PROPS
@given(pair=related_pairs((30, 160), flat_lengths=(5, 40)), change=affine_changes(flips=True))
def test_properties_invariant_to_scale_and_offset(pair, change):
    x, y = pair
    kwargs = {"window_s": 10.0, "step_s": 2.0, "max_lag_s": 2.0}
    try:
        base = windowed_xcorr(x, y, 2.0, **kwargs)
    except InputError:
        return
    moved = windowed_xcorr(*change.apply(x, y), 2.0, **kwargs)
    np.testing.assert_array_equal(np.isnan(moved.r), np.isnan(base.r))
    np.testing.assert_allclose(moved.r, change.sign * base.r, atol=1e-8)


# ------------------------------------------------------------------------------------------ bad input

GOOD = np.random.default_rng(9).normal(size=400)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((GOOD, GOOD[:-1], 4.0), {}, InputError, "same length"),
        ((GOOD, GOOD, 0.0), {}, InputError, "greater than 0 Hz"),
        ((GOOD, GOOD, -4.0), {}, InputError, "greater than 0 Hz"),
        ((GOOD, GOOD, float("nan")), {}, InputError, "finite"),
        ((GOOD, GOOD, float("inf")), {}, InputError, "finite"),
        ((GOOD, GOOD, "4"), {}, InputError, "number"),
        ((GOOD, GOOD, 4.0), {"window_s": 200.0}, InputError, "longer than the recording"),
        ((GOOD, GOOD, 4.0), {"window_s": 1e308}, InputError, "longer than the recording"),
        ((GOOD, GOOD, 4.0), {"window_s": 90.0, "max_lag_s": 10.0}, InputError, "twice the maximum lag"),
        ((GOOD, GOOD, 4.0), {"max_lag_s": 1e300}, InputError, "longer than the recording"),
        ((GOOD, GOOD, 4.0), {"window_s": -30.0}, ParameterError, "greater than 0"),
        ((GOOD, GOOD, 4.0), {"window_s": 0.25}, ParameterError, "at least 3 sample"),
        ((GOOD, GOOD, 4.0), {"step_s": 0.0}, ParameterError, "greater than 0"),
        ((GOOD, GOOD, 4.0), {"step_s": 0.01}, ParameterError, "at least 1 sample"),
        ((GOOD, GOOD, 4.0), {"max_lag_s": -1.0}, ParameterError, "cannot be negative"),
        ((GOOD, GOOD, 4.0), {"max_lag_s": float("nan")}, ParameterError, "finite"),
        ((GOOD, GOOD, 4.0), {"window_s": "30"}, ParameterError, "number of seconds"),
        ((np.full(400, np.nan), GOOD, 4.0), {}, InputError, "every sample is missing"),
        ((np.where(GOOD > 1, np.nan, GOOD), GOOD, 4.0), {}, InputError, "missing value"),
        ((np.full(400, 3.0), GOOD, 4.0), {}, InputError, "constant"),
        ((GOOD, np.zeros(400), 4.0), {}, InputError, "constant"),
        ((GOOD.astype(str), GOOD, 4.0), {}, InputError, "numbers only"),
        ((GOOD.astype(complex), GOOD, 4.0), {}, InputError, "complex"),
        ((GOOD.reshape(2, 200), GOOD.reshape(2, 200), 4.0), {}, InputError, "1-D"),
        ((np.array([]), np.array([]), 4.0), {}, InputError, "empty"),
        (([1.0, None, 2.0], GOOD[:3], 4.0), {}, InputError, "numbers only"),
    ],
)
def test_bad_input_gives_package_error_with_message(args, kwargs, error, message):
    assert_package_error(lambda: windowed_xcorr(*args, **kwargs), error, message)


def test_step_longer_than_recording_gives_one_window():
    res = windowed_xcorr(GOOD, GOOD[::-1].copy(), 4.0, window_s=20.0, step_s=1e300, max_lag_s=1.0)
    assert res.n_windows == 1


def test_huge_values_give_no_warning_and_match_scaled_result():
    x = GOOD * 1e300
    y = np.roll(GOOD, 2) * 1e300
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        big = windowed_xcorr(x, y, 4.0, window_s=20.0, step_s=5.0, max_lag_s=2.0)
    small = windowed_xcorr(GOOD, np.roll(GOOD, 2), 4.0, window_s=20.0, step_s=5.0, max_lag_s=2.0)
    np.testing.assert_allclose(big.r, small.r, atol=1e-9)


def test_too_many_windows_times_lags_is_refused_not_allocated():
    x = np.random.default_rng(10).normal(size=200_000)
    with pytest.raises(ParameterError, match="too many"):
        windowed_xcorr(x, x, 32.0, window_s=30.0, step_s=1 / 32, max_lag_s=30.0)


def test_inputs_are_not_modified():
    x, y = GOOD.copy(), np.roll(GOOD, 1)
    x0, y0 = x.copy(), y.copy()
    windowed_xcorr(x, y, 4.0, window_s=20.0)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)


def test_a_short_flat_stretch_in_a_long_recording_is_found_exactly():
    """Few near-constant windows are checked one by one (the fast path); NaN exactly where flat."""
    rng = np.random.default_rng(11)
    n = 8000
    x, y = rng.normal(size=n) + 10.0, rng.normal(size=n)
    x[3001:3045] = 10.0  # flat for exactly 44 samples: five x windows of 40 (step 1)
    res = windowed_xcorr(x, y, 1.0, window_s=40.0, step_s=1.0, max_lag_s=3.0)
    ref_rows, _ = loop_reference(x[2900:3200], y[2900:3200], 1.0, 40.0, 1.0, 3.0)
    k0 = 2900  # window k of the slice starts at 2900 + 3 + k; of the full recording at 3 + k
    np.testing.assert_allclose(res.r[k0 : k0 + ref_rows.shape[0]], ref_rows, atol=1e-9)
    nan_rows = np.flatnonzero(np.isnan(res.r).all(axis=1))
    np.testing.assert_array_equal(nan_rows + 3, [3001, 3002, 3003, 3004, 3005])


def test_lag_profile_is_the_nan_aware_mean_over_windows_and_finds_a_known_lag():
    from empathy_explorer.synchrony.xcorr import lag_profile

    rng = np.random.default_rng(5)
    x = rng.normal(size=3000)
    y = np.roll(x, 6) + 0.5 * rng.normal(size=3000)  # y follows x by 6 samples = 1.5 s at 4 Hz
    y[1000:1200] = 1.0  # constant stretch: some windows have NaN r
    res = windowed_xcorr(x, y, 4.0, window_s=30, step_s=5, max_lag_s=4)
    prof = lag_profile(res)
    r = np.asarray(res.r)
    expected = [np.mean(col[np.isfinite(col)]) for col in r.T]  # plain reference, column by column
    np.testing.assert_allclose(prof.mean_r, expected, atol=1e-12)
    assert prof.lags_s[np.argmax(prof.mean_r)] == pytest.approx(1.5)
    assert prof.median_peak_lag_s == pytest.approx(np.median(res.peak_lag_s[np.isfinite(res.peak_lag_s)]))
    assert prof.n_windows == res.n_windows and prof.mean_peak_r == pytest.approx(res.mean_peak_r)
