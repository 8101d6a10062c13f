"""phase_synchrony: vs a plain reference (scipy filter + scipy hilbert + a per-sample loop), ground truth,
properties and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.synchrony import PhaseSynchronyResult, phase_synchrony
from tests.support.checks import affine_changes, assert_package_error, related_pairs

PROPS = settings(max_examples=30, deadline=None, derandomize=True, database=None)


def loop_reference(x, y, fs, band):
    """Zero-phase Butterworth band-pass (order 4), scipy.signal.hilbert, then a loop over samples."""
    sos = signal.butter(4, band, btype="bandpass", fs=fs, output="sos")
    zx = signal.hilbert(signal.sosfiltfilt(sos, x - np.mean(x)))
    zy = signal.hilbert(signal.sosfiltfilt(sos, y - np.mean(y)))
    diffs, c, s = [], 0.0, 0.0
    for i in range(len(x)):
        d = math.atan2(zx[i].imag, zx[i].real) - math.atan2(zy[i].imag, zy[i].real)
        while d <= -math.pi:
            d += 2 * math.pi
        while d > math.pi:
            d -= 2 * math.pi
        diffs.append(d)
        c += math.cos(d)
        s += math.sin(d)
    return np.array(diffs), math.hypot(c / len(x), s / len(x))


def wrapped_gap(a, b):
    """Distance between two phase arrays on the circle (so π and −π count as equal)."""
    return np.abs(np.angle(np.exp(1j * (np.asarray(a) - np.asarray(b)))))


@pytest.mark.parametrize(("fs", "band", "offset"), [(8.0, (0.15, 0.4), 0.0), (32.0, (0.04, 0.15), 10.0)])
def test_matches_loop_reference(fs, band, offset):
    rng = np.random.default_rng(1)
    n = int(300 * fs) + 1
    x = rng.normal(size=n) + offset
    y = 0.5 * np.roll(x, 5) + rng.normal(size=n) - 3 * offset
    res = phase_synchrony(x, y, fs, band=band)
    diffs, plv = loop_reference(x, y, fs, band)
    assert res.phase_diff.shape == (n,)
    assert np.max(wrapped_gap(res.phase_diff, diffs)) < 1e-9
    assert np.all((res.phase_diff > -np.pi) & (res.phase_diff <= np.pi))
    assert res.plv == pytest.approx(plv, abs=1e-9)
    np.testing.assert_allclose(res.times_s, np.arange(n) / fs)


def test_identical_signals_give_plv_1():
    x = np.random.default_rng(2).normal(size=3000)
    res = phase_synchrony(x, x.copy(), 8.0, band=(0.1, 0.5))
    assert res.plv == 1.0
    np.testing.assert_array_equal(res.phase_diff, 0.0)
    np.testing.assert_array_equal(res.sync, 1.0)


def test_constant_phase_lag_gives_plv_near_1_and_the_lag():
    t = np.arange(0, 600, 1 / 8)
    x = np.sin(2 * np.pi * 0.25 * t)
    y = 3 * np.sin(2 * np.pi * 0.25 * t - 0.8) + 2  # same rhythm, 0.8 rad behind, other scale/level
    res = phase_synchrony(x, y, 8.0, band=(0.15, 0.4))
    assert res.plv > 0.99
    assert res.mean_phase_diff == pytest.approx(0.8, abs=0.02)
    inner = res.phase_diff[400:-400]  # away from the filter's edges
    np.testing.assert_allclose(inner, 0.8, atol=0.01)


def test_independent_noise_gives_small_plv():
    rng = np.random.default_rng(3)
    values = [
        phase_synchrony(rng.normal(size=24_000), rng.normal(size=24_000), 8.0, band=(0.15, 0.4)).plv
        for _ in range(5)
    ]
    assert max(values) < 0.15, values


def test_coupled_noise_gives_higher_plv_than_independent():
    rng = np.random.default_rng(4)
    shared = rng.normal(size=24_000)
    coupled = phase_synchrony(
        shared + 0.5 * rng.normal(size=24_000), shared + 0.5 * rng.normal(size=24_000), 8.0, band=(0.15, 0.4)
    )
    assert coupled.plv > 0.7


def test_result_is_frozen_with_a_frame():
    x = np.random.default_rng(5).normal(size=800)
    res = phase_synchrony(x, np.roll(x, 3), 4.0, band=(0.2, 0.8))
    assert isinstance(res, PhaseSynchronyResult)
    assert res.band == (0.2, 0.8) and res.fs == 4.0
    with pytest.raises(ValueError, match="read-only"):
        res.phase_diff[0] = 0.0
    frame = res.to_frame()
    assert list(frame.columns) == ["time_s", "phase_diff_rad", "sync"] and len(frame) == 800
    assert frame["sync"].between(0.0, 1.0).all()


@PROPS
@given(pair=related_pairs((120, 600)), low=st.floats(0.2, 0.8), width=st.floats(0.1, 1.0))
def test_properties_shape_and_range_against_reference(pair, low, width):
    x, y = pair
    fs = 4.0
    band = (low, min(low + width, 1.9))
    res = phase_synchrony(x, y, fs, band=band)
    diffs, plv = loop_reference(x, y, fs, band)
    assert res.phase_diff.shape == res.times_s.shape == x.shape
    assert 0.0 <= res.plv <= 1.0
    assert res.plv == pytest.approx(plv, abs=1e-9)
    assert np.max(wrapped_gap(res.phase_diff, diffs)) < 1e-7


@PROPS
@given(pair=related_pairs((120, 600)), change=affine_changes(flips=True))
def test_properties_invariant_to_scale_and_offset(pair, change):
    x, y = pair
    base = phase_synchrony(x, y, 4.0, band=(0.3, 1.0))
    moved = phase_synchrony(*change.apply(x, y), 4.0, band=(0.3, 1.0))
    assert moved.plv == pytest.approx(base.plv, abs=1e-7)
    shift = math.pi if change.sign < 0 else 0.0  # flipping x's sign moves its phase by half a cycle
    assert np.max(wrapped_gap(moved.phase_diff, base.phase_diff + shift)) < 1e-6


GOOD = np.random.default_rng(9).normal(size=800)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((GOOD, GOOD[:-1], 4.0), {"band": (0.1, 0.5)}, InputError, "same length"),
        ((GOOD, GOOD, 0.0), {"band": (0.1, 0.5)}, InputError, "greater than 0 Hz"),
        ((GOOD, GOOD, float("nan")), {"band": (0.1, 0.5)}, InputError, "finite"),
        ((GOOD, GOOD, 4.0), {"band": None}, ParameterError, "two frequencies"),
        ((GOOD, GOOD, 4.0), {"band": "0.1-0.5"}, ParameterError, "two frequencies"),
        ((GOOD, GOOD, 4.0), {"band": (0.1,)}, ParameterError, "exactly two"),
        ((GOOD, GOOD, 4.0), {"band": (0.1, 0.2, 0.3)}, ParameterError, "exactly two"),
        ((GOOD, GOOD, 4.0), {"band": (0.5, 0.1)}, ParameterError, "low below high"),
        ((GOOD, GOOD, 4.0), {"band": (0.5, 0.5)}, ParameterError, "low below high"),
        ((GOOD, GOOD, 4.0), {"band": (0.0, 0.5)}, ParameterError, "above 0 Hz"),
        ((GOOD, GOOD, 4.0), {"band": (-0.1, 0.5)}, ParameterError, "above 0 Hz"),
        ((GOOD, GOOD, 4.0), {"band": (0.1, 2.0)}, ParameterError, "below half the sampling rate"),
        ((GOOD, GOOD, 4.0), {"band": (0.1, 1e6)}, ParameterError, "below half the sampling rate"),
        ((GOOD, GOOD, 4.0), {"band": (0.1, float("nan"))}, ParameterError, "finite"),
        ((GOOD, GOOD, 4.0), {"band": ("0.1", 0.5)}, ParameterError, "two numbers"),
        ((GOOD, GOOD, 4.0), {"band": (True, 0.5)}, ParameterError, "two numbers"),
        ((GOOD, GOOD, 4.0), {"band": (0.001, 0.5)}, InputError, "one cycle"),  # 200 s < 1000 s
        ((GOOD[:20], GOOD[:20], 4.0), {"band": (0.5, 1.0)}, InputError, "too short for the band-pass"),
        ((np.full(800, np.nan), GOOD, 4.0), {"band": (0.1, 0.5)}, InputError, "every sample is missing"),
        ((np.full(800, 1.5), GOOD, 4.0), {"band": (0.1, 0.5)}, InputError, "constant"),
        ((GOOD.reshape(8, 100), GOOD.reshape(8, 100), 4.0), {"band": (0.1, 0.5)}, InputError, "1-D"),
        ((GOOD.astype(complex), GOOD, 4.0), {"band": (0.1, 0.5)}, InputError, "complex"),
    ],
)
def test_bad_input_gives_package_error(args, kwargs, error, message):
    assert_package_error(lambda: phase_synchrony(*args, **kwargs), error, message)


def test_band_as_list_or_array_is_accepted():
    a = phase_synchrony(GOOD, np.roll(GOOD, 2), 4.0, band=[0.2, 0.8])
    b = phase_synchrony(GOOD, np.roll(GOOD, 2), 4.0, band=np.array([0.2, 0.8]))
    assert a.plv == b.plv and a.band == (0.2, 0.8)


def test_windowed_plv_matches_a_plain_loop_and_is_nan_where_the_window_does_not_fit():
    from empathy_explorer.synchrony.phase import windowed_plv

    rng = np.random.default_rng(3)
    dphi = np.cumsum(rng.normal(scale=0.3, size=400))  # a wandering phase difference
    fs, window_s = 4.0, 7.5
    w = round(window_s * fs)
    expected = np.full(dphi.size, np.nan)
    for i in range(dphi.size - w + 1):  # plain reference: |mean(exp(i dphi))| in each window
        expected[i + w // 2] = abs(np.exp(1j * dphi[i : i + w]).mean())
    got = windowed_plv(dphi, fs, window_s)
    np.testing.assert_allclose(got, expected, atol=1e-10, equal_nan=True)
    assert np.isnan(got[: w // 2]).all() and np.isfinite(got[w // 2 : w // 2 + dphi.size - w + 1]).all()
    # ground truth: a constant phase difference is perfectly locked
    np.testing.assert_allclose(np.nanmin(windowed_plv(np.full(100, 2.0), fs, 5.0)), 1.0)


def test_windowed_plv_longer_than_the_recording_says_so():
    from empathy_explorer.synchrony.phase import windowed_plv

    with pytest.raises(ParameterError, match="longer than the recording"):
        windowed_plv(np.zeros(10), 4.0, 30.0)
