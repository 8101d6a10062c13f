"""Preprocessing every synchrony method can use: one time base, detrending, low-pass, z-score and gaps.

- :func:`resample` -- one recording to a new sampling rate (polyphase, anti-aliased; gaps stay gaps).
- :func:`to_uniform` -- irregular time stamps (e.g. a wearable export) onto a regular grid.
- :func:`resample_pair` -- two recordings with their own rates and start times onto one common rate and
  the time span both cover.
- :func:`detrend` -- remove the straight-line trend (e.g. slow drift of skin conductance level).
- :func:`lowpass` / :func:`bandpass` -- zero-phase Butterworth filters (no time shift, so lags are not
  distorted); :mod:`~empathy_explorer.synchrony.phase` band-passes with :func:`bandpass`.
- :func:`zscore` -- mean 0, standard deviation 1.
- :func:`find_gaps` / :func:`fill_gaps` -- runs of missing samples (NaN); short ones are filled by
  straight-line interpolation, long ones are left missing and reported.

Every function refuses bad input with :class:`~empathy_explorer.errors.InputError` (signals, rates) or
:class:`~empathy_explorer.errors.ParameterError` (cut-off, order, thresholds), never a numpy warning.

Examples
--------
>>> import numpy as np
>>> from empathy_explorer.preprocess import fill_gaps, resample_pair
>>> pair = resample_pair(np.arange(64.0), 32.0, np.arange(16.0), 8.0)
>>> pair.fs, pair.x.size == pair.y.size
(8.0, True)
>>> report = fill_gaps(np.array([1.0, np.nan, 3.0]), fs=1.0, max_gap_s=2.0)
>>> report.values.tolist()
[1.0, 2.0, 3.0]

References
----------
Gustafsson, F. (1996). Determining the initial states in forward-backward filtering. IEEE Transactions
on Signal Processing, 44(4), 988–992. (The forward-backward filtering used by ``scipy.signal.sosfiltfilt``.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from numbers import Integral

import numpy as np
import pandas as pd

from empathy_explorer._gaps import Gap, GapReport, fill_gaps, find_gaps
from empathy_explorer._lazy import scipy_signal as _signal
from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.validation import (
    as_band,
    as_duration_s,
    as_fs,
    as_number,
    as_signal,
    format_seconds,
    readonly,
)

__all__ = [
    "AlignedPair",
    "Gap",
    "GapReport",
    "bandpass",
    "detrend",
    "fill_gaps",
    "find_gaps",
    "lowpass",
    "resample",
    "resample_pair",
    "to_uniform",
    "zscore",
]


# ----------------------------------------------------------------------------------------- resampling
def _fill_all_for_filtering(arr: np.ndarray) -> np.ndarray:
    """Temporarily fill every NaN (interior: straight line, edges: nearest value)."""
    missing = np.isnan(arr)
    if not missing.any():
        return arr
    valid = np.flatnonzero(~missing)
    out = arr.copy()
    out[missing] = np.interp(np.flatnonzero(missing), valid, arr[valid])
    return out


def _antialias(arr: np.ndarray, fs_in: float, fs_out: float) -> np.ndarray:
    if fs_out >= fs_in:
        return arr
    sos = _signal().butter(8, 0.45 * fs_out, btype="low", fs=fs_in, output="sos")
    if arr.size <= _padlen(sos):
        return arr
    mean = arr.mean()
    return _signal().sosfiltfilt(sos, arr - mean) + mean


def resample(x: object, fs_in: float, fs_out: float) -> np.ndarray:
    """Resample one recording from ``fs_in`` to ``fs_out`` Hz (sample 0 stays at time 0).

    When ``fs_out / fs_in`` is a simple fraction (denominator up to 1000, e.g. 32 → 8 Hz, 4 → 10 Hz) this is
    polyphase filtering (``scipy.signal.resample_poly``, which low-passes before decimating, so no aliasing);
    otherwise the signal is low-passed at 0.45 ``fs_out`` (zero-phase) and linearly interpolated. Missing
    samples (NaN) are bridged for the filtering only: output samples that fall next to a missing input
    sample are NaN again, so gaps stay visible.

    Parameters
    ----------
    x : array_like
        1-D recording.
    fs_in, fs_out : float
        Current and wanted sampling rate, Hz.

    Returns
    -------
    numpy.ndarray
        ``ceil(len(x) * fs_out / fs_in)`` samples; sample j is at time ``j / fs_out`` seconds.

    Examples
    --------
    >>> resample(np.ones(64), 32.0, 8.0).shape
    (16,)
    """
    fs_in = as_fs(fs_in)
    fs_out = as_fs(fs_out)
    arr = as_signal(x, "x", allow_nan=True, min_length=1)
    n = arr.size
    if fs_in == fs_out:
        return arr
    n_out = math.ceil(n * fs_out / fs_in - 1e-9)
    if n_out < 1:
        raise InputError(
            f"The recording ({format_seconds(n / fs_in)}) is too short to resample to {fs_out:g} Hz."
        )
    missing = np.isnan(arr)
    filled = _fill_all_for_filtering(arr)
    ratio = Fraction(fs_out / fs_in).limit_denominator(1000)
    mean = filled.mean()
    if n > 1 and abs(float(ratio) * fs_in - fs_out) <= 1e-9 * fs_out:
        out = (
            _signal().resample_poly(filled - mean, ratio.numerator, ratio.denominator, padtype="line") + mean
        )
        out = out[:n_out]
    else:
        smooth = _antialias(filled, fs_in, fs_out)
        t_out = np.arange(n_out) / fs_out
        out = np.interp(t_out, np.arange(n) / fs_in, smooth)
    if missing.any():
        pos = np.arange(out.size) * (fs_in / fs_out)
        lo = np.clip(np.floor(pos).astype(np.int64), 0, n - 1)
        hi = np.clip(np.ceil(pos).astype(np.int64), 0, n - 1)
        out[missing[lo] | missing[hi]] = np.nan
    return out


def to_uniform(
    times_s: object,
    values: object,
    fs: float,
    *,
    max_gap_s: float = 2.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Put samples with irregular time stamps onto a regular grid at ``fs`` Hz.

    The grid starts at the first time stamp. Values are linearly interpolated between neighbouring
    samples; grid points inside a gap between time stamps longer than ``max_gap_s`` are NaN (reported
    by :func:`find_gaps`, never invented). When the stamps are denser than the grid, low-pass first.

    Parameters
    ----------
    times_s : array_like
        Time stamps in seconds, strictly increasing.
    values : array_like
        Samples, same length; NaN allowed.
    fs : float
        Rate of the regular grid, Hz.
    max_gap_s : float
        Longest interval between time stamps that is bridged by interpolation.

    Returns
    -------
    (times, values) : tuple of numpy.ndarray
        The grid times (seconds) and the values on it.

    Examples
    --------
    >>> t, v = to_uniform([0.0, 0.4, 1.0], [0.0, 4.0, 10.0], fs=2.0)
    >>> t.tolist(), v.tolist()
    ([0.0, 0.5, 1.0], [0.0, 5.0, 10.0])
    """
    fs = as_fs(fs)
    max_gap_s = as_duration_s(max_gap_s, "max_gap_s", allow_zero=True, meaning="the longest gap to bridge")
    t = as_signal(times_s, "times_s", min_length=2)
    v = as_signal(values, "values", allow_nan=True, min_length=2)
    if t.size != v.size:
        raise InputError(f"There are {t.size} time stamps but {v.size} values; each value needs one time.")
    dt = np.diff(t)
    if not (dt > 0).all():
        bad = int(np.flatnonzero(dt <= 0)[0]) + 1
        raise InputError(
            f"The time stamps must increase; stamp {bad + 1} ({t[bad]:g} s) is not after the one before "
            f"({t[bad - 1]:g} s). Sort the file by time and remove duplicate rows."
        )
    n_out = math.floor((t[-1] - t[0]) * fs + 1e-9) + 1
    grid = t[0] + np.arange(n_out) / fs
    ok = ~np.isnan(v)
    if ok.sum() < 2:
        raise InputError("At least two time stamps need a valid (non-missing) value.")
    tv, vv = t[ok], v[ok]
    out = np.interp(grid, tv, vv)
    # Grid points between two valid stamps further apart than max_gap_s are missing.
    right = np.clip(np.searchsorted(tv, grid, side="left"), 1, tv.size - 1)
    span = tv[right] - tv[right - 1]
    exact = np.isclose(grid, tv[right]) | np.isclose(grid, tv[right - 1])
    out[(span > max_gap_s * (1 + 1e-12)) & ~exact] = np.nan
    return grid, out


