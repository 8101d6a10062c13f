"""HRV Logger (Marco Altini's app) ``RRIntervals.csv`` export.

A comma-separated table with a header line naming a clock-time column (``timestamp``), the interval in
milliseconds (``rr``) and the time since the start (``since start``). In the layout described in the issue
that asked for this reader the clock time is the phone's local time (example below); real exports of 2023
(``timestamp, rr, since_start``, a blank second line, ChristianKoplenig/hrv_public, see
``tests/data/real/SOURCES.md``) give Unix time in milliseconds (UTC), e.g. ``1675889367255,894,34096``.
The beat times are taken from the clock of the first line plus the running sum of intervals. Example::

    timestamp,rr,since start
    2024-03-01 10:00:00.812,812,812
    2024-03-01 10:00:01.602,790,1602
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from empathy_explorer.errors import RecordingError
from empathy_explorer.recordings._common import Track, _Text, rr_track

NAME = "HRV Logger RRIntervals.csv"


def _header(text: _Text) -> list[str]:
    rows = [ln for ln in text.lines if ln.strip()]
    return [c.strip().strip('"').lower() for c in rows[0].split(",")] if rows else []


def sniff(text: _Text, label: str) -> tuple[bool, str]:
    """A header with ``rr`` and ``since start`` (or ``since_start``) columns."""
    head = [h.replace("_", " ") for h in _header(text)]
    if "rr" in head and any(h.startswith("since start") for h in head):
        return True, "header with 'rr' and 'since start' columns (HRV Logger)"
    return False, "no 'rr' and 'since start' columns"


def parse(text: _Text, label: str, *, kind: str | None, max_gap_s: float, person: str) -> Track:
    """Heart rate at 4 Hz from the ``rr`` column, aligned on the first line's clock time."""
    try:
        frame = pd.read_csv(io.BytesIO(text.data), encoding=text.encoding, skipinitialspace=True)
    except (pd.errors.ParserError, ValueError, UnicodeError):
        raise RecordingError("This HRV Logger file cannot be read as a table.", source=label) from None
    frame.columns = [str(c).strip().lower().replace("_", " ") for c in frame.columns]
    rr = pd.to_numeric(frame["rr"], errors="coerce").to_numpy(dtype=np.float64)
    if np.isnan(rr).any():
        i = int(np.flatnonzero(np.isnan(rr))[0])
        raise RecordingError("The rr value on this line is not a number.", source=label, row=i + 2)
    start = None
    clock = "local"
    notes: list[str] = []
    if "timestamp" in frame.columns:
        first = frame["timestamp"].iloc[0]
        number = pd.to_numeric(pd.Series([first]), errors="coerce").iloc[0]
        if not pd.isna(number):
            # newer exports: Unix time in milliseconds (UTC), e.g. 1675889367255; never read it as a date
            # string (pandas would take the integer as nanoseconds since 1970)
            unix_s = float(number) / 1000.0 if float(number) > 1e11 else float(number)
            if unix_s > 1e8:
                start, clock = unix_s - rr[0] / 1000.0, "utc"
                stamp_text = pd.Timestamp(unix_s, unit="s").strftime("%Y-%m-%d %H:%M:%S UTC")
                notes.append(f"{label}: HRV Logger, first beat at {stamp_text} (Unix time {first}).")
        else:
            stamp = pd.to_datetime(first, errors="coerce")
            if not pd.isna(stamp):
                start = stamp.value / 1e9 - rr[0] / 1000.0
                notes.append(f"{label}: HRV Logger, first beat at {first} (phone clock).")
    return rr_track(rr, label, "HRV Logger RR export", start_s=start, clock=clock, notes=notes)
