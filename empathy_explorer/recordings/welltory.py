"""Welltory RR export: all beat-to-beat intervals of a measurement on one line.

The intervals (milliseconds, integers) are written on a single line separated by spaces (as in the
``RR.txt`` files of the Welltory PPG dataset, whose ``datatypes.md`` says: "RR-intervals in milliseconds as
space separated integers") or by commas. No clock time. Example::

    1203 1124 974 1168 1268 1051 1117 1225 1176 1073
"""

from __future__ import annotations

import re

import numpy as np

from empathy_explorer.recordings._common import Track, _Text, lines_of, rr_track

NAME = "Welltory (intervals on one line)"
_SEP = re.compile(r"[\s,;]+")


def _numbers(line: str) -> list[str]:
    return [c for c in _SEP.split(line.strip()) if c]


def sniff(text: _Text, label: str) -> tuple[bool, str]:
    """One or two non-empty lines, the first holding at least 10 intervals of 200–3000 ms."""
    rows = [ln for ln in text.lines if ln.strip()]
    if not 1 <= len(rows) <= 2:
        return False, "not a single line of intervals"
    cells = _numbers(rows[0])
    if len(cells) < 10 or not all(re.fullmatch(r"\d+(\.\d+)?", c) for c in cells):
        return False, "the line does not hold numbers only"
    med = float(np.median([float(c) for c in cells]))
    if not 200 <= med <= 3000:
        return False, f"median {med:g} is not a beat interval in ms"
    return True, f"{len(cells)} beat intervals (ms) on one line"


def parse(text: _Text, label: str, *, kind: str | None, max_gap_s: float, person: str) -> Track:
    """Heart rate at 4 Hz from the intervals (no clock time)."""
    rows = [ln for ln in lines_of(text) if ln.strip()]
    rr = np.array([float(c) for c in _numbers(rows[0])])
    return rr_track(rr, label, "Welltory RR export", start_s=None, notes=[])