@dataclass(frozen=True)
class AlignedPair:
    """Two recordings on one common sampling rate and time base.

    Attributes
    ----------
    x, y : numpy.ndarray
        The two recordings, equal length; NaN where a recording had a gap.
    fs : float
        Common sampling rate, Hz.
    start_s : float
        Time of the first sample on the original clocks, seconds.
    """

    x: np.ndarray
    y: np.ndarray
    fs: float
    start_s: float

    @property
    def times_s(self) -> np.ndarray:
        """Time of every sample, seconds (on the original clocks)."""
        return self.start_s + np.arange(self.x.size) / self.fs

    def to_frame(self) -> pd.DataFrame:
        """Columns time_s, x, y."""
        return pd.DataFrame({"time_s": self.times_s, "x": self.x, "y": self.y})


def resample_pair(
    x: object,
    fs_x: float,
    y: object,
    fs_y: float,
    *,
    fs: float | None = None,
    start_x_s: float = 0.0,
    start_y_s: float = 0.0,
) -> AlignedPair:
    """Bring two recordings onto one sampling rate and the time span both of them cover.

    Each recording is first resampled to ``fs`` (:func:`resample`); then both are read on the common grid
    ``start + k / fs`` over the overlap of the two recordings (linear interpolation when the start times
    differ by a fraction of a sample).

    Parameters
    ----------
    x, y : array_like
        The two recordings (NaN marks missing samples).
    fs_x, fs_y : float
        Their sampling rates, Hz.
    fs : float, optional
        Common rate, Hz; default the lower of the two (no invented detail).
    start_x_s, start_y_s : float
        Clock time of each recording's first sample, seconds (e.g. from the file's time stamps).

    Returns
    -------
    AlignedPair
        ``x``, ``y`` of equal length, ``fs``, ``start_s``.

    Raises
    ------
    InputError
        When the recordings do not overlap in time.

    Examples
    --------
    >>> p = resample_pair(np.arange(40.0), 4.0, np.arange(20.0), 2.0, start_y_s=5.0)
    >>> p.fs, p.start_s, p.x.size
    (2.0, 5.0, 10)
    """
    fs_x = as_fs(fs_x)
    fs_y = as_fs(fs_y)
    target = min(fs_x, fs_y) if fs is None else as_fs(fs)
    for value, name in ((start_x_s, "start_x_s"), (start_y_s, "start_y_s")):
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            raise InputError(f"{name} must be a time in seconds; got {value!r}.")
        if not math.isfinite(float(value)):
            raise InputError(f"{name} must be a finite time in seconds; got {value!r}.")
    xa = resample(x, fs_x, target)
    ya = resample(y, fs_y, target)
    sx, sy = float(start_x_s), float(start_y_s)
    ex = sx + (xa.size - 1) / target
    ey = sy + (ya.size - 1) / target
    start, end = max(sx, sy), min(ex, ey)
    if end < start - 1e-9:
        raise InputError(
            "The two recordings do not overlap in time: x runs from "
            f"{sx:g} s to {ex:g} s and y from {sy:g} s to {ey:g} s."
        )
    n = math.floor((end - start) * target + 1e-6) + 1
    k = np.arange(n)

    def _read(arr: np.ndarray, s0: float) -> np.ndarray:
        pos = (start - s0) * target + k  # fractional sample index
        if np.allclose(pos, np.round(pos), atol=1e-6):
            return arr[np.clip(np.round(pos).astype(np.int64), 0, arr.size - 1)].copy()
        return np.interp(pos, np.arange(arr.size), arr)

    return AlignedPair(
        x=readonly(_read(xa, sx)), y=readonly(_read(ya, sy)), fs=float(target), start_s=float(start)
    )


