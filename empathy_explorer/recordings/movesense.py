"""Movesense heart-rate exports (HR with RR data, one CSV per sensor).

Layout as seen in a public two-person Movesense session (``tests/data/real/SOURCES``; no Movesense
documentation was checked): an optional title line holding ``HeartRate``, a header line
``Average,RRData``, then lines with the average heart rate (bpm) and an RR interval (ms), or with only an
RR interval when several beats came in one notification. The RR intervals are used; the clock comes from
a ``YYYY_MM_DD-hh_mm_ss`` time in the file name (the session start, local time), when there is one.
Example (``HR-2025_01_25-16_42_59.csv``)::

    Average,RRData
    73.700005,808
    74.5,784
    873
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from empathy_explorer.errors import RecordingError
from empathy_explorer.recordings._common import Track, _Text, lines_of, rr_track

NAME = "Movesense HR/RR CSV"
_STAMP = re.compile(r"(\d{4})_(\d{2})_(\d{2})-(\d{2})_(\d{2})_(\d{2})")


def sniff(text: _Text, label: str) -> tuple[bool, str]:
    """A header line ``Average,RRData`` within the first three lines."""
    for line in text.lines[:3]:
        if line.replace(" ", "").lower().startswith("average,rrdata"):
            return True, "header 'Average,RRData' (Movesense HR export)"
    return False, "no 'Average,RRData' header"


def parse(text: _Text, label: str, *, kind: str | None, max_gap_s: float, person: str) -> Track:
    """Heart rate at 4 Hz from the RR column."""
    rows = lines_of(text)
    head = next(i for i, ln in enumerate(rows) if ln.replace(" ", "").lower().startswith("average,rrdata"))
    rr = []
    for i, line in enumerate(rows[head + 1 :], start=head + 2):
        cells = [c.strip() for c in line.split(",") if c.strip()]
        if not cells:
            continue
        try:
            rr.append(float(cells[-1]))
        except ValueError:
            raise RecordingError("The RR value on this line is not a number.", source=label, row=i) from None
    match = _STAMP.search(label)
    start = None
    notes = []
    if match:
        y, mo, d, h, mi, s = match.groups()
        start = pd.Timestamp(f"{y}-{mo}-{d} {h}:{mi}:{s}").value / 1e9
        notes.append(f"{label}: Movesense, start {y}-{mo}-{d} {h}:{mi}:{s} from the file name (local time).")
    return rr_track(np.array(rr), label, "Movesense HR/RR export", start_s=start, clock="local", notes=notes)
