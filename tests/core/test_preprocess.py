"""Preprocessing: common time base, detrend, zero-phase low-pass, z-score and gap handling."""

from __future__ import annotations

import numpy as np
import pytest

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.preprocess import (
    bandpass,
    detrend,
    fill_gaps,
    find_gaps,
    lowpass,
    resample,
    resample_pair,
    to_uniform,
    zscore,
)

pytestmark = pytest.mark.usefixtures("warnings_as_errors")


def _sine(fs, duration_s=60.0, f=0.2, offset=10.0):
    t = np.arange(0, duration_s, 1 / fs)
    return t, offset + np.sin(2 * np.pi * f * t)


@pytest.mark.parametrize(("fs_in", "fs_out"), [(32.0, 8.0), (32.0, 10.0), (4.0, 10.0), (32.0, 7.3)])
def test_resample_keeps_a_slow_sine_and_time_zero(fs_in, fs_out):
    _, x = _sine(fs_in)
    out = resample(x, fs_in, fs_out)
    assert out.size == int(np.ceil(x.size * fs_out / fs_in - 1e-9))
    t_out = np.arange(out.size) / fs_out
    err = np.abs(out - (10 + np.sin(2 * np.pi * 0.2 * t_out)))
    edge = int(2 * fs_out)
    assert err[edge:-edge].max() < 2e-3


def test_resample_downsampling_removes_fast_component_no_alias():
    fs_in, fs_out = 32.0, 4.0
    t = np.arange(0, 120, 1 / fs_in)
    fast = np.sin(2 * np.pi * 3.0 * t)  # 3 Hz > new Nyquist (2 Hz): would alias to 1 Hz
    out = resample(fast, fs_in, fs_out)
    assert np.abs(out[20:-20]).max() < 0.05


def test_resample_keeps_gaps_visible_and_same_rate_is_copy():
    _, x = _sine(32.0)
    x[320:352] = np.nan  # 10 s .. 11 s
    out = resample(x, 32.0, 8.0)
    nan_t = np.flatnonzero(np.isnan(out)) / 8.0
    assert nan_t.min() >= 9.8 and nan_t.max() <= 11.1 and nan_t.size >= 8
    same = resample(x, 32.0, 32.0)
    assert same is not x and np.array_equal(same, x, equal_nan=True)


def test_resample_pair_common_rate_and_overlap():
    # x: 32 Hz from t=0 for 60 s; y: 8 Hz starting 5 s later for 60 s.
    t_x, x = _sine(32.0)
    t_y = 5.0 + np.arange(0, 60, 1 / 8)
    y = 10 + np.sin(2 * np.pi * 0.2 * t_y)
    pair = resample_pair(x, 32.0, y, 8.0, start_y_s=5.0)
    assert pair.fs == 8.0 and pair.start_s == 5.0
    assert pair.x.size == pair.y.size
    assert pair.times_s[-1] == pytest.approx(t_x[-1] - 0.125 + 0.0, abs=0.2)
    # Both now describe the same sine at the same times.
    assert np.abs(pair.x - pair.y)[16:-16].max() < 2e-3
    frame = pair.to_frame()
    assert list(frame.columns) == ["time_s", "x", "y"] and len(frame) == pair.x.size


def test_resample_pair_fractional_offset_interpolates():
    fs = 4.0
    t = np.arange(0, 30, 1 / fs)
    pair = resample_pair(t.copy(), fs, t.copy(), fs, start_y_s=0.1)
    # x value at time t is t; y value at clock time T is T - 0.1.
    assert np.allclose(pair.x, pair.times_s, atol=1e-9)
    assert np.allclose(pair.y, pair.times_s - 0.1, atol=1e-9)


def test_resample_pair_errors():
    with pytest.raises(InputError, match="do not overlap"):
        resample_pair(np.arange(10.0), 1.0, np.arange(10.0), 1.0, start_y_s=100.0)
    with pytest.raises(InputError, match="sampling rate"):
        resample_pair(np.arange(10.0), 0.0, np.arange(10.0), 1.0)
    with pytest.raises(InputError, match="start_y_s"):
        resample_pair(np.arange(10.0), 1.0, np.arange(10.0), 1.0, start_y_s=np.nan)


def test_to_uniform_interpolates_and_marks_long_gaps():
    t = np.array([0.0, 0.5, 1.0, 1.5, 6.0, 6.5])
    v = 2.0 * t
    grid, out = to_uniform(t, v, fs=2.0, max_gap_s=2.0)
    assert np.allclose(grid, np.arange(0, 6.51, 0.5))
    inside = (grid > 1.5) & (grid < 6.0)
    assert np.isnan(out[inside]).all()
    assert np.allclose(out[~inside], 2.0 * grid[~inside])
    with pytest.raises(InputError, match="must increase"):
        to_uniform([0.0, 1.0, 1.0], [1.0, 2.0, 3.0], fs=1.0)
    with pytest.raises(InputError, match="3 time stamps but 2 values"):
        to_uniform([0.0, 1.0, 2.0], [1.0, 2.0], fs=1.0)


