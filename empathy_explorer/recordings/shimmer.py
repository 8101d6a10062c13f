"""Shimmer (Consensys) CSV exports of a Shimmer3 GSR+ sensor: one person's skin conductance.

The export may start with a ``sep=`` line (for Excel), then a line of signal names prefixed by the device
(``Shimmer_8A3B_Timestamp_Unix_CAL``, ``Shimmer_8A3B_GSR_Skin_Conductance_CAL`` ...), a line of units
(``ms``, ``uS``, ``kOhms``) and the samples; columns are separated by tabs or commas. The Unix time
stamps (ms) are the clock. Skin conductance is read from the calibrated ``Skin_Conductance`` column in µS,
or from the calibrated ``GSR`` column in kΩ converted with µS = 1000 / kΩ. Column names as seen in public
code reading Shimmer exports and in one real Consensys export (tab-separated, ``"sep=\t"`` first line,
clock column ``TimestampSync_Unix_CAL`` in ms written like ``1.6791453375584922E12``; see
``tests/data/real/SOURCES.md``); not checked against a Shimmer manual.
Example::

    "sep=,"
    Shimmer_8A3B_Timestamp_Unix_CAL,Shimmer_8A3B_GSR_Skin_Conductance_CAL
    ms,uS
    1709287200000.0,2.31
    1709287200007.8,2.31
"""

from __future__ import annotations

import numpy as np

from empathy_explorer.errors import RecordingError
from empathy_explorer.recordings._common import Track, _Text
from empathy_explorer.recordings._grid import _check_values, _handle_gaps, _regularise
from empathy_explorer.recordings._table import _read_table

NAME = "Shimmer CSV (GSR+)"


def sniff(text: _Text, label: str) -> tuple[bool, str]:
    """A header line naming ``Shimmer_`` signals or a ``Timestamp_Unix_CAL`` column."""
    for line in text.lines[:4]:
        low = line.lower()
        if "shimmer_" in low or "timestamp_unix_cal" in low:
            return True, "Shimmer signal names in the header"
    return False, "no Shimmer signal names"


def parse(text: _Text, label: str, *, kind: str | None, max_gap_s: float, person: str) -> Track:
    """Skin conductance (µS) on a regular grid, with the Unix clock of the first sample."""
    if kind == "hr":
        raise RecordingError(
            "This is a Shimmer skin-conductance (GSR) export, not heart rate. Choose heart-rate files for "
            "both people, or skin conductance for both.",
            source=label,
        )
    table = _read_table(text, label)
    low = {c.name.lower(): c for c in table.columns}
    # Consensys names the clock Timestamp_Unix_CAL, or TimestampSync_Unix_CAL when sensors were synchronised
    # (seen in a real export, tests/data/real/shimmer); both are Unix milliseconds
    time_col = next((c for k, c in low.items() if "timestamp_unix_cal" in k), None)
    if time_col is None:
        time_col = next((c for k, c in low.items() if "timestampsync_unix_cal" in k), None)
    sc = next((c for k, c in low.items() if "skin_conductance" in k and "cal" in k), None)
    notes = list(table.notes)
    if sc is None:
        ohm = next((c for k, c in low.items() if "gsr" in k and "cal" in k and "kohm" in k), None)
        if ohm is None:
            raise RecordingError(
                "This Shimmer export has no calibrated skin-conductance column (GSR_Skin_Conductance_CAL, "
                "µS) or skin-resistance column (GSR_CAL, kOhms). Export the GSR channel calibrated.",
                source=label,
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            values = 1000.0 / ohm.values
        notes.append(f"{label}: skin resistance (kOhm) converted to conductance: µS = 1000 / kOhm.")
        sc = type(ohm)(ohm.name, values)
    if time_col is None:
        raise RecordingError(
            "This Shimmer export has no Timestamp_Unix_CAL (or TimestampSync_Unix_CAL) column (ms).",
            source=label,
        )
    t_ms = time_col.values
    time = type(time_col)("time ms", t_ms - np.nanmin(t_ms))
    _check_values(
        sc.values[np.isfinite(sc.values)], table.lines[np.isfinite(sc.values)], "eda", f"{person}'s", label
    )
    prep = _regularise(table, time, {"eda": (sc, sc)}, None, max_gap_s, label, notes)
    prep = _handle_gaps(prep, max_gap_s, label, notes)
    values = prep.columns[("eda", "patient")]
    start = float(np.nanmin(t_ms)) / 1000.0 + prep.start_s
    notes.append(f"{label}: Shimmer export, {prep.fs:g} Hz, skin conductance from column {sc.name!r}.")
    return Track(values, prep.fs, start, "eda", label, "Shimmer CSV", notes)
