"""Polar Sensor Logger (Polar H10 and other Polar sensors) RR and HR text files.

Semicolon-separated text with a header line: the RR file has ``Phone timestamp;RR-interval [ms]``, the HR
file ``Phone timestamp;HR [bpm];...``; the phone timestamp is an ISO clock time
(``2024-03-01T10:00:00.812``) of the phone (local time). Column names as seen in public code reading these
exports (not checked against documentation from the app's author; see ``tests/data/real/SOURCES``).
Example::

    Phone timestamp;RR-interval [ms]
    2024-03-01T10:00:00.812;812
    2024-03-01T10:00:01.602;790
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from empathy_explorer import preprocess
from empathy_explorer.errors import RecordingError
from empathy_explorer.recordings._common import Track, _Text, rr_track

NAME = "Polar Sensor Logger (H10) RR / HR"


def sniff(text: _Text, label: str) -> tuple[bool, str]:
    """A header starting with ``Phone timestamp`` and an RR-interval or HR column."""
    rows = [ln for ln in text.lines if ln.strip()]
    head = rows[0].lower() if rows else ""
    if head.startswith("phone timestamp") and ("rr-interval" in head or "hr [bpm]" in head):
        return True, "Polar Sensor Logger header (Phone timestamp; RR-interval / HR)"
    return False, "no 'Phone timestamp' header"


def parse(text: _Text, label: str, *, kind: str | None, max_gap_s: float, person: str) -> Track:
    """Heart rate: 4 Hz from the RR intervals, or the HR column put on a 1 Hz grid."""
    try:
        frame = pd.read_csv(io.BytesIO(text.data), sep=";", encoding=text.encoding)
    except (pd.errors.ParserError, ValueError, UnicodeError):
        raise RecordingError(
            "This Polar Sensor Logger file cannot be read as a table.", source=label
        ) from None
    cols = {str(c).strip().lower(): c for c in frame.columns}
    when = pd.to_datetime(frame[cols["phone timestamp"]], errors="coerce")
    if when.isna().all():
        raise RecordingError("The 'Phone timestamp' column holds no clock times.", source=label, row=2)
    t = (when - pd.Timestamp(0)).dt.total_seconds().to_numpy(dtype=np.float64)
    rr_col = next((c for k, c in cols.items() if k.startswith("rr-interval")), None)
    notes = [f"{label}: Polar Sensor Logger, first line at {when.iloc[0]} (phone clock)."]
    if rr_col is not None:
        rr = pd.to_numeric(frame[rr_col], errors="coerce").to_numpy(dtype=np.float64)
        return rr_track(rr, label, "Polar Sensor Logger RR file", start_s=float(t[0] - rr[0] / 1000.0),
                        clock="local", notes=notes)  # fmt: skip
    hr = pd.to_numeric(frame[cols["hr [bpm]"]], errors="coerce").to_numpy(dtype=np.float64)
    ok = np.isfinite(hr) & np.isfinite(t) & (hr > 0)
    if ok.sum() < 2 or not np.all(np.diff(t[ok]) > 0):
        raise RecordingError("The HR column needs increasing clock times and heart rates.", source=label)
    _, values = preprocess.to_uniform(t[ok] - t[ok][0], hr[ok], 1.0, max_gap_s=max(max_gap_s, 2.0))
    return Track(
        values, 1.0, float(t[ok][0]), "hr", label, "Polar Sensor Logger HR file", notes, clock="local"
    )