# ------------------------------------------------------------------------------ detrend, filter, scale
def detrend(x: object) -> np.ndarray:
    """Remove the least-squares straight line from a recording (missing samples are ignored, stay NaN).

    Examples
    --------
    >>> np.allclose(detrend([1.0, 2.0, 3.0, 4.0]), 0.0)
    True
    """
    arr = as_signal(x, "x", allow_nan=True, min_length=2)
    ok = ~np.isnan(arr)
    if ok.sum() < 2:
        raise InputError("A straight-line trend needs at least two valid samples.")
    idx = np.flatnonzero(ok).astype(np.float64)
    vals = arr[ok]
    t_mean = idx.mean()
    v_mean = vals.mean()
    tc = idx - t_mean
    slope = np.dot(tc, vals - v_mean) / np.dot(tc, tc)
    return arr - (v_mean + slope * (np.arange(arr.size) - t_mean))


def _padlen(sos: np.ndarray) -> int:
    """The edge padding ``scipy.signal.sosfiltfilt`` uses by default."""
    n_zero = min(int((sos[:, 2] == 0).sum()), int((sos[:, 5] == 0).sum()))
    return 3 * (2 * len(sos) + 1 - n_zero)


def _zero_phase(arr: np.ndarray, fs: float, order: object, band: float | tuple[float, float]) -> np.ndarray:
    """Butterworth filter of ``arr - mean`` forward and backward (low-pass for one edge, else band-pass)."""
    if isinstance(order, bool) or not isinstance(order, Integral) or not 1 <= int(order) <= 10:
        raise ParameterError(f"The filter order must be a whole number from 1 to 10; got {order!r}.")
    kind = "low-pass" if isinstance(band, float) else "band-pass"
    sos = _signal().butter(int(order), band, btype=kind.replace("-", ""), fs=fs, output="sos")
    need = _padlen(sos) + 1
    if arr.size < need:
        raise InputError(
            f"The recording ({arr.size} samples) is too short for the {kind} filter; it needs at least "
            f"{need} samples ({format_seconds(need / fs)}). Use a lower order or a longer recording."
        )
    return _signal().sosfiltfilt(sos, arr - arr.mean())