def test_find_and_fill_gaps_threshold_in_seconds():
    fs = 4.0
    x = np.arange(40.0)
    x[0:2] = np.nan  # edge gap: never filled
    x[10:14] = np.nan  # 1 s: filled with max_gap_s = 1
    x[20:25] = np.nan  # 1.25 s: left missing
    x[38:] = np.nan  # edge
    gaps = find_gaps(x, fs, max_gap_s=1.0)
    assert [(g.start_index, g.n_samples, g.filled, g.at_edge) for g in gaps] == [
        (0, 2, False, True),
        (10, 4, True, False),
        (20, 5, False, False),
        (38, 2, False, True),
    ]
    assert gaps[1].start_s == 2.5 and gaps[1].duration_s == 1.0
    rep = fill_gaps(x, fs, max_gap_s=1.0)
    assert np.array_equal(rep.values[10:14], np.arange(10.0, 14.0))  # straight line between neighbours
    assert np.isnan(rep.values[20:25]).all() and np.isnan(rep.values[:2]).all()
    assert len(rep.filled) == 1 and len(rep.long_gaps) == 3 and rep.has_missing
    assert "1 short gap(s)" in rep.describe() and "left missing" in rep.describe()
    assert len(rep.to_frame()) == 4
    assert not rep.values.flags.writeable
    assert np.isnan(x[10])  # input untouched
    clean = fill_gaps(np.arange(5.0), fs)
    assert clean.describe() == "No missing samples." and not clean.has_missing


def test_fill_gaps_matches_loop_reference():
    rng = np.random.default_rng(1)
    x = rng.normal(size=500)
    x[rng.random(500) < 0.2] = np.nan
    x[0] = x[-1] = 0.0
    rep = fill_gaps(x, 1.0, max_gap_s=2.0)
    ref = x.copy()
    i = 0
    while i < len(x):
        if np.isnan(x[i]):
            j = i
            while np.isnan(x[j]):
                j += 1
            if j - i <= 2:
                for k in range(i, j):
                    ref[k] = x[i - 1] + (x[j] - x[i - 1]) * (k - (i - 1)) / (j - (i - 1))
            i = j
        else:
            i += 1
    assert np.allclose(rep.values, ref, equal_nan=True, atol=1e-12)


def test_gap_parameter_errors():
    with pytest.raises(ParameterError, match="max_gap_s"):
        fill_gaps([1.0, 2.0], 1.0, max_gap_s=-1)
    with pytest.raises(InputError, match="every sample is missing"):
        fill_gaps([np.nan, np.nan], 1.0)


def test_detrend_removes_line_and_ignores_nan():
    t = np.arange(100.0)
    wave = np.sin(t / 5)
    x = 3.0 + 0.5 * t + wave
    out = detrend(x)
    # Residual is the wave minus its own straight-line fit: compare with numpy's polyfit.
    coef = np.polyfit(t, x, 1)
    assert np.allclose(out, x - np.polyval(coef, t), atol=1e-9)
    x[10] = np.nan
    out2 = detrend(x)
    assert np.isnan(out2[10]) and np.isfinite(np.delete(out2, 10)).all()


def test_lowpass_zero_phase_and_errors():
    fs = 32.0
    t = np.arange(0, 120, 1 / fs)
    slow = 10 + np.sin(2 * np.pi * 0.1 * t)
    out = lowpass(slow + 0.5 * np.sin(2 * np.pi * 6 * t), fs, 1.0)
    core = slice(320, -320)
    assert np.abs(out - slow)[core].max() < 5e-3  # no phase shift, fast part removed
    with pytest.raises(ParameterError, match="half the sampling rate"):
        lowpass(slow, fs, 16.0)
    with pytest.raises(ParameterError, match="half the sampling rate"):
        lowpass(slow, fs, 0.0)
    with pytest.raises(ParameterError, match="order"):
        lowpass(slow, fs, 1.0, order=0)
    with pytest.raises(InputError, match="too short"):
        lowpass(slow[:10], fs, 1.0)
    with pytest.raises(InputError, match="missing"):
        lowpass(np.r_[slow[:100], np.nan, slow[:100]], fs, 1.0)


def test_bandpass_keeps_the_rhythm_in_place_and_refuses_what_it_cannot_filter():
    """The filter of synchrony.phase: zero phase (a rhythm in the band is not shifted), level removed."""
    fs = 8.0
    t = np.arange(0, 240, 1 / fs)
    rhythm = np.sin(2 * np.pi * 0.25 * t)
    out = bandpass(rhythm + 5.0 + 0.5 * np.sin(2 * np.pi * 2.0 * t), fs, (0.15, 0.4))
    assert np.abs(out - rhythm)[160:-160].max() < 0.05
    with pytest.raises(ParameterError, match="below half the sampling rate"):
        bandpass(rhythm, fs, (0.1, 4.0))
    with pytest.raises(ParameterError, match="order"):
        bandpass(rhythm, fs, (0.1, 0.4), order=11)
    with pytest.raises(InputError, match="shorter than one cycle"):
        bandpass(rhythm[:40], fs, (0.1, 0.4))
    with pytest.raises(InputError, match="too short for the band-pass filter"):
        bandpass(rhythm[:40], fs, (1.0, 2.0), order=10)


def test_zscore():
    z = zscore([1.0, 2.0, np.nan, 3.0])
    assert np.isnan(z[2])
    assert np.nanmean(z) == pytest.approx(0.0, abs=1e-15)
    assert np.nanstd(z) == pytest.approx(1.0)
    with pytest.raises(InputError, match="constant"):
        zscore([2.0, 2.0, 2.0])
    with pytest.raises(InputError, match="1-D"):
        zscore(np.ones((3, 3)))
