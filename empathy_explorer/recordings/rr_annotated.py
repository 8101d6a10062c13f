"""RR intervals with an annotation column, separated by a space or a tab.

Each line holds one interval in milliseconds and a beat label, e.g. ``N`` (normal) or ``V`` (ventricular
ectopic), the labels of the MIT-BIH annotation convention used by PhysioNet tools such as ``ann2rr``; a
header line is optional. All intervals are used as given (an ectopic beat still ends an interval); how
many carry each label is reported, so that a user can clean the file first if needed. No clock time.
Example::

    812 N
    790 N
    1240 V
"""

from __future__ import annotations

import re

import numpy as np

from empathy_explorer.errors import RecordingError
from empathy_explorer.recordings._common import Track, _Text, lines_of, rr_track

NAME = "RR intervals with annotations"
_ROW = re.compile(r"^\s*(\d+(?:\.\d+)?)[ \t]+([A-Za-z~|+\"!/\[\]()^0-9]{1,6})\s*$")


def sniff(text: _Text, label: str) -> tuple[bool, str]:
    """Most lines are ``<interval> <label>`` with a letter label and intervals around 200–3000 ms."""
    rows = [ln for ln in text.lines if ln.strip()][:200]
    body = rows[1:] if rows and not _ROW.match(rows[0]) else rows
    hits = [m for m in (_ROW.match(r) for r in body) if m]
    if len(body) < 3 or len(hits) < 0.9 * len(body):
        return False, "lines are not '<interval> <label>'"
    if not any(re.search(r"[A-Za-z]", m.group(2)) for m in hits):
        return False, "the second column holds no beat labels"
    med = float(np.median([float(m.group(1)) for m in hits]))
    if not 200 <= med <= 3000:
        return False, f"median {med:g} is not a beat interval in ms"
    return True, "beat intervals (ms) with a beat label on each line"


def parse(text: _Text, label: str, *, kind: str | None, max_gap_s: float, person: str) -> Track:
    """Heart rate at 4 Hz from all the intervals; the labels are counted in the notes."""
    rr: list[float] = []
    labels: list[str] = []
    for i, line in enumerate(lines_of(text), start=1):
        if not line.strip():
            continue
        m = _ROW.match(line)
        if m is None:
            if not rr:
                continue  # a header line
            raise RecordingError(
                "This line is not an interval in ms followed by a beat label.", source=label, row=i
            )
        rr.append(float(m.group(1)))
        labels.append(m.group(2))
    counts = {lab: labels.count(lab) for lab in sorted(set(labels))}
    notes = [
        f"{label}: beat labels {', '.join(f'{k} {v}' for k, v in counts.items())}; every interval was used "
        "as given."
    ]
    return rr_track(np.array(rr), label, "annotated RR file", start_s=None, notes=notes)
