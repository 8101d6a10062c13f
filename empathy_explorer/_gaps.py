"""Runs of missing samples (NaN) in a recording: find them, fill the short ones, report the long ones.

Public through :mod:`empathy_explorer.preprocess` (:func:`find_gaps`, :func:`fill_gaps`, :class:`Gap`,
:class:`GapReport`); kept in its own module so that ``preprocess`` stays one screenful per topic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from empathy_explorer.validation import as_duration_s, as_fs, as_signal, format_seconds, readonly

__all__ = ["Gap", "GapReport", "fill_gaps", "find_gaps"]


@dataclass(frozen=True)
class Gap:
    """One run of consecutive missing samples (NaN).

    Attributes
    ----------
    start_index : int
        Index of the first missing sample.
    n_samples : int
        Number of missing samples.
    start_s : float
        Time of the first missing sample (``start_index / fs``), seconds.
    duration_s : float
        Missing time, ``n_samples / fs`` seconds.
    filled : bool
        True when :func:`fill_gaps` interpolated it.
    at_edge : bool
        True when the gap touches the start or the end of the recording (it cannot be interpolated).
    """

    start_index: int
    n_samples: int
    start_s: float
    duration_s: float
    filled: bool
    at_edge: bool


@dataclass(frozen=True)
class GapReport:
    """A recording after gap handling, with the list of gaps found.

    Attributes
    ----------
    values : numpy.ndarray
        The recording with short gaps filled; long gaps and gaps at either end are still NaN.
    gaps : tuple of Gap
        Every gap found, in time order.
    fs : float
        Sampling rate, Hz.
    max_gap_s : float
        Longest gap that was filled, seconds.
    """

    values: np.ndarray
    gaps: tuple[Gap, ...]
    fs: float
    max_gap_s: float

    @property
    def filled(self) -> tuple[Gap, ...]:
        """Gaps that were interpolated."""
        return tuple(g for g in self.gaps if g.filled)

    @property
    def long_gaps(self) -> tuple[Gap, ...]:
        """Gaps left missing (longer than ``max_gap_s`` or at an edge)."""
        return tuple(g for g in self.gaps if not g.filled)

    @property
    def has_missing(self) -> bool:
        """True when ``values`` still contains NaN."""
        return bool(self.long_gaps)

    def describe(self) -> str:
        """One plain sentence about the gaps, for the app."""
        if not self.gaps:
            return "No missing samples."
        filled_s = sum(g.duration_s for g in self.filled)
        text = f"{len(self.filled)} short gap(s) ({format_seconds(filled_s)} in total) were filled."
        if self.long_gaps:
            long_s = sum(g.duration_s for g in self.long_gaps)
            text += (
                f" {len(self.long_gaps)} gap(s) ({format_seconds(long_s)} in total) are longer than "
                f"{format_seconds(self.max_gap_s)} or at the start/end and were left missing."
            )
        return text

    def to_frame(self) -> pd.DataFrame:
        """One row per gap: start_s, duration_s, n_samples, filled, at_edge."""
        return pd.DataFrame(
            {
                "start_s": [g.start_s for g in self.gaps],
                "duration_s": [g.duration_s for g in self.gaps],
                "n_samples": [g.n_samples for g in self.gaps],
                "filled": [g.filled for g in self.gaps],
                "at_edge": [g.at_edge for g in self.gaps],
            }
        )


def _nan_runs(missing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start indices and lengths of the runs of True in a boolean array (vectorised)."""
    padded = np.concatenate(([False], missing, [False])).astype(np.int8)
    change = np.diff(padded)
    starts = np.flatnonzero(change == 1)
    stops = np.flatnonzero(change == -1)
    return starts, stops - starts


def find_gaps(x: object, fs: float, *, max_gap_s: float = 2.0) -> tuple[Gap, ...]:
    """List the runs of missing samples (NaN) in a recording.

    Parameters
    ----------
    x : array_like
        1-D recording; NaN marks a missing sample.
    fs : float
        Sampling rate, Hz.
    max_gap_s : float
        Gaps of at most this many seconds, with valid samples on both sides, are marked as fillable
        (``filled=True`` means :func:`fill_gaps` would interpolate them).

    Returns
    -------
    tuple of Gap
        In time order; empty when nothing is missing.

    Examples
    --------
    >>> [g.n_samples for g in find_gaps([1.0, np.nan, np.nan, 4.0], fs=1.0)]
    [2]
    """
    fs = as_fs(fs)
    max_gap_s = as_duration_s(max_gap_s, "max_gap_s", allow_zero=True, meaning="the longest gap to fill")
    arr = as_signal(x, "x", allow_nan=True, min_length=1)
    starts, lengths = _nan_runs(np.isnan(arr))
    n = arr.size
    gaps = []
    for start, length in zip(starts.tolist(), lengths.tolist(), strict=True):
        at_edge = start == 0 or start + length == n
        short = length / fs <= max_gap_s * (1 + 1e-12)
        gaps.append(
            Gap(
                start_index=start,
                n_samples=length,
                start_s=start / fs,
                duration_s=length / fs,
                filled=bool(short and not at_edge),
                at_edge=bool(at_edge),
            )
        )
    return tuple(gaps)


def fill_gaps(x: object, fs: float, *, max_gap_s: float = 2.0) -> GapReport:
    """Interpolate short runs of missing samples; leave long ones missing and report them.

    A gap is filled by the straight line between the valid samples on either side when it lasts at most
    ``max_gap_s`` seconds. Longer gaps, and gaps at the very start or end (no sample on one side), stay NaN
    and are listed in :attr:`GapReport.long_gaps`; cut the recording or analyse the parts separately.

    Parameters
    ----------
    x, fs
        As in :func:`find_gaps`.
    max_gap_s : float
        Longest gap to interpolate, seconds (default 2 s).

    Returns
    -------
    GapReport
        ``values`` (a new array) and the list of gaps.

    Examples
    --------
    >>> rep = fill_gaps([0.0, np.nan, 2.0, np.nan, np.nan, np.nan, 6.0], fs=1.0, max_gap_s=1.0)
    >>> rep.values.tolist()[:3], len(rep.long_gaps)
    ([0.0, 1.0, 2.0], 1)
    """
    fs = as_fs(fs)
    arr = as_signal(x, "x", allow_nan=True, min_length=1)
    gaps = find_gaps(arr, fs, max_gap_s=max_gap_s)
    out = arr.copy()
    to_fill = [g for g in gaps if g.filled]
    if to_fill:
        idx = np.concatenate([np.arange(g.start_index, g.start_index + g.n_samples) for g in to_fill])
        valid = np.flatnonzero(~np.isnan(arr))
        out[idx] = np.interp(idx, valid, arr[valid])
    return GapReport(values=readonly(out), gaps=gaps, fs=fs, max_gap_s=float(max_gap_s))
