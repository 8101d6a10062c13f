"""Skin-conductance concordance index of Marci & Orr (2006) and Marci et al. (2007).

Both people's skin conductance is reduced to 1-second means, turned into a moving slope (rising or
falling arousal), and the two slope series are correlated in short moving windows. The session index
is the log ratio of the summed positive to the summed negative correlations: above 0 when the two
people's arousal mostly rises and falls together, below 0 when it mostly moves in opposite directions.

Marci et al. (2007) found, in 20 patient–therapist dyads, that this concordance correlated with the
patient's rating of the therapist's empathy (r = 0.47, p = 0.03). The paper's full text was not
verified, so its exact recipe is reconstructed from two public implementations that cite it: the
moving slope over 5 s and the correlation over 15 s windows, both stepped 1 s, of the TNO
``ps_mwa.m`` (robustness-of-physiological-synchrony), and the clipping to ±10 of ``marciIndex`` in
DyadSync (Kleinbub).

References
----------
Marci, C. D., & Orr, S. P. (2006). The effect of emotional distance on psychophysiologic concordance
and perceived empathy between patient and interviewer. Applied Psychophysiology and Biofeedback,
31(2), 115–128. https://doi.org/10.1007/s10484-006-9008-4

Marci, C. D., Ham, J., Moran, E., & Orr, S. P. (2007). Physiologic correlates of perceived therapist
empathy and social-emotional process during psychotherapy. Journal of Nervous and Mental Disease,
195(2), 103–111. https://doi.org/10.1097/01.nmd.0000253731.71025.fc
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.synchrony._common import (
    duration_samples,
    require_varying,
    say_seconds,
)
from empathy_explorer.validation import ReadOnlyArrays, as_fs, as_signal_pair

__all__ = ["INDEX_CLIP", "ConcordanceResult", "concordance_from_r", "concordance_index"]

#: The index is clipped to ±INDEX_CLIP (one of the two sums is 0 gives ±INDEX_CLIP).
INDEX_CLIP = 10.0
#: Window values handled per chunk (float64, about 2 MB per temporary array).
_CHUNK_ELEMENTS = 1 << 18
#: Slope windows whose spread is below this share of the signal's range count as "not changing".
_FLAT_TOLERANCE = 1e-10


@dataclass(frozen=True)
class ConcordanceResult(ReadOnlyArrays):
    """Skin-conductance concordance of two recordings.

    Attributes
    ----------
    index : float
        ln(Σ positive r / Σ |negative r|), clipped to [−10, 10]; NaN when no r is positive or negative.
    r : numpy.ndarray
        Pearson r of the two slope series in each correlation window (NaN where either is flat).
    times_s : numpy.ndarray
        Centre of the stretch of recording each r uses, seconds.
    slopes_x, slopes_y : numpy.ndarray
        Moving slopes of the 1-second means, in the recording's units per second (after the
        signal was scaled by its largest absolute value: only their shape matters for r).
    slope_times_s : numpy.ndarray
        Centre of each slope window, seconds.
    slope_window_s, corr_window_s : float
        The two window lengths, seconds (whole seconds).
    """

    index: float
    r: np.ndarray
    times_s: np.ndarray
    slopes_x: np.ndarray
    slopes_y: np.ndarray
    slope_times_s: np.ndarray
    slope_window_s: float
    corr_window_s: float

    @property
    def n_positive(self) -> int:
        """Correlation windows with r > 0."""
        return int((self.r > 0).sum())

    @property
    def n_negative(self) -> int:
        """Correlation windows with r < 0."""
        return int((self.r < 0).sum())

    def to_frame(self) -> pd.DataFrame:
        """One row per correlation window: time_s, r."""
        return pd.DataFrame({"time_s": self.times_s, "r": self.r})


def concordance_from_r(r: np.ndarray) -> float:
    """ln(Σ positive r / Σ |negative r|), NaN r left out, clipped to [−10, 10] (step (d)).

    One sum 0 gives ±10; both 0 (or no r at all) gives NaN.

    Examples
    --------
    >>> concordance_from_r(np.array([0.5, 0.5, -0.25, np.nan]))  # ln(1.0 / 0.25)
    1.3862943611198906
    """
    r = np.asarray(r, dtype=float)
    pos = float(r[r > 0].sum())
    neg = float(-r[r < 0].sum())
    if pos == 0.0 and neg == 0.0:
        return math.nan
    if neg == 0.0:
        return INDEX_CLIP
    if pos == 0.0:
        return -INDEX_CLIP
    return float(min(INDEX_CLIP, max(-INDEX_CLIP, math.log(pos / neg))))


def _second_means(signals: tuple[np.ndarray, ...], fs: float, n_sec: int) -> tuple[np.ndarray, ...]:
    """Step (a): mean of the samples i with floor(i / fs) == j, for the full seconds j < n_sec.

    Each signal is divided by its largest absolute value first (the slopes' correlations do not depend
    on scale, and no sum can overflow).
    """
    second = np.floor(np.arange(signals[0].size) / fs).astype(np.int64)
    used = int(np.searchsorted(second, n_sec))  # seconds are in order: the full ones come first
    second = second[:used]
    counts = np.bincount(second, minlength=n_sec)[:n_sec]
    out = []
    for values in signals:
        top = float(max(-values.min(), values.max()))
        if top > 1e100:  # scale before summing, or the sums could overflow
            values, after = values[:used] / top, 1.0
        else:
            after = top if top > 0 else 1.0
        sums = np.bincount(second, weights=values[:used], minlength=n_sec)[:n_sec]
        means = np.divide(sums, counts, out=np.full(n_sec, np.nan), where=counts > 0)
        out.append(means / after)
    return tuple(out)


def _chunks(n_rows: int, k: int) -> range:
    """Starts of row chunks of at most ``_CHUNK_ELEMENTS`` window values (memory stays bounded)."""
    return range(0, n_rows, max(1, _CHUNK_ELEMENTS // k))


def _moving_slopes(means: np.ndarray, k: int) -> np.ndarray:
    """Step (b): least-squares slope (per second) of every run of k consecutive 1-s means."""
    t = np.arange(k) - (k - 1) / 2.0
    tt = float(t @ t)
    windows = sliding_window_view(means, k)
    out = np.empty(windows.shape[0])
    step = max(1, _CHUNK_ELEMENTS // k)
    for a in _chunks(windows.shape[0], k):  # chunks of windows (memory), vectorised within
        part = windows[a : a + step]
        out[a : a + step] = (part - part.mean(axis=1, keepdims=True)) @ t / tt
    return out


def _moving_r(a: np.ndarray, b: np.ndarray, k: int, tol_a: float, tol_b: float) -> np.ndarray:
    """Step (c): Pearson r of every run of k consecutive slopes; NaN where either run is flat."""
    wa = sliding_window_view(a, k)
    wb = sliding_window_view(b, k)
    r = np.empty(wa.shape[0])
    step = max(1, _CHUNK_ELEMENTS // k)
    for start in _chunks(wa.shape[0], k):  # chunks of windows (memory), vectorised within
        pa, pb = wa[start : start + step], wb[start : start + step]
        ca = pa - pa.mean(axis=1, keepdims=True)
        cb = pb - pb.mean(axis=1, keepdims=True)
        saa = np.einsum("ij,ij->i", ca, ca)
        sbb = np.einsum("ij,ij->i", cb, cb)
        sab = np.einsum("ij,ij->i", ca, cb)
        # Flat: every slope in the run equals the first up to rounding (e.g. a flat stretch of signal).
        flat_a = np.max(np.abs(pa - pa[:, :1]), axis=1) <= tol_a
        flat_b = np.max(np.abs(pb - pb[:, :1]), axis=1) <= tol_b
        bad = flat_a | flat_b | (saa <= 0) | (sbb <= 0) | ~np.isfinite(sab)
        denom = np.sqrt(np.where(bad, 1.0, saa * sbb))
        part = np.clip(np.where(bad, 0.0, sab) / denom, -1.0, 1.0)
        part[bad] = np.nan
        r[start : start + step] = part
    return r


def _whole_seconds(value: object, n_sec: int, *, name: str, meaning: str, minimum: int) -> tuple[float, int]:
    value_s, k = duration_samples(
        value, 1.0, n_sec, name=name, meaning=meaning, what=f"{meaning[0].upper()}{meaning[1:]}"
    )
    if k < minimum:
        raise ParameterError(
            f"{name} ({meaning}) = {say_seconds(value_s)} rounds to {k} one-second mean(s); it must span "
            f"at least {minimum} s. Choose a longer window."
        )
    return value_s, k


def concordance_index(
    x: object,
    y: object,
    fs: float,
    *,
    slope_window_s: float = 5.0,
    corr_window_s: float = 15.0,
) -> ConcordanceResult:
    """Skin-conductance concordance index (Marci & Orr 2006; Marci et al. 2007).

    Defined here exactly as:

    (a) 1-second means: second ``j`` averages the samples ``i`` with ``floor(i / fs) == j``; only full
        seconds (``j < floor(n / fs)``) are used;
    (b) the least-squares slope (per second) of each run of ``round(slope_window_s)`` consecutive 1-s
        means, stepped 1 s;
    (c) the Pearson r of each run of ``round(corr_window_s)`` consecutive slopes, stepped 1 s (NaN where
        either person's slopes do not change, e.g. a flat stretch of signal);
    (d) index = ln(Σ positive r / Σ |negative r|), NaN r left out, clipped to [−10, 10] (one sum 0 gives
        ±10; both 0 gives NaN).

    Parameters
    ----------
    x, y : array_like
        The two partners' skin conductance (e.g. patient, clinician), 1-D, equal length, no missing
        values; any unit (r does not depend on it).
    fs : float
        Sampling rate, Hz; at least 1 Hz (each second needs a sample).
    slope_window_s : float
        Length of the moving-slope window, whole seconds (default 5 s, at least 2 s).
    corr_window_s : float
        Length of the correlation window, in slopes = seconds (default 15 s, at least 3 s).

    Returns
    -------
    ConcordanceResult
        ``.index``, the r series ``.r`` with its times ``.times_s`` (centre of the
        ``slope_window_s + corr_window_s - 1`` seconds each r uses), the slopes, and ``.to_frame()``.

    Raises
    ------
    InputError
        Bad signals or ``fs`` (also below 1 Hz), a constant recording, or a recording shorter than
        ``slope_window_s + corr_window_s - 1`` full seconds.
    ParameterError
        A window that is not a positive number of seconds or too short.

    Examples
    --------
    >>> t = np.arange(0, 120, 1 / 4)
    >>> x = 5 + np.sin(2 * np.pi * t / 20)
    >>> res = concordance_index(x, 2 * x + 3, fs=4.0)  # arousal rises and falls together
    >>> res.index, res.r.shape
    (10.0, (102,))

    References
    ----------
    Marci & Orr (2006); Marci et al. (2007): full references in the module docstring.
    """
    fs = as_fs(fs)
    xa, ya = as_signal_pair(x, y)
    if fs < 1.0:
        raise InputError(
            f"The concordance index averages each second of the recording, so it needs at least one "
            f"sample per second (fs ≥ 1 Hz); got fs = {fs:g} Hz. Resample the recordings first."
        )
    n = xa.size
    n_sec = math.floor(n / fs)
    slope_window_s, ks = _whole_seconds(
        slope_window_s, n_sec, name="slope_window_s", meaning="the slope window", minimum=2
    )
    corr_window_s, kc = _whole_seconds(
        corr_window_s, n_sec, name="corr_window_s", meaning="the correlation window", minimum=3
    )
    need = ks + kc - 1
    if need > n_sec:
        raise InputError(
            f"The recording has {n_sec} full second(s), but the slope window ({ks} s) and the "
            f"correlation window ({kc} s) together need at least {need} s. Use shorter windows or a "
            "longer recording."
        )
    require_varying(xa, "x")
    require_varying(ya, "y")
    mx, my = _second_means((xa, ya), fs, n_sec)
    sx, sy = _moving_slopes(mx, ks), _moving_slopes(my, ks)
    # Rounding noise on a slope is about eps × the means' size per second of window.
    tol_x = _FLAT_TOLERANCE * max(float(np.nanmax(np.abs(mx))), np.finfo(float).tiny)
    tol_y = _FLAT_TOLERANCE * max(float(np.nanmax(np.abs(my))), np.finfo(float).tiny)
    r = _moving_r(sx, sy, kc, tol_x, tol_y)
    times_s = np.arange(r.size) + need / 2.0
    slope_times_s = np.arange(sx.size) + ks / 2.0
    return ConcordanceResult(
        index=concordance_from_r(r),
        r=r,
        times_s=times_s,
        slopes_x=sx,
        slopes_y=sy,
        slope_times_s=slope_times_s,
        slope_window_s=float(ks),
        corr_window_s=float(kc),
    )