def lowpass(x: object, fs: float, cutoff_hz: float, *, order: int = 4) -> np.ndarray:
    """Zero-phase Butterworth low-pass filter (forward and backward, so no time shift).

    Parameters
    ----------
    x : array_like
        1-D recording without missing values (fill gaps first).
    fs : float
        Sampling rate, Hz.
    cutoff_hz : float
        Cut-off frequency, Hz; must be below the Nyquist frequency ``fs / 2``.
    order : int
        Butterworth order (1–10) of each pass; the forward-backward filter has twice the attenuation.

    Examples
    --------
    >>> t = np.arange(0, 60, 1 / 32)
    >>> smooth = lowpass(np.sin(2 * np.pi * 0.1 * t) + np.sin(2 * np.pi * 8 * t), 32.0, 1.0)
    >>> bool(np.abs(smooth - np.sin(2 * np.pi * 0.1 * t))[200:-200].max() < 0.01)
    True
    """
    fs = as_fs(fs)
    arr = as_signal(x, "x")
    cutoff = as_number(cutoff_hz, "cutoff_hz", meaning="the low-pass cut-off", unit="Hz")
    if not 0 < cutoff < fs / 2:
        raise ParameterError(
            f"The low-pass cut-off must be between 0 Hz and half the sampling rate ({fs / 2:g} Hz); "
            f"got {cutoff:g} Hz."
        )
    return _zero_phase(arr, fs, order, cutoff) + arr.mean()


def bandpass(x: object, fs: float, band: tuple[float, float], *, order: int = 4) -> np.ndarray:
    """Zero-phase Butterworth band-pass filter (forward and backward): the level and slow drift go.

    Parameters
    ----------
    x : array_like
        1-D recording without missing values, at least one cycle of the band's lowest frequency long.
    fs : float
        Sampling rate, Hz.
    band : tuple of float
        Pass band (low, high) in Hz, ``0 < low < high < fs / 2``.
    order : int
        Butterworth order (1–10) of each pass.

    Examples
    --------
    >>> t = np.arange(0, 120, 1 / 8)
    >>> out = bandpass(np.sin(2 * np.pi * 0.25 * t) + 3.0, 8.0, (0.15, 0.4))  # the level of 3 is removed
    >>> round(float(out.mean()), 1), round(float(out.std()), 2)  # a sine of amplitude 1 has SD 0.71
    (0.0, 0.71)
    """
    fs = as_fs(fs)
    arr = as_signal(x, "x")
    low, high = as_band(band, fs)
    if arr.size / fs < 1.0 / low:
        raise InputError(
            f"The recording ({format_seconds(arr.size / fs)}) is shorter than one cycle of the lowest "
            f"frequency in the band ({low:g} Hz = one cycle every {format_seconds(1.0 / low)}). Raise the "
            "lower edge of the band or use a longer recording."
        )
    return _zero_phase(arr, fs, order, (low, high))


def zscore(x: object) -> np.ndarray:
    """Standardise a recording to mean 0 and standard deviation 1 (population SD, ``ddof=0``).

    Missing samples (NaN) are ignored in the mean and SD and stay NaN.

    Raises
    ------
    InputError
        When the recording is constant (its SD is 0).

    Examples
    --------
    >>> zscore([1.0, 2.0, 3.0]).round(4).tolist()
    [-1.2247, 0.0, 1.2247]
    """
    arr = as_signal(x, "x", allow_nan=True, min_length=2)
    ok = ~np.isnan(arr)
    vals = arr[ok]
    if vals.size < 2 or vals.min() == vals.max():
        raise InputError("The signal x is constant, so it cannot be z-scored (its standard deviation is 0).")
    centred = arr - vals.mean()
    sd = math.sqrt(float(np.mean(centred[ok] ** 2)))
    return centred / sd
