"""From chosen columns to a Session: value and time checks, one regular time grid, gaps, resampling.

:func:`_regularise` puts table rows on a regular grid, :func:`_handle_gaps` fills short gaps and refuses
long ones, and :func:`_finish` resamples, checks length and variation and builds the
:class:`~empathy_explorer.sessions.Session`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from empathy_explorer import preprocess
from empathy_explorer.errors import InputError, RecordingError
from empathy_explorer.recordings._common import (
    _KIND_NAMES,
    _KINDS,
    _MAX_ABS_TIME_S,
    EDA_MAX_US,
    HR_RANGE_BPM,
    MAX_FS,
    MAX_SAMPLES,
    MIN_DURATION_S,
    MIN_FS,
    _median,
    _tokens,
    resample_np,
)
from empathy_explorer.recordings._table import _Column, _Table
from empathy_explorer.sessions.session import DEFAULT_UNITS, PEOPLE, Session
from empathy_explorer.validation import format_seconds


def _check_values(values: np.ndarray, lines: np.ndarray, kind: str, what: str, label: str) -> None:
    """Refuse infinite and physiologically impossible values, naming the first offending line."""
    inf = np.isinf(values)
    if inf.any():
        i = int(np.flatnonzero(inf)[0])
        raise RecordingError(
            f"The {what} value is infinite or too large to be a measurement. Correct or delete this line.",
            source=label,
            row=int(lines[i]),
        )
    with np.errstate(invalid="ignore"):
        if kind == "eda":
            bad = (values < 0) | (values > EDA_MAX_US)
        elif kind == "hr":
            bad = (values < HR_RANGE_BPM[0]) | (values > HR_RANGE_BPM[1])
        else:
            return
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        v = values[i]
        if kind == "eda" and v < 0:
            msg = (
                f"The {what} skin conductance is negative ({v:g} µS), which is impossible. Check the "
                "sensor export (an offset or a baseline-corrected signal?) and give raw values in µS."
            )
        elif kind == "eda":
            msg = (
                f"The {what} skin conductance is {v:g}, far above any value in µS (limit "
                f"{EDA_MAX_US:g} µS). Convert the column to microsiemens (nS / 1000)."
            )
        else:
            msg = (
                f"The {what} heart rate is {v:g} bpm, outside the possible range "
                f"{HR_RANGE_BPM[0]:g}–{HR_RANGE_BPM[1]:g} bpm. Remove artefacts (missed or extra beats) "
                "or check that the column holds beats per minute."
            )
        raise RecordingError(msg, source=label, row=int(lines[i]))


def _check_times(t: np.ndarray, lines: np.ndarray, name: str, label: str) -> None:
    bad = ~np.isfinite(t) | (np.abs(np.nan_to_num(t, nan=0.0, posinf=np.inf)) > _MAX_ABS_TIME_S)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        what = "missing" if np.isnan(t[i]) else f"{t[i]:g}, not a time in seconds"
        raise RecordingError(
            f"The time in column {name!r} is {what}. Every line needs its time in seconds.",
            source=label,
            row=int(lines[i]),
        )
    if t.size < 2:
        return
    dt = np.diff(t)
    for backwards in (False, True):  # a repeated time stamp first, then one that goes back
        bad = (dt < 0) if backwards else (dt == 0)
        if not bad.any():
            continue
        i = int(np.flatnonzero(bad)[0]) + 1
        before = int(lines[i - 1])
        message = (
            f"The time goes backwards: {t[i]:g} s comes after {t[i - 1]:g} s (line {before}). "
            "Sort the file by time, or remove rows pasted twice."
            if backwards
            else f"Duplicate time stamp: {t[i]:g} s appears again (also on line {before}). "
            "Remove the repeated line."
        )
        raise RecordingError(message, source=label, row=int(lines[i]))


def _nice_fs(step_s: float, rel_tol: float = 2e-4) -> float:
    """Sampling rate from a time step, snapped to a whole number of Hz (or a simple fraction) when the
    time stamps were printed with few decimals (1/128 s written as 0.007812)."""
    fs = 1.0 / step_s
    for denominator in (1, 2, 4, 8, 10, 100):
        nice = round(fs * denominator) / denominator
        if nice > 0 and abs(nice - fs) <= rel_tol * fs:
            return float(nice)
    return float(f"{fs:.6g}")


def _check_grid(n: int, fs: float, label: str) -> None:
    if n > MAX_SAMPLES:
        raise RecordingError(
            f"The recording would need {n:,} samples at {fs:g} Hz, too many for this app. Check the time "
            "column (seconds, not milliseconds?) or cut the recording.",
            source=label,
        )


@dataclass
class _Prepared:
    fs: float
    start_s: float
    columns: dict[tuple[str, str], np.ndarray]  # (kind, person) -> regular values with NaN
    line_at: np.ndarray  # file line of every regular sample
    gridded: bool = False  # samples interpolated between time stamps (line_at: the stamp before)


def _regularise(
    table: _Table,
    time_col: _Column | None,
    signals: dict[str, tuple[_Column, _Column]],
    fs: float | None,
    max_gap_s: float,
    label: str,
    notes: list[str],
) -> _Prepared:
    """Put the chosen columns on one regular time grid (rows -> samples), checking times and values."""
    idx = _measured_rows(table, time_col, [c for pair in signals.values() for c in pair], label, notes)
    lines = table.lines[idx]
    raw = {(k, person): pair[j].values[idx] for k, pair in signals.items() for j, person in enumerate(PEOPLE)}
    for (k, person), v in raw.items():
        _check_values(v, lines, k, f"{person}'s", label)
    if time_col is None:
        if fs is None:
            raise RecordingError(
                "There is no time column and no sampling rate. Add a column 'time' in seconds (0, 0.25, "
                "0.5 ... for 4 samples per second) as the first column.",
                source=label,
                row=table.header_line,
            )
        return _Prepared(fs=fs, start_s=0.0, columns=raw, line_at=lines)
    t = time_col.values[idx]
    _check_times(t, lines, time_col.name, label)
    if "ms" in _tokens(time_col.name):
        t = t / 1000.0
        notes.append(f"{label}: time column {time_col.name!r} read as milliseconds.")
    if t.size < 2:
        raise RecordingError("The file has fewer than two lines of data.", source=label, row=int(lines[0]))
    dt = np.diff(t)
    step = _median(dt)
    regular = float(np.max(np.abs(dt - step))) <= 0.02 * step
    if regular and (fs is None or abs(fs * step - 1.0) <= 0.02):
        rate = _nice_fs((t[-1] - t[0]) / (t.size - 1)) if fs is None else fs
        return _Prepared(fs=rate, start_s=float(t[0]), columns=raw, line_at=lines)
    rate = fs if fs is not None else _nice_fs(step, rel_tol=0.01)
    return _interpolate_onto_grid(t, raw, lines, rate, step, max_gap_s, label, notes)


def _measured_rows(
    table: _Table, time_col: _Column | None, used: list[_Column], label: str, notes: list[str]
) -> np.ndarray:
    """Indexes of the rows kept: blank lines dropped, and lines with a time but no measurement at the start
    or end skipped (reported)."""
    lines = table.lines
    keep = np.zeros(lines.size, dtype=bool)
    for col in used:
        keep |= ~np.isnan(col.values)
    if time_col is not None:
        keep |= ~np.isnan(time_col.values)
    idx = np.flatnonzero(keep)  # blank lines are dropped
    if idx.size == 0:
        raise RecordingError("The measurement columns are empty.", source=label)
    has_value = np.zeros(lines.size, dtype=bool)
    for col in used:
        has_value |= ~np.isnan(col.values)
    if not has_value.any():
        raise RecordingError("The measurement columns are empty.", source=label)
    first, last = np.flatnonzero(has_value)[[0, -1]]
    n_cut = int((idx < first).sum() + (idx > last).sum())
    if n_cut:  # lines with a time but no measurement at all, before the first or after the last one
        notes.append(f"{label}: {n_cut} line(s) with a time but no measurements at the start/end skipped.")
        idx = idx[(idx >= first) & (idx <= last)]
    return idx


def _interpolate_onto_grid(
    t: np.ndarray,
    raw: dict[tuple[str, str], np.ndarray],
    lines: np.ndarray,
    rate: float,
    step: float,
    max_gap_s: float,
    label: str,
    notes: list[str],
) -> _Prepared:
    """Irregular time stamps: every column interpolated onto a regular ``rate`` Hz grid (no extrapolation)."""
    n = math.floor((t[-1] - t[0]) * rate + 1e-9) + 1
    _check_grid(n, rate, label)
    bridge = max(max_gap_s, 1.5 / rate)
    columns = {}
    for key, v in raw.items():
        ok = ~np.isnan(v)
        if ok.sum() < 2:
            raise RecordingError(
                f"The {key[1]}'s column has fewer than two values.", source=label, row=int(lines[0])
            )
        grid, values = preprocess.to_uniform(t, v, rate, max_gap_s=bridge)
        valid_t = t[ok]
        values[(grid < valid_t[0] - 1e-9) | (grid > valid_t[-1] + 1e-9)] = np.nan  # no extrapolation
        columns[key] = values
        n_missing = int(v.size - ok.sum())
        if n_missing:
            notes.append(f"{label}: {n_missing} missing {key[1]} value(s) bridged by interpolation.")
    pos = np.clip(np.searchsorted(t, grid, side="right") - 1, 0, t.size - 1)
    notes.append(
        f"{label}: time stamps are irregular (median step {step:g} s); values interpolated onto a regular "
        f"{rate:g} Hz grid."
    )
    return _Prepared(fs=rate, start_s=float(t[0]), columns=columns, line_at=lines[pos], gridded=True)


def _handle_gaps(prep: _Prepared, max_gap_s: float, label: str, notes: list[str]) -> _Prepared:
    """Fill short gaps, refuse long ones, cut short missing stretches at the start or end."""
    n = next(iter(prep.columns.values())).size
    lo, hi = 0, n
    filled = {}
    for (k, person), v in prep.columns.items():
        report = preprocess.fill_gaps(v, prep.fs, max_gap_s=max_gap_s)
        for gap in report.long_gaps:
            first = int(prep.line_at[gap.start_index])
            last = int(prep.line_at[min(gap.start_index + gap.n_samples - 1, n - 1)])
            if prep.gridded:
                after = gap.start_index + gap.n_samples
                nxt = int(prep.line_at[after]) if after < n else last
                span = f"between line {first} and line {max(nxt, first + 1)}"
            else:
                span = f"lines {first}–{last}" if last != first else f"line {first}"
            if not gap.at_edge:
                raise RecordingError(
                    f"{format_seconds(gap.duration_s)} of the {person}'s values are missing ({span}), longer "
                    f"than the {format_seconds(max_gap_s)} that can be filled in. Cut the recording "
                    "before or after the gap, or analyse the parts separately.",
                    source=label,
                    row=first,
                )
            if gap.duration_s > max(max_gap_s, 10.0 / prep.fs):
                other = "clinician" if person == "patient" else "patient"
                where = "ends" if gap.start_index > 0 else "starts"
                raise RecordingError(
                    f"The columns have unequal lengths: the {person}'s column {where} "
                    f"{format_seconds(gap.duration_s)} {'before' if where == 'ends' else 'after'} the "
                    f"{other}'s ({span} have no {person} value). Cut both columns to the same stretch of "
                    "time.",
                    source=label,
                    row=first,
                )
            if gap.start_index == 0:
                lo = max(lo, gap.n_samples)
            else:
                hi = min(hi, gap.start_index)
        if report.filled:
            notes.append(f"{label}: {person}'s {k}: {report.describe()}")
        filled[(k, person)] = np.asarray(report.values)
    if lo > 0 or hi < n:
        notes.append(
            f"{label}: {format_seconds((lo + n - hi) / prep.fs)} at the start/end without a value for "
            "everyone was cut off."
        )
    if hi - lo < 2:
        raise RecordingError("The file has no stretch where both people have values.", source=label)
    cols = {key: v[lo:hi] for key, v in filled.items()}
    return _Prepared(
        fs=prep.fs, start_s=prep.start_s + lo / prep.fs, columns=cols, line_at=prep.line_at[lo:hi]
    )


def _finish(
    columns: dict[tuple[str, str], np.ndarray],
    fs: float,
    label: str,
    *,
    notes: list[str],
    fs_out: float | None,
    title: str,
    description: str,
    units: dict[str, str] | None = None,
    metadata: dict[str, str] | None = None,
) -> Session:
    """Resample to the output rate, check length and variation, and build the Session.

    Skin conductance and heart rate faster than :data:`MAX_FS` are resampled down to it; other signals
    (the games' ``position`` or ``taps`` columns, whose unit comes from ``units``) keep their rate.
    """
    columns, fs = _resample_columns(columns, fs, fs_out, label, notes)
    n = _checked_length(columns, fs, label)
    order = [k for k in _KINDS if (k, "patient") in columns] + sorted(
        {k for k, _ in columns if k not in _KINDS}
    )
    signals = {k: (columns[(k, "patient")][:n], columns[(k, "clinician")][:n]) for k in order}
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "recording"
    try:
        return Session(
            id=f"upload-{slug}",
            title=title,
            description=description,
            fs=fs,
            signals=signals,
            units={k: (units or {}).get(k) or DEFAULT_UNITS.get(k, "") for k in signals},
            simulated=False,
            notes=tuple(notes),
            metadata=dict(metadata or {}),
        )
    except InputError as exc:  # pragma: no cover - defensive: every check above should have caught it
        raise RecordingError(str(exc), source=label) from None


def _resample_columns(
    columns: dict[tuple[str, str], np.ndarray], fs: float, fs_out: float | None, label: str, notes: list[str]
) -> tuple[dict[tuple[str, str], np.ndarray], float]:
    """The columns at ``fs_out``, or skin conductance and heart rate faster than :data:`MAX_FS` at it."""
    physiological = all(k in _KINDS for k, _ in columns)
    target = fs_out if fs_out is not None else (MAX_FS if fs > MAX_FS and physiological else None)
    if target is None or target == fs:
        return columns, fs
    n_in = min(v.size for v in columns.values())
    if n_in * target / fs > MAX_SAMPLES:
        raise RecordingError(
            f"The recording is too long for this app at {target:g} Hz ({format_seconds(n_in / fs)}); "
            "cut it into parts.",
            source=label,
        )
    if fs_out is None:
        notes.append(f"{label}: resampled from {fs:g} Hz to {target:g} Hz.")
    return {key: resample_np(v, fs, target) for key, v in columns.items()}, target


def _checked_length(columns: dict[tuple[str, str], np.ndarray], fs: float, label: str) -> int:
    """Samples per person, after checking the length, the rate and that no signal is constant."""
    n = min(v.size for v in columns.values())
    if n > MAX_SAMPLES:
        raise RecordingError(
            f"The recording is too long for this app ({format_seconds(n / fs)} at {fs:g} Hz); cut it into "
            "parts.",
            source=label,
        )
    if fs < MIN_FS:
        raise RecordingError(
            f"The sampling rate is {fs:g} Hz, too slow for synchrony analysis: at least {MIN_FS:g} Hz (one "
            "sample every 2 s) is needed. Check the time column (seconds) or the sampling rate.",
            source=label,
        )
    duration = n / fs
    if duration < MIN_DURATION_S:
        raise RecordingError(
            f"The recording is too short to analyse: {format_seconds(duration)} of data, and at least "
            f"{format_seconds(MIN_DURATION_S)} are needed (one 30 s window plus ±5 s of lag).",
            source=label,
        )
    for (k, person), v in columns.items():
        finite = v[:n][np.isfinite(v[:n])]
        if finite.size and finite.min() == finite.max():
            raise RecordingError(
                f"The {person}'s {_KIND_NAMES.get(k, k)} is constant (every value is {finite[0]:g}): it "
                "never "
                "changes, so there is nothing to correlate. Check that the sensor was recording and that "
                "the right column was chosen.",
                source=label,
            )
    return n
