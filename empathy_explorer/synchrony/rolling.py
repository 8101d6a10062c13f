"""Rolling (moving-window) Pearson correlation at lag 0: how synchrony changes over a session.

Every sample gets the correlation of the two recordings in a window centred on it, the simplest
picture of "moving together" over time (the correlation step of Marci et al. 2007, and what NeuroKit2's
``signal_synchrony(method="correlation")`` computes with pandas).

Speed and precision: O(n), no loop over windows: running means of x, y, x², y² and xy (one C pass of
:func:`scipy.ndimage.uniform_filter1d`). Running sums over a whole session lose digits when a signal
sits far from zero (a skin-conductance level of 10 µS) or drifts, so the recording is cut into
overlapping blocks a few windows long, each centred on its own mean; every window lies entirely within
one block.

References
----------
Marci et al. (2007), J Nerv Ment Dis 195(2):103–111 (full reference in
:mod:`empathy_explorer.synchrony.concordance`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from scipy.ndimage import uniform_filter1d

from empathy_explorer.synchrony._common import (
    check_fits_samples,
    constant_windows,
    duration_samples,
    nanmean_quiet,
    require_varying,
    with_pair_parameters,
)
from empathy_explorer.validation import ReadOnlyArrays, as_fs, as_signal_pair, readonly

__all__ = ["RollingCorrelationResult", "rolling_correlation", "rolling_r_valid"]

#: Window starts per block, as a multiple of the window length (work ≈ (1 + 1/k) × n; precision is
#: best with short blocks, each centred on its own mean).
_BLOCK_WINDOWS = 8
#: Samples per row of one group of blocks (5 rows of float64, about 1 MB in all: stays in cache).
_GROUP_ELEMENTS = 1 << 15


@dataclass(frozen=True)
class RollingCorrelationResult(ReadOnlyArrays):
    """Lag-0 Pearson r in a window centred on every sample.

    Attributes
    ----------
    r : numpy.ndarray
        One value per sample (same length as the recordings); NaN where the window sticks out of the
        recording or either person's signal is constant in it.
    times_s : numpy.ndarray
        Time of each sample, seconds from the start.
    fs : float
        Sampling rate, Hz.
    window_s : float
        Window length, seconds.
    window_samples : int
        Window length, samples (``round(window_s * fs)``).
    """

    r: np.ndarray
    fs: float
    window_s: float
    window_samples: int

    @cached_property
    def times_s(self) -> np.ndarray:
        """Time of each sample, seconds from the start (made on first use)."""
        return readonly(np.arange(self.r.size) / self.fs)

    @property
    def mean_r(self) -> float:
        """Mean of the defined r values (NaN when none)."""
        return nanmean_quiet(self.r)

    def to_frame(self) -> pd.DataFrame:
        """One row per sample: time_s, r."""
        return pd.DataFrame({"time_s": self.times_s, "r": self.r})


def _usable_scale(values: np.ndarray, low: float, high: float) -> tuple[np.ndarray, float]:
    """The values, divided by max |value| only when squares could overflow or underflow; and that max."""
    top = max(-low, high)
    if top > 0 and not 1e-100 <= top <= 1e100:
        return values / top, 1.0
    return values, top


def _block_r(
    xv: np.ndarray, yv: np.ndarray, w: int, tol_x: float, tol_y: float, r: np.ndarray, flat: np.ndarray
) -> None:
    """Fill ``r`` (and the maybe-constant mask ``flat``) for blocks ``xv``, ``yv`` of shape (k, span).

    Each block is centred on its own mean; the running means of x, y, x², y², xy come from one
    :func:`scipy.ndimage.uniform_filter1d` pass; every step works in place, group by group.
    """
    n_blocks, span = xv.shape
    block = span - w + 1
    group = max(1, _GROUP_ELEMENTS // span)
    v = np.empty((5, min(group, n_blocks), span))
    work = np.empty((3, min(group, n_blocks), block))
    for b0 in range(0, n_blocks, group):  # groups of blocks (cache-sized), not a loop over windows
        g = min(n_blocks, b0 + group) - b0
        done = slice(b0 * block, (b0 + g) * block)
        cx, cy, cxx, cyy, cxy = v[:, :g]
        np.subtract(xv[b0 : b0 + g], xv[b0 : b0 + g].mean(axis=1, keepdims=True), out=cx)
        np.subtract(yv[b0 : b0 + g], yv[b0 : b0 + g].mean(axis=1, keepdims=True), out=cy)
        np.multiply(cx, cx, out=cxx)
        np.multiply(cy, cy, out=cyy)
        np.multiply(cx, cy, out=cxy)
        uniform_filter1d(v[:, :g], w, axis=2, mode="constant", output=v[:, :g])
        mx, my, mxx, myy, mxy = v[:, :g, w // 2 : w // 2 + block]
        var_x, var_y, cov = work[:, :g]
        np.multiply(mx, mx, out=var_x)
        np.subtract(mxx, var_x, out=var_x)
        np.multiply(my, my, out=var_y)
        np.subtract(myy, var_y, out=var_y)
        np.multiply(mx, my, out=cov)
        np.subtract(mxy, cov, out=cov)
        maybe = flat[done].reshape(g, block)
        np.less_equal(var_x, tol_x, out=maybe)
        maybe |= var_y <= tol_y
        np.multiply(var_x, var_y, out=var_x)  # below 0 only by rounding: sqrt gives NaN (no warning)
        np.sqrt(var_x, out=var_x)
        np.divide(cov, var_x, out=r[done].reshape(g, block))


def rolling_r_valid(
    x: np.ndarray,
    y: np.ndarray,
    w: int,
    *,
    ranges: tuple[float, float, float, float] | None = None,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """``out[a] = pearson(x[a:a+w], y[a:a+w])`` for every start ``a`` (inputs validated, w >= 2).

    NaN where either window is constant (decided exactly on the raw values). The recording is cut into
    overlapping blocks of ``_BLOCK_WINDOWS * w`` window starts, each centred on its own mean before
    the running means (see :func:`_block_r`); the last block holds the remaining starts.
    ``ranges`` = (min x, max x, min y, max y) when the caller knows them already; ``out``, a buffer of
    at least ``n - w + 1`` values to compute in (the result is a view of it).
    """
    n = x.size
    n_starts = n - w + 1
    block = _BLOCK_WINDOWS * w
    span = block + w - 1
    n_full = n_starts // block
    x_lo, x_hi, y_lo, y_hi = ranges if ranges is not None else (x.min(), x.max(), y.min(), y.max())
    xs, top_x = _usable_scale(x, float(x_lo), float(x_hi))
    ys, top_y = _usable_scale(y, float(y_lo), float(y_hi))
    # A window whose variance is this small may be exactly constant (rounding in the running means of
    # values within ±2·top leaves a constant window at most about eps × span × 4·top²): checked exactly.
    tol_x = 64.0 * np.finfo(float).eps * span * top_x * top_x
    tol_y = 64.0 * np.finfo(float).eps * span * top_y * top_y
    r = np.empty(n_starts) if out is None else out[:n_starts]
    maybe_flat = np.empty(n_starts, dtype=bool)  # every entry is written
    with np.errstate(divide="ignore", invalid="ignore"):
        if n_full:
            xv = sliding_window_view(xs, span)[::block][:n_full]
            yv = sliding_window_view(ys, span)[::block][:n_full]
            _block_r(xv, yv, w, tol_x, tol_y, r, maybe_flat)
        if n_starts > n_full * block:  # the last, shorter block: the remaining starts and their windows
            a = n_full * block
            _block_r(xs[None, a:], ys[None, a:], w, tol_x, tol_y, r[a:], maybe_flat[a:])
    # Only a variance within rounding of 0 (a candidate) can give inf or NaN: those become NaN.
    candidates = np.flatnonzero(maybe_flat[:n_starts])
    r[candidates[~np.isfinite(r[candidates])]] = np.nan
    np.clip(r, -1.0, 1.0, out=r)
    if candidates.size > n_starts // 64:  # many: one exact O(n) pass
        r[constant_windows(x, w) | constant_windows(y, w)] = np.nan
    elif candidates.size:
        xw, yw = sliding_window_view(x, w)[candidates], sliding_window_view(y, w)[candidates]
        const = (xw == xw[:, :1]).all(axis=1) | (yw == yw[:, :1]).all(axis=1)
        r[candidates[const]] = np.nan
    return r


@with_pair_parameters
def rolling_correlation(x: object, y: object, fs: float, *, window_s: float) -> RollingCorrelationResult:
    """Pearson r of two recordings in a moving window centred on each sample (lag 0).

    With ``w = round(window_s * fs)`` samples, value ``i`` is the Pearson r of ``x[a:a+w]`` and
    ``y[a:a+w]`` with ``a = i - w//2``; it is NaN where that window does not lie entirely inside the
    recording (the first ``w//2`` and last ``w - w//2 - 1`` samples) or where either segment is constant.

    Parameters
    ----------
    {pair_parameters}
    window_s : float
        Window length, seconds (at least 3 samples, at most the recording).

    Returns
    -------
    RollingCorrelationResult
        ``.r`` (one value per sample), ``.times_s``, ``.mean_r`` and ``.to_frame()``.

    Raises
    ------
    InputError
        Bad signals or ``fs``, a constant recording, or a window longer than the recording.
    ParameterError
        A window that is not a positive number of seconds or shorter than 3 samples.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=200)
    >>> res = rolling_correlation(x, 2 * x + 10, fs=4.0, window_s=5.0)
    >>> int(np.isnan(res.r).sum()), round(float(np.nanmin(res.r)), 6)
    (19, 1.0)

    References
    ----------
    Marci, C. D., Ham, J., Moran, E., & Orr, S. P. (2007). Physiologic correlates of perceived therapist
    empathy and social-emotional process during psychotherapy. Journal of Nervous and Mental Disease,
    195(2), 103–111. https://doi.org/10.1097/01.nmd.0000253731.71025.fc
    """
    fs = as_fs(fs)
    xa, ya = as_signal_pair(x, y)
    n = xa.size
    window_s, w = duration_samples(
        window_s, fs, n, name="window_s", minimum=3, meaning="the window length", what="The window"
    )
    check_fits_samples(w, n, fs, what="The window", advice="Choose a shorter window or a longer recording.")
    ranges = (xa.min(), xa.max(), ya.min(), ya.max())
    if ranges[0] == ranges[1]:
        require_varying(xa, "x")
    if ranges[2] == ranges[3]:
        require_varying(ya, "y")
    # One buffer: the valid values are computed in place at their centred positions.
    r = np.empty(n)
    rolling_r_valid(xa, ya, w, ranges=ranges, out=r[w // 2 :])
    r[: w // 2] = np.nan
    r[w // 2 + n - w + 1 :] = np.nan
    return RollingCorrelationResult(r=r, fs=fs, window_s=window_s, window_samples=w)
