"""Windowed lagged cross-correlation (WCC) with peak picking (Boker, Xu, Rotondo & King 2002).

For every window of one partner's recording, the Pearson correlation with the other partner's recording
is computed at a range of lags; the peak nearest lag 0 tells, window by window, how strongly the two
move together and who follows whom.

Speed: no Python loop over windows or lags. The x windows and y segments (window plus both lag ranges)
are strided views; the sums of cross-products at every lag come from one FFT cross-correlation per
window (batched), and the spread of every x window and every lagged y window from one O(n) rolling
pass per signal. Windows and segments are centred first, so a large offset (e.g. a skin-conductance
level of 10 µS) costs no precision. Windows are processed in blocks to keep memory small.

References
----------
Boker, S. M., Xu, M., Rotondo, J. L., & King, K. (2002). Windowed cross-correlation and peak picking for
the analysis of variability in the association between behavioral time series. Psychological Methods,
7(3), 338–355. https://doi.org/10.1037/1082-989X.7.3.338
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from scipy import fft as _fft

from empathy_explorer.errors import ParameterError
from empathy_explorer.synchrony._common import (
    check_fits_samples,
    duration_samples,
    nanmean_quiet,
    nanstd_quiet,
    require_varying,
    rolling_sum_sq,
    unit_scaled,
    with_pair_parameters,
)
from empathy_explorer.validation import ReadOnlyArrays, as_fs, as_signal_pair, format_seconds

__all__ = ["LagProfile", "WindowedXcorrResult", "lag_profile", "pick_peaks", "windowed_xcorr"]

#: Largest result matrix (windows × lags) computed, about 50 MB of float64.
MAX_MATRIX_ENTRIES = 6_250_000
#: Float64 elements per intermediate block (about 0.5 MB each). Blocks of 2 MB were as fast or 25 %
#: slower depending only on where the C allocator put the FFT's temporaries (memory handed back to the
#: system and faulted in again); at 0.5 MB the time no longer depends on the process's history.
_BLOCK_ELEMENTS = 1 << 16


@dataclass(frozen=True)
class WindowedXcorrResult(ReadOnlyArrays):
    """Windowed lagged cross-correlation of two recordings, with the peak of every window.

    Attributes
    ----------
    r : numpy.ndarray
        Pearson r, shape (n_windows, n_lags); NaN where a segment is constant.
    lags_s : numpy.ndarray
        Lag of each column, seconds; positive means y follows x (x leads).
    times_s : numpy.ndarray
        Centre of each x window (mean time of its samples), seconds.
    peak_r : numpy.ndarray
        Per window, r at the positive peak nearest lag 0 (NaN when the window has no positive peak).
    peak_lag_s : numpy.ndarray
        Per window, the lag of that peak, seconds (NaN when none).
    fs : float
        Sampling rate, Hz.
    window_s, step_s, max_lag_s : float
        Parameters used.
    """

    r: np.ndarray
    lags_s: np.ndarray
    times_s: np.ndarray
    peak_r: np.ndarray
    peak_lag_s: np.ndarray
    fs: float
    window_s: float
    step_s: float
    max_lag_s: float

    @property
    def n_windows(self) -> int:
        """Number of windows."""
        return int(self.r.shape[0])

    @property
    def lag0_r(self) -> np.ndarray:
        """Per window, r at lag 0."""
        return self.r[:, self.r.shape[1] // 2]

    @property
    def n_peaks(self) -> int:
        """Windows that have a positive peak."""
        return int(np.isfinite(self.peak_r).sum())

    @property
    def mean_peak_r(self) -> float:
        """Mean of the per-window peak r (windows without a peak left out)."""
        return nanmean_quiet(self.peak_r)

    @property
    def sd_peak_r(self) -> float:
        """Standard deviation (ddof=1) of the per-window peak r."""
        return nanstd_quiet(self.peak_r)

    @property
    def mean_peak_lag_s(self) -> float:
        """Mean lag of the per-window peaks, seconds (positive: y follows x on average)."""
        return nanmean_quiet(self.peak_lag_s)

    @property
    def sd_peak_lag_s(self) -> float:
        """Standard deviation (ddof=1) of the peak lags, seconds."""
        return nanstd_quiet(self.peak_lag_s)

    @property
    def median_peak_lag_s(self) -> float:
        """Median lag of the per-window peaks, seconds."""
        lags = self.peak_lag_s[np.isfinite(self.peak_lag_s)]
        return float(np.median(lags)) if lags.size else math.nan

    def _share(self, mask: np.ndarray) -> float:
        n = self.n_peaks
        return float(mask.sum() / n) if n else math.nan

    @property
    def share_x_leads(self) -> float:
        """Share of the windows with a peak whose peak lag is > 0 (y follows x)."""
        return self._share(self.peak_lag_s > 0)

    @property
    def share_y_leads(self) -> float:
        """Share of the windows with a peak whose peak lag is < 0 (x follows y)."""
        return self._share(self.peak_lag_s < 0)

    @property
    def share_in_phase(self) -> float:
        """Share of the windows with a peak exactly at lag 0."""
        return self._share(self.peak_lag_s == 0)

    def summary(self) -> dict[str, float]:
        """The session summaries of Boker et al. (2002) and the lead shares, as a dict."""
        return {
            "mean_peak_r": self.mean_peak_r,
            "sd_peak_r": self.sd_peak_r,
            "mean_peak_lag_s": self.mean_peak_lag_s,
            "sd_peak_lag_s": self.sd_peak_lag_s,
            "share_x_leads": self.share_x_leads,
            "share_y_leads": self.share_y_leads,
            "share_in_phase": self.share_in_phase,
            "n_windows": float(self.n_windows),
            "n_peaks": float(self.n_peaks),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per window: time_s, peak_lag_s, peak_r, lag0_r, leader ("x", "y", "both", "none")."""
        leader = np.full(self.n_windows, "none", dtype=object)
        leader[self.peak_lag_s > 0] = "x"
        leader[self.peak_lag_s < 0] = "y"
        leader[self.peak_lag_s == 0] = "both"
        return pd.DataFrame(
            {
                "time_s": self.times_s,
                "peak_lag_s": self.peak_lag_s,
                "peak_r": self.peak_r,
                "lag0_r": self.lag0_r,
                "leader": leader,
            }
        )

    def matrix_frame(self) -> pd.DataFrame:
        """Long table of the whole matrix (for a heat map): time_s, lag_s, r."""
        n_win, n_lag = self.r.shape
        return pd.DataFrame(
            {
                "time_s": np.repeat(self.times_s, n_lag),
                "lag_s": np.tile(self.lags_s, n_win),
                "r": self.r.ravel(),
            }
        )


