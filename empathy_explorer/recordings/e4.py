"""Empatica E4 files: ``EDA.csv`` and ``HR.csv`` are read; ``IBI.csv`` gives heart rate; the others are named.

Layout (the ``info.txt`` Empatica writes into every session ZIP, and the *wearables* R package's ``read_e4``
documentation): line 1 is the start of the session as Unix seconds (UTC), line 2 the sampling rate in Hz,
then one sample per line. ``EDA.csv`` is skin conductance in µS at 4 Hz, ``HR.csv`` the average heart rate
in bpm at 1 Hz, ``TEMP.csv`` skin temperature in °C at 4 Hz, ``BVP.csv`` the raw light (photoplethysmograph)
signal at 64 Hz and ``ACC.csv`` three accelerometer columns (x, y, z in 1/64 g) at 32 Hz, with the start
time and rate repeated in each column. ``IBI.csv`` has the header line ``<start>, IBI`` and then one
detected beat per line: its time after the start (s) and the interval since the beat before (s); beats
the wristband could not detect (movement) are simply missing. ``tags.csv`` holds button presses as Unix
times. Example (``EDA.csv``)::

    1560279825.000000
    4.000000
    0.000000
    0.020499

Each file is recognised by its own header and shape (rate line, number of columns, the ``IBI`` header)
and by plausible values, then by its name; a file that is not the signal asked for is refused with a
message saying what it is, never read as something else.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from empathy_explorer import preprocess
from empathy_explorer.errors import RecordingError
from empathy_explorer.recordings._common import (
    _KIND_NAMES,
    Track,
    _check_one_column,
    _decode,
    _is_number_text,
    _label,
    _num,
    _read_bytes,
    _Text,
    _tokens,
    lines_of,
)
from empathy_explorer.recordings._grid import _check_values
from empathy_explorer.recordings._table import _to_float, read_csv_bytes
from empathy_explorer.validation import format_seconds

NAME = "Empatica E4"

#: What each E4 member file holds, in words for messages.
WHAT = {
    "eda": "an E4 skin-conductance file (EDA.csv, 4 Hz, µS)",
    "hr": "an E4 heart-rate file (HR.csv, 1 Hz, bpm)",
    "temp": "an E4 skin-temperature file (TEMP.csv, 4 Hz, °C)",
    "bvp": "an E4 blood-volume-pulse file (BVP.csv, 64 Hz: the raw light signal of the pulse sensor)",
    "acc": "an E4 accelerometer file (like ACC.csv: 32 Hz, three columns x, y, z)",
    "ibi": "an E4 beat-interval file (IBI.csv: the time of each detected beat and the interval before it)",
    "tags": "an E4 tags file (tags.csv: the times the button was pressed)",
}
#: Least share of the time covered by detected beats for IBI.csv to stand in for heart rate.
MIN_IBI_COVERAGE = 0.5
_NAME_KINDS = {
    "eda": {"eda", "gsr"},
    "hr": {"hr", "heartrate"},
    "temp": {"temp", "temperature"},
    "bvp": {"bvp", "ppg"},
    "acc": {"acc", "accelerometer"},
    "ibi": {"ibi"},
    "tags": {"tags", "tag"},
}


@dataclass(frozen=True)
class E4File:
    """One Empatica E4 signal file (``EDA.csv``, ``HR.csv``...).

    Attributes
    ----------
    values : numpy.ndarray
        The samples (µS for EDA, bpm for HR), NaN where a line was empty.
    fs : float
        Sampling rate, Hz (line 2 of the file).
    start_unix_s : float
        Start of the recording, Unix seconds UTC (line 1 of the file).
    source : str
        File name, for messages.
    """

    values: np.ndarray
    fs: float
    start_unix_s: float
    source: str

    @property
    def duration_s(self) -> float:
        """Length of the recording, seconds."""
        return self.values.size / self.fs


def _first_fields(text: _Text) -> list[list[str]]:
    return [[c.strip() for c in ln.split(",")] for ln in text.lines[:3]]


def _is_start(cell: str) -> bool:
    return _is_number_text(cell) and 1e8 <= _num(cell) <= 1e10


def _looks_like_e4(text: _Text) -> bool:
    rows = _first_fields(text)
    if len(rows) < 2 or not rows[0] or not all(_is_number_text(c) for c in rows[0] + rows[1]):
        return False
    start = _num(rows[0][0])
    return 1e8 <= start <= 1e10 and len(set(rows[0])) == 1 and len(rows[1]) == len(rows[0])


def _looks_like_e4_shape(text: _Text) -> bool:
    """Two single-number header lines: the E4 layout, even with a wrong start time or rate."""
    rows = _first_fields(text)
    return len(rows) >= 2 and all(r and all(_is_number_text(c) for c in r) for r in rows[:2])


def _is_ibi(text: _Text) -> bool:
    rows = _first_fields(text)
    return bool(rows) and len(rows[0]) == 2 and _is_start(rows[0][0]) and rows[0][1].upper() == "IBI"


def _is_tags(text: _Text) -> bool:
    rows = [r for r in _first_fields(text) if r and r[0]]
    return (
        bool(rows)
        and all(len(r) == 1 and _is_start(r[0]) for r in rows)
        and (len(rows) < 2 or _num(rows[1][0]) > 1e8)
    )


def sniff(text: _Text, label: str) -> tuple[bool, str]:
    """Is this an Empatica E4 file? (start-time line, rate line, or the ``IBI`` header)."""
    if _is_ibi(text):
        return True, "line 1 is a Unix start time followed by 'IBI' (E4 IBI.csv)"
    if _looks_like_e4(text):
        return True, "line 1 is a Unix start time and line 2 a sampling rate (E4 layout)"
    if _is_tags(text):
        return True, "every line is a Unix time (E4 tags.csv)"
    from empathy_explorer.recordings.rr import _looks_like_rr

    rows = _first_fields(text)
    same = len(rows) >= 2 and len(rows[0]) == len(rows[1]) and len(set(rows[0])) == 1
    if same and _looks_like_e4_shape(text) and not _looks_like_rr(text):
        return True, "two one-number header lines (E4 layout, but with a wrong start time or rate)"
    return False, "line 1 is not a Unix start time"


def identify(text: _Text, label: str) -> str:
    """Which E4 file this is: ``eda``, ``hr``, ``temp``, ``bvp``, ``acc``, ``ibi`` or ``tags``.

    The file's own header decides first (the ``IBI`` header, three columns, the rate line: 1 Hz is HR,
    64 Hz BVP, 32 Hz ACC), then its name (``TEMP``, ``HR``...), then its values (4 Hz samples that all lie
    between 20 and 42 with a median of 25–40 are a skin temperature in °C, not a conductance in µS).
    """
    if _is_ibi(text):
        return "ibi"
    rows = _first_fields(text)
    if rows and len(rows[0]) == 3:
        return "acc"
    if _is_tags(text) and not _looks_like_e4(text):
        return "tags"
    fs = _num(rows[1][0]) if len(rows) > 1 and rows[1] and _is_number_text(rows[1][0]) else math.nan
    toks = _tokens(re.sub(r"\.[a-z0-9]+$", "", label.split("/")[-1], flags=re.I))
    by_name = [k for k, words in _NAME_KINDS.items() if toks & words]
    if fs == 64:
        return "bvp"
    if fs == 32 and by_name != ["eda"]:
        return "acc"
    if fs == 1 and by_name in ([], ["hr"]):
        return "hr"
    if len(by_name) == 1 and by_name[0] in ("temp", "bvp", "acc"):
        return by_name[0]
    sample = [_num(ln) for ln in text.lines[2:400] if _is_number_text(ln.split(",")[0]) and "," not in ln]
    if sample and fs == 4:
        v = np.asarray(sample)
        if v.min() >= 20 and v.max() <= 42 and 25 <= float(np.median(v)) <= 40:
            return "temp"
    if len(by_name) == 1 and by_name[0] in ("eda", "hr"):
        return by_name[0]
    return "eda"


def _parse_e4(text: _Text, label: str) -> E4File:
    start, fs = _start_and_rate(text, label)
    return E4File(values=_samples(text, label), fs=fs, start_unix_s=start, source=label)


def _start_and_rate(text: _Text, label: str) -> tuple[float, float]:
    """Line 1: the start time (Unix seconds); line 2: the sampling rate (Hz)."""
    rows = _first_fields(text)
    if not rows or not rows[0] or not _is_number_text(rows[0][0]):
        raise RecordingError(
            "Line 1 of an Empatica E4 file must be the start time in Unix seconds (e.g. 1600000000.0).",
            source=label,
            row=1,
        )
    if len(rows[0]) > 1:
        raise RecordingError(
            f"This E4 file has {len(rows[0])} columns (like ACC.csv); choose the one-column EDA.csv or "
            "HR.csv.",
            source=label,
            row=1,
        )
    start = _num(rows[0][0])
    if not (1e8 <= start <= 1e10):
        raise RecordingError(
            f"Line 1 should be the start time in Unix seconds (like 1600000000), but it is {start:g}.",
            source=label,
            row=1,
        )
    if len(rows) < 2 or not rows[1] or not _is_number_text(rows[1][0]):
        raise RecordingError("Line 2 of an E4 file must be the sampling rate in Hz.", source=label, row=2)
    fs = _num(rows[1][0])
    if not (0 < fs <= 1000) or not math.isfinite(fs):
        raise RecordingError(
            f"Line 2 should be the sampling rate in Hz (4 for EDA), but it is {fs:g}.", source=label, row=2
        )
    return start, fs


def _samples(text: _Text, label: str) -> np.ndarray:
    """The one column of samples after the two header lines, up to the last one present."""
    _check_one_column(text.data, 2, label, "An E4 EDA.csv or HR.csv file")
    try:
        frame = read_csv_bytes(text, sep=",", skiprows=2, header=None)
    except pd.errors.EmptyDataError:
        raise RecordingError("The E4 file has no samples after its two header lines.", source=label) from None
    except pd.errors.ParserError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise RecordingError(
            "Every line of an E4 EDA file must hold one number.",
            source=label,
            row=int(match.group(1)) if match else None,
        ) from None
    except (UnicodeError, ValueError, OverflowError):
        raise RecordingError("The E4 file cannot be read; save it again as CSV.", source=label) from None
    lines = np.arange(frame.shape[0], dtype=np.int64) + 3
    if frame.shape[1] != 1:
        raise RecordingError(
            f"An E4 EDA file has one column, this one has {frame.shape[1]}.", source=label, row=3
        )
    values = _to_float(frame.iloc[:, 0], "samples", lines, label, ".")
    present = np.flatnonzero(~np.isnan(values))
    if present.size == 0:
        raise RecordingError("The E4 file has no samples after its two header lines.", source=label, row=3)
    values = values[: present[-1] + 1]
    return values


def read_e4(source: object, *, name: str | None = None) -> E4File:
    """Read one Empatica E4 signal file (``EDA.csv`` or ``HR.csv``; one person).

    Parameters
    ----------
    source : path, bytes or file object
        The file. Line 1: start time as Unix seconds (UTC); line 2: sampling rate in Hz; then one sample
        per line.
    name : str, optional
        File name used in messages (default: the path's name or ``"E4 file"``).

    Returns
    -------
    E4File

    Raises
    ------
    RecordingError
        When the file does not have this layout (the message names the line).

    Examples
    --------
    >>> f = read_e4(b"1600000000.0\\n4.0\\n0.5\\n0.6\\n0.7\\n0.8\\n", name="EDA.csv")
    >>> f.fs, f.start_unix_s, f.duration_s
    (4.0, 1600000000.0, 1.0)
    """
    label = _label(source, name, "E4 file")
    return _parse_e4(_decode(_read_bytes(source, label), label), label)


def _value_range(text: _Text) -> str:
    sample = [_num(ln) for ln in text.lines[2:] if "," not in ln and _is_number_text(ln)]
    if not sample:
        return ""
    lo, hi = float(np.percentile(sample, 1)), float(np.percentile(sample, 99))
    return f" Its values lie between {lo:.1f} and {hi:.1f}."


def _wrong(what: str, kind: str | None, label: str, text: _Text | None = None) -> RecordingError:
    wanted = _KIND_NAMES.get(kind or "", "skin conductance (EDA) or heart rate (HR)")
    if what in ("temp", "bvp", "acc", "tags"):
        wanted = "skin conductance (EDA) or heart rate (HR)" if kind is None else _KIND_NAMES[kind]
    if what == "ibi" and kind == "eda":
        wanted = _KIND_NAMES["eda"]
    pick = {"eda": "EDA.csv", "hr": "HR.csv (or IBI.csv)"}.get(kind or "", "EDA.csv (or HR.csv)")
    values = _value_range(text) if text is not None and what == "temp" else ""
    return RecordingError(
        f"This is {WHAT[what]}, not {wanted}.{values} Choose each person's {pick} from the E4 session, or "
        "upload the whole session ZIP.",
        source=label,
        row=1,
    )


def _ibi_track(text: _Text, label: str) -> Track:
    rows = lines_of(text)
    start = _num(rows[0].split(",")[0])
    body = [r for r in rows[1:] if r.strip()]
    try:
        arr = np.array([[float(c) for c in r.split(",")[:2]] for r in body], dtype=np.float64)
    except ValueError:
        raise RecordingError(
            "Every line after the first of an E4 IBI.csv must hold two numbers: the time of a beat and the "
            "interval before it, in seconds.",
            source=label,
        ) from None
    if arr.ndim != 2 or arr.shape[0] < 3 or arr.shape[1] != 2:
        raise RecordingError("This E4 IBI.csv holds fewer than three beats.", source=label)
    t, ibi = arr[:, 0], arr[:, 1]
    if not (np.all(np.diff(t) > 0) and np.all(ibi > 0)):
        raise RecordingError("The beat times of this IBI.csv do not increase.", source=label)
    hr = 60.0 / ibi
    bad = (hr < 20) | (hr > 250)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise RecordingError(
            f"The interval {ibi[i]:g} s means {hr[i]:.3g} bpm, outside 20–250 bpm.", source=label, row=i + 2
        )
    fs = 4.0
    begin = t - ibi  # each interval runs from the beat before to this beat
    n = math.floor((t[-1] - begin[0]) * fs) + 1
    grid = begin[0] + np.arange(n) / fs
    # heart rate at each beat, plus the start of the first interval, joined by straight lines
    times = np.concatenate([[begin[0]], t])
    rates = np.concatenate([[hr[0]], hr])
    values = np.interp(grid, times, rates)
    idx = np.clip(np.searchsorted(t, grid, side="left"), 0, t.size - 1)
    covered = grid >= begin[idx] - 1e-9
    share = float(covered.mean())
    span = format_seconds(float(t[-1] - begin[0]))
    notes = [
        f"{label}: Empatica E4 IBI.csv, {t.size} detected beats over {span}; "
        f"{share:.0%} of that time lies inside detected beat intervals. Between detected beats the heart "
        "rate is joined by straight lines (not measured there)."
    ]
    return Track(values, fs, start + float(begin[0]), "hr", label, "E4 IBI.csv", notes, covered=covered)


def parse(text: _Text, label: str, *, kind: str | None, max_gap_s: float, person: str) -> Track:
    """One person's E4 signal: EDA.csv, HR.csv, or IBI.csv as heart rate; any other E4 file is refused."""
    what = identify(text, label)
    if what == "ibi":
        if kind == "eda":
            raise _wrong(what, kind, label)
        return _ibi_track(text, label)
    if what not in ("eda", "hr") or (kind is not None and kind != what):
        raise _wrong(what, kind, label, text)
    e4 = _parse_e4(text, label)
    lines = np.arange(e4.values.size) + 3
    if what == "eda":
        med = float(np.nanmedian(e4.values)) if e4.values.size else 0.0
        if e4.fs <= 1 and 40 <= med <= 200:
            raise RecordingError(
                f"This E4 file samples at {e4.fs:g} Hz with values around {med:.0f}: it looks like heart "
                "rate (HR.csv, bpm), not skin conductance. Choose each person's EDA.csv.",
                source=label,
                row=2,
            )
    _check_values(e4.values, lines, what, f"{person}'s", label)
    report = preprocess.fill_gaps(e4.values, e4.fs, max_gap_s=max_gap_s)
    for gap in report.long_gaps:
        raise RecordingError(
            f"{format_seconds(gap.duration_s)} of samples are missing (lines {gap.start_index + 3}–"
            f"{gap.start_index + gap.n_samples + 2}). Cut the file before or after the gap.",
            source=label,
            row=gap.start_index + 3,
        )
    notes = [
        f"{label}: Empatica E4 file, {e4.fs:g} Hz, {format_seconds(e4.duration_s)}, {_KIND_NAMES[what]}."
    ]
    return Track(np.asarray(report.values), e4.fs, e4.start_unix_s, what, label, "Empatica E4", notes)


# ----------------------------------------------------------------------------------- session ZIPs
SESSION_MEMBERS = ("EDA.csv", "HR.csv", "IBI.csv", "TEMP.csv", "BVP.csv", "ACC.csv", "tags.csv", "info.txt")


def is_session(names: list[str]) -> bool:
    """Do these member names (no folders) look like one E4 session (EDA.csv plus two other E4 files)?"""
    base = {n.split("/")[-1] for n in names}
    return "EDA.csv" in base and len(base & set(SESSION_MEMBERS)) >= 3


def pick_member(names: list[str], kind: str | None) -> tuple[str, str]:
    """The member file to read for ``kind`` (EDA.csv; HR.csv, else IBI.csv) and the signal kind it gives."""
    base = {n.split("/")[-1]: n for n in names}
    if kind in (None, "eda") and "EDA.csv" in base:
        return base["EDA.csv"], "eda"
    if kind == "hr":
        for member in ("HR.csv", "IBI.csv"):
            if member in base:
                return base[member], "hr"
    wanted = "EDA.csv" if kind in (None, "eda") else "HR.csv or IBI.csv"
    raise RecordingError(f"This E4 session has no {wanted}; the files in it are {', '.join(sorted(base))}.")
