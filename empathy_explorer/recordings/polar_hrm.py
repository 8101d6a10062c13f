"""Polar ``.hrm`` files (Polar ProTrainer / Polar Precision Performance exports).

An INI-like text file: ``[Params]`` holds ``Date=YYYYMMDD``, ``StartTime=hh:mm:ss.s`` (the watch's local
clock) and ``Interval=``: the recording interval in seconds, or ``238`` for beat-to-beat (R-R) recording;
``[HRData]`` holds one sample per line, the first column being the heart rate in bpm (or, in R-R mode, the
interval in ms). Layout as in Polar's "Polar HRM file format" description (referenced by the ``hrv``
package's documentation) and the ``.hrm`` files read by that package. Example::

    [Params]
    Version=106
    Date=20080208
    StartTime=08:50:31.0
    Interval=238

    [HRData]
    783
    752
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from empathy_explorer.errors import RecordingError
from empathy_explorer.recordings._common import Track, _Text, lines_of, rr_track

NAME = "Polar .hrm"
RR_MODE = 238


def sniff(text: _Text, label: str) -> tuple[bool, str]:
    """A ``[Params]`` section first and an ``[HRData]`` section later."""
    head = [ln.strip() for ln in text.lines if ln.strip()]
    if head and head[0] == "[Params]":
        return True, "starts with the [Params] section of a Polar .hrm file"
    return False, "no [Params] section"


def _sections(rows: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = ""
    for line in rows:
        s = line.strip()
        if s.startswith("[") and s.endswith("]"):
            current = s[1:-1]
            out[current] = []
        elif current:
            out[current].append(s)
    return out


def parse(text: _Text, label: str, *, kind: str | None, max_gap_s: float, person: str) -> Track:
    """Heart rate: from the R-R intervals (``Interval=238``) or the sampled heart rate."""
    sec = _sections(lines_of(text))
    params = dict(p.split("=", 1) for p in sec.get("Params", []) if "=" in p)
    data = [r for r in sec.get("HRData", []) if r]
    if not data:
        raise RecordingError("This Polar .hrm file has no [HRData] section with samples.", source=label)
    try:
        first = np.array([float(r.split()[0]) for r in data])
        interval = int(float(params.get("Interval", "1")))
    except ValueError:
        raise RecordingError(
            "The [HRData] section of this .hrm file holds text, not numbers.", source=label
        ) from None
    start = None
    try:
        stamp = pd.Timestamp(f"{params['Date']} {params['StartTime']}")
        start = stamp.value / 1e9
    except (KeyError, ValueError):
        pass
    clock = f"started {params.get('Date', '?')} {params.get('StartTime', '?')} (watch clock)"
    notes = [f"{label}: Polar .hrm, {clock}."]
    if interval == RR_MODE:
        return rr_track(first, label, "Polar .hrm (R-R mode)", start_s=start, clock="local", notes=notes)
    if interval <= 0:
        raise RecordingError(f"Interval={interval} in [Params] is not a recording interval.", source=label)
    fs = 1.0 / interval
    values = first.copy()
    values[values <= 0] = np.nan  # the watch writes 0 while it has no contact
    notes.append(f"{label}: heart rate sampled every {interval} s.")
    return Track(values, fs, start, "hr", label, "Polar .hrm", notes, clock="local")
