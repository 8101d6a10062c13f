"""Beat-to-beat (RR) intervals, one per line: plain exports such as Elite HRV's RR text file.

One interval in milliseconds per line, an optional header line (``RR (ms)``); values below 10 are taken as
seconds. Elite HRV exports the intervals of a reading this way (one integer per line, no header) in a file
named by the reading's date and time (``2017-06-29 13-11-53.txt``), which is then taken as its start
(local time). Otherwise the file carries no clock time, so two such files are taken to start together
(reported). Example::

    RR (ms)
    812
    790
    805
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from empathy_explorer.errors import RecordingError
from empathy_explorer.recordings._common import (
    _RR_TOKENS,
    HR_RANGE_BPM,
    Track,
    _check_one_column,
    _decode,
    _is_number_text,
    _label,
    _median,
    _num,
    _read_bytes,
    _Text,
    _tokens,
    rr_track,
)
from empathy_explorer.recordings._table import _to_float, read_csv_bytes

NAME = "RR intervals (one per line; Elite HRV)"


def _parse_rr(text: _Text, label: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The intervals (ms), the file line of each, and notes."""
    notes: list[str] = []
    skip = _header_lines(text, label)
    frame = _read_column(text, skip, label)
    lines = np.arange(frame.shape[0], dtype=np.int64) + skip + 1
    rr = _to_float(frame.iloc[:, 0], "RR interval", lines, label, ".")
    keep = ~np.isnan(rr)
    rr, lines = rr[keep], lines[keep]
    if rr.size < 2:
        raise RecordingError("The RR file needs at least two intervals.", source=label)
    rr = _checked_intervals(rr, lines, label, notes)
    return rr, lines, notes


def _header_lines(text: _Text, label: str) -> int:
    """How many lines (up to five lines of words, or one blank line) come before the first interval."""
    skip = 0
    for ln in text.lines:
        if ln.strip() and not _is_number_text(ln):
            if len(ln.split(",")) > 1 or len(ln.split(";")) > 1 or len(ln.split("\t")) > 1:
                raise RecordingError(
                    "An RR-interval file holds one column: one interval in milliseconds per line.",
                    source=label,
                    row=skip + 1,
                )
            if skip >= 5:
                break
            skip += 1
        elif not ln.strip() and skip == 0:
            skip += 1
        else:
            break
    return skip


def _read_column(text: _Text, skip: int, label: str) -> pd.DataFrame:
    """The lines after the header as a table of one column (anything else is refused)."""
    _check_one_column(text.data, skip, label, "An RR-interval file")
    try:
        frame = read_csv_bytes(text, sep=";", skiprows=skip, header=None)
    except pd.errors.EmptyDataError:
        raise RecordingError("The RR file has no intervals.", source=label) from None
    except (pd.errors.ParserError, UnicodeError, ValueError, OverflowError):
        raise RecordingError(
            "The RR file cannot be read: it must hold one interval in milliseconds per line.", source=label
        ) from None
    lines = np.arange(frame.shape[0], dtype=np.int64) + skip + 1
    if frame.shape[1] != 1:
        raise RecordingError(
            "An RR-interval file holds one column: one interval in milliseconds per line.",
            source=label,
            row=int(lines[0]),
        )
    return frame


def _checked_intervals(rr: np.ndarray, lines: np.ndarray, label: str, notes: list[str]) -> np.ndarray:
    """Positive intervals in ms (seconds converted), each a possible heart rate."""
    not_positive = ~(rr > 0) | np.isinf(rr)
    if not_positive.any():
        i = int(np.flatnonzero(not_positive)[0])
        raise RecordingError(
            f"The RR interval {rr[i]:g} is not a positive number of milliseconds. Correct or delete this "
            "line.",
            source=label,
            row=int(lines[i]),
        )
    if _median(rr) < 10.0:
        with np.errstate(over="ignore"):
            rr = rr * 1000.0
        notes.append(f"{label}: RR intervals look like seconds (median below 10); converted to milliseconds.")
    with np.errstate(divide="ignore", over="ignore"):
        hr = np.where(rr > 0, 60000.0 / np.where(rr > 0, rr, 1.0), np.inf)
    bad = (hr < HR_RANGE_BPM[0]) | (hr > HR_RANGE_BPM[1])
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise RecordingError(
            f"The interval {rr[i]:g} ms means a heart rate of {hr[i]:.3g} bpm, outside the possible range "
            f"{HR_RANGE_BPM[0]:g}–{HR_RANGE_BPM[1]:g} bpm. Remove artefacts (missed or extra beats) first.",
            source=label,
            row=int(lines[i]),
        )
    return rr


def read_rr(source: object, *, name: str | None = None) -> np.ndarray:
    """Read a file of beat-to-beat (RR) intervals in milliseconds (one person).

    Parameters
    ----------
    source : path, bytes or file object
        One interval per line; an optional header line (``RR (ms)``). Values below 10 are taken as
        seconds and converted (reported by :func:`load_recording`).
    name : str, optional
        File name used in messages.

    Returns
    -------
    numpy.ndarray
        The intervals, ms.

    Raises
    ------
    RecordingError
        For non-numeric lines or intervals meaning a heart rate outside 20–250 bpm (the message names the
        line).

    Examples
    --------
    >>> read_rr(b"RR (ms)\\n812\\n790\\n805\\n").tolist()
    [812.0, 790.0, 805.0]
    """
    label = _label(source, name, "RR file")
    return _parse_rr(_decode(_read_bytes(source, label), label), label)[0]


def _looks_like_rr(text: _Text) -> bool:
    rows = [ln.strip() for ln in text.lines if ln.strip()][:50]
    if len(rows) < 2:
        return False
    header = rows[0]
    body = rows[1:] if not _is_number_text(header) else rows
    if any(d in r for r in body for d in (",", ";", "\t")):
        return False
    if not _is_number_text(header) and not (_tokens(header) & _RR_TOKENS):
        return False
    nums = [_num(r) for r in body if _is_number_text(r)]
    return bool(nums) and (200 <= _median(nums) <= 3000 or not _is_number_text(header))


def sniff(text: _Text, label: str) -> tuple[bool, str]:
    """One number per line (an optional ``RR`` header line) with a median of 200–3000 ms."""
    if _looks_like_rr(text):
        return True, "one beat interval per line"
    return False, "not one beat interval per line"


#: Elite HRV names each exported reading by its date and time, e.g. ``2017-06-29 13-11-53.txt`` (seen in
#: real exports, tests/data/real/elite_hrv).
_ELITE_STAMP = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2}) (\d{2})-(\d{2})-(\d{2})(?!\d)")


def parse(text: _Text, label: str, *, kind: str | None, max_gap_s: float, person: str) -> Track:
    """Heart rate at 4 Hz from the intervals; clock time only from an Elite HRV file name."""
    rr, _, notes = _parse_rr(text, label)
    start = None
    match = _ELITE_STAMP.search(label)
    if match:
        y, mo, d, h, mi, sec = match.groups()
        try:
            stamp = pd.Timestamp(f"{y}-{mo}-{d} {h}:{mi}:{sec}")
        except ValueError:  # not a real date (e.g. month 13): the name carries no clock
            stamp = None
        if stamp is not None and not pd.isna(stamp):
            start = stamp.value / 1e9
            notes.append(
                f"{label}: start {y}-{mo}-{d} {h}:{mi}:{sec} taken from the file name (Elite HRV names its "
                "exports by the reading's date and time; local time)."
            )
    return rr_track(rr, label, "RR-interval file", start_s=start, clock="local", notes=notes)