def pick_peaks(r: np.ndarray, lags_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of a lag profile, the positive peak nearest lag 0 (Boker et al. 2002 peak picking).

    What exactly is done (vectorised over windows): a lag is a *peak* when its r is finite, greater
    than 0, and at least as large as each neighbouring lag (a NaN neighbour or a missing neighbour at
    the end of the lag range counts as lower). Searching outward from lag 0, the peak with the
    smallest absolute lag is chosen; when a peak at −τ and one at +τ are equally near, the one with
    the larger r wins. A row with no positive peak gives NaN for both r and lag. Unlike Boker et al.,
    the lag profile is not smoothed first.

    Parameters
    ----------
    r : numpy.ndarray
        Correlations, shape (n_windows, n_lags), lags in increasing order and symmetric around 0.
    lags_s : numpy.ndarray
        Lag of each column, seconds.

    Returns
    -------
    peak_r, peak_lag_s : numpy.ndarray
        One value per row.

    Examples
    --------
    >>> r = np.array([[0.1, 0.5, 0.2, 0.3, 0.9]])
    >>> pick_peaks(r, np.array([-2.0, -1.0, 0.0, 1.0, 2.0]))
    (array([0.5]), array([-1.]))

    References
    ----------
    Boker, S. M., Xu, M., Rotondo, J. L., & King, K. (2002). Psychological Methods, 7(3), 338–355.
    """
    r = np.asarray(r)
    lags_s = np.asarray(lags_s)
    if r.dtype.kind not in "biuf" or lags_s.dtype.kind not in "biuf":
        raise ParameterError("pick_peaks needs numbers: a table of correlations and the lags in seconds.")
    if r.ndim != 2 or lags_s.ndim != 1 or r.shape[1] != lags_s.size or lags_s.size == 0:
        raise ParameterError(
            "pick_peaks needs a table of correlations (windows × lags) and one lag per column; "
            f"got shapes {r.shape} and {lags_s.shape}."
        )
    r = r.astype(float, copy=False)
    lags_s = lags_s.astype(float, copy=False)
    if not np.all(np.isfinite(lags_s)) or np.any(lags_s[1:] <= lags_s[:-1]):
        raise ParameterError("pick_peaks needs finite lags in increasing order, one per column.")
    # Rank of each lag's distance from 0; lags -τ and +τ share a rank.
    dist_rank = np.unique(np.abs(lags_s), return_inverse=True)[1].reshape(-1)
    peak_r = np.full(r.shape[0], np.nan)
    peak_lag = np.full(r.shape[0], np.nan)
    rows_per_block = max(1, _BLOCK_ELEMENTS // r.shape[1])  # bounded memory for long sessions
    for k0 in range(0, r.shape[0], rows_per_block):
        block = slice(k0, k0 + rows_per_block)
        peak_r[block], peak_lag[block] = _pick_block(r[block], lags_s, dist_rank)
    return peak_r, peak_lag


def _pick_block(r: np.ndarray, lags_s: np.ndarray, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    low = np.where(np.isfinite(r), r, -np.inf)
    is_peak = low > 0
    is_peak[:, 1:] &= low[:, 1:] >= low[:, :-1]
    is_peak[:, :-1] &= low[:, :-1] >= low[:, 1:]
    # Nearest lag 0 first; between -τ and +τ the larger r.
    peak_rank = np.where(is_peak, rank[None, :], np.iinfo(np.int64).max)
    nearest = is_peak & (peak_rank == peak_rank.min(axis=1, keepdims=True))
    best = np.argmax(np.where(nearest, low, -np.inf), axis=1)
    rows = np.arange(r.shape[0])
    has = is_peak[rows, best]
    peak_r = np.where(has, r[rows, best], np.nan)
    peak_lag = np.where(has, lags_s[best], np.nan)
    return peak_r, peak_lag


def _xcorr_matrix(x: np.ndarray, y: np.ndarray, w: int, s: int, lag: int) -> np.ndarray:
    """r[k, τ+L] = pearson(x[a:a+w], y[a+τ:a+τ+w]), a = L + k s (inputs validated and scaled).

    Denominators: the sums of squared deviations of every x window and every lagged y window come
    from one O(n) rolling pass per signal (:func:`rolling_sum_sq`, exact about constant windows).
    Numerators: for a block of windows, the centred x windows are cross-correlated with their y
    segments (window plus both lag ranges) by FFT; centring x makes the y level drop out, and
    centring each y segment keeps the FFT's rounding small when the level is large.
    """
    n = x.size
    n_lags = 2 * lag + 1
    m = w + 2 * lag
    n_win = (n - m) // s + 1
    nfft = _fft.next_fast_len(m, real=True)
    ss_x, const_x = rolling_sum_sq(x, w)
    ss_y, const_y = rolling_sum_sq(y, w)
    # Views (no copies): window k of x starts at L + k s; its y windows start at k s + j, j = 0..2L.
    sxx_all = ss_x[lag::s][:n_win]
    cx_all = const_x[lag::s][:n_win]
    syy_all = sliding_window_view(ss_y, n_lags)[::s][:n_win]
    cy_all = sliding_window_view(const_y, n_lags)[::s][:n_win]
    xv = sliding_window_view(x, w)[lag::s][:n_win]
    yv = sliding_window_view(y, m)[::s][:n_win]
    out = np.empty((n_win, n_lags))
    block = max(1, _BLOCK_ELEMENTS // nfft)
    xpad = np.zeros((min(block, n_win), nfft))
    ypad = np.zeros((min(block, n_win), nfft))
    with np.errstate(divide="ignore", invalid="ignore"):
        for k0 in range(0, n_win, block):  # blocks of windows (memory), not one window at a time
            k1 = min(n_win, k0 + block)
            b = k1 - k0
            xw, ys = xv[k0:k1], yv[k0:k1]
            np.subtract(xw, xw.mean(axis=1, keepdims=True), out=xpad[:b, :w])
            np.subtract(ys, ys.mean(axis=1, keepdims=True), out=ypad[:b, :m])
            spec = _fft.rfft(xpad[:b], axis=1)
            np.conj(spec, out=spec)
            spec *= _fft.rfft(ypad[:b], axis=1)
            sxy = _fft.irfft(spec, nfft, axis=1)[:, :n_lags]
            denom = syy_all[k0:k1] * sxx_all[k0:k1, None]
            np.sqrt(denom, out=denom)
            np.divide(sxy, denom, out=out[k0:k1])
    bad = cx_all[:, None] | cy_all | ~np.isfinite(out)
    np.clip(out, -1.0, 1.0, out=out)
    out[bad] = np.nan
    return out


class _Grid(NamedTuple):
    """Checked window, step and lag of :func:`windowed_xcorr`: seconds and samples, and the window count."""

    window_s: float
    w: int
    step_s: float
    s: int
    max_lag_s: float
    lag: int
    n_win: int


def _grid(n: int, fs: float, window: object, step: object, max_lag: object) -> _Grid:
    """Check the durations against a recording of ``n`` samples and the size of the result matrix."""
    window_s, w = duration_samples(
        window, fs, n, name="window_s", minimum=3, meaning="the window length", what="The window"
    )
    step_s, s = duration_samples(
        step, fs, n, name="step_s", meaning="the step between windows", cap_at_recording=True
    )
    max_lag_s, lag = duration_samples(
        max_lag,
        fs,
        n,
        name="max_lag_s",
        allow_zero=True,
        meaning="the largest lag",
        what="The maximum lag",
    )
    if lag:
        check_fits_samples(
            w + 2 * lag,
            n,
            fs,
            what="The window plus twice the maximum lag",
            advice=(
                f"Choose a shorter window or maximum lag (now window {format_seconds(window_s)}, "
                f"maximum lag {format_seconds(max_lag_s)})."
            ),
        )
    else:
        check_fits_samples(
            w, n, fs, what="The window", advice="Choose a shorter window or a longer recording."
        )
    n_win = (n - w - 2 * lag) // s + 1
    n_lags = 2 * lag + 1
    if n_win * n_lags > MAX_MATRIX_ENTRIES:
        min_step_s = math.ceil(n_win * n_lags / MAX_MATRIX_ENTRIES) * step_s
        raise ParameterError(
            f"These settings ask for {n_win:,} windows × {n_lags} lags, too many to hold in memory. "
            f"Use a step of at least {format_seconds(min_step_s)} or a smaller maximum lag."
        )
    return _Grid(window_s, w, step_s, s, max_lag_s, lag, n_win)


@with_pair_parameters
def windowed_xcorr(
    x: object,
    y: object,
    fs: float,
    *,
    window_s: float = 30.0,
    step_s: float = 5.0,
    max_lag_s: float = 5.0,
) -> WindowedXcorrResult:
    """Windowed lagged cross-correlation of two recordings, with peak picking.

    With ``w = round(window_s*fs)``, ``s = round(step_s*fs)`` and ``L = round(max_lag_s*fs)`` samples,
    window k starts at ``a = L + k*s`` for every k with ``a + w + L <= len(x)``, and at lag τ in −L..L::

        r[k, τ + L] = pearson(x[a : a + w], y[a + τ : a + τ + w])

    so a positive lag means y follows x (x leads). A window in which either segment is constant gives
    NaN. Peaks are picked per window with :func:`pick_peaks`.

    Parameters
    ----------
    {pair_parameters}
    window_s : float
        Window length, seconds (default 30 s; at least 3 samples).
    step_s : float
        Step between window starts, seconds (default 5 s; at least 1 sample).
    max_lag_s : float
        Largest lag in either direction, seconds (default 5 s; 0 gives lag 0 only).

    Returns
    -------
    WindowedXcorrResult
        ``.r``, ``.lags_s``, ``.times_s``, ``.peak_r``, ``.peak_lag_s`` and the summaries
        ``.mean_peak_r``, ``.sd_peak_r``, ``.mean_peak_lag_s``, ``.share_x_leads``, ``.share_y_leads``.

    Raises
    ------
    InputError
        Bad signals or ``fs``; a constant recording; window plus twice the lag longer than the recording.
    ParameterError
        A window, step or lag that is not a positive number of seconds, or a result too large for memory.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = np.convolve(rng.normal(size=2000), np.hanning(16), mode="same")  # smooth, like skin conductance
    >>> y = np.roll(x, 8)  # y follows x by 8 samples = 2 s at 4 Hz
    >>> res = windowed_xcorr(x, y, fs=4.0, window_s=30.0, step_s=5.0, max_lag_s=5.0)
    >>> res.r.shape, res.median_peak_lag_s
    ((93, 41), 2.0)

    References
    ----------
    Boker, S. M., Xu, M., Rotondo, J. L., & King, K. (2002). Windowed cross-correlation and peak picking
    for the analysis of variability in the association between behavioral time series. Psychological
    Methods, 7(3), 338–355. https://doi.org/10.1037/1082-989X.7.3.338
    """
    fs = as_fs(fs)
    xa, ya = as_signal_pair(x, y)
    g = _grid(xa.size, fs, window_s, step_s, max_lag_s)
    require_varying(xa, "x")
    require_varying(ya, "y")
    # r does not depend on scale: scaling to [-1, 1] first means no sum or square can overflow.
    r = _xcorr_matrix(unit_scaled(xa), unit_scaled(ya), g.w, g.s, g.lag)
    lags_s = np.arange(-g.lag, g.lag + 1) / fs
    starts = g.lag + g.s * np.arange(g.n_win)
    peak_r, peak_lag_s = pick_peaks(r, lags_s)
    return WindowedXcorrResult(
        r=r,
        lags_s=lags_s,
        times_s=(starts + (g.w - 1) / 2) / fs,
        peak_r=peak_r,
        peak_lag_s=peak_lag_s,
        fs=fs,
        window_s=g.window_s,
        step_s=g.step_s,
        max_lag_s=g.max_lag_s,
    )


@dataclass(frozen=True)
class LagProfile(ReadOnlyArrays):
    """A windowed cross-correlation summarised over its windows.

    Attributes
    ----------
    lags_s : numpy.ndarray
        Lag of each entry, seconds (positive: y follows x).
    mean_r : numpy.ndarray
        Mean r across windows at each lag (windows with NaN left out; NaN where no window has a value).
    median_peak_lag_s : float
        Median lag of the per-window peaks (NaN when no window has a peak).
    mean_peak_r : float
        Mean of the per-window peak r.
    n_windows : int
        Number of windows.
    """

    lags_s: np.ndarray
    mean_r: np.ndarray
    median_peak_lag_s: float
    mean_peak_r: float
    n_windows: int


def lag_profile(result: WindowedXcorrResult) -> LagProfile:
    """The lag profile of a windowed cross-correlation: mean r at each lag, and its peaks' median lag.

    Parameters
    ----------
    result : WindowedXcorrResult
        From :func:`windowed_xcorr`.

    Returns
    -------
    LagProfile

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=2400)
    >>> prof = lag_profile(windowed_xcorr(x, np.roll(x, 8), 4.0, window_s=30, step_s=5, max_lag_s=5))
    >>> float(prof.lags_s[np.nanargmax(prof.mean_r)]), prof.n_windows
    (2.0, 113)

    References
    ----------
    Boker, S. M., Xu, M., Rotondo, J. L., & King, K. (2002). Psychological Methods, 7(3), 338–355.
    https://doi.org/10.1037/1082-989X.7.3.338
    """
    r = np.asarray(result.r, dtype=float)
    finite = np.isfinite(r)
    count = finite.sum(axis=0)
    total = np.where(finite, r, 0.0).sum(axis=0)
    mean_r = np.full(r.shape[1], np.nan)
    np.divide(total, count, out=mean_r, where=count > 0)
    peak_lags = np.asarray(result.peak_lag_s, dtype=float)
    peak_lags = peak_lags[np.isfinite(peak_lags)]
    return LagProfile(
        lags_s=np.asarray(result.lags_s, dtype=float),
        mean_r=mean_r,
        median_peak_lag_s=float(np.median(peak_lags)) if peak_lags.size else math.nan,
        mean_peak_r=float(result.mean_peak_r),
        n_windows=result.n_windows,
    )
