"""Generic two-person CSV: a column per person, a time column (or a sampling rate), ``#`` comment lines.

Columns are separated by commas, semicolons or tabs (sniffed); decimal commas are read in semicolon- or
tab-separated files. Who is who comes from the header (``patient``/``clinician``, ``p``/``c``,
``client``/``therapist``, ``player_a``/``player_b`` ...). Leading ``# key: value`` lines are kept as the
session's ``metadata``; a game round file (``# empathy-explorer round: 1``, see
``docs``/ROUND_FORMAT) is read with ``player_a`` as person 1, ``player_b`` as person 2, and its ``signal``
and ``unit`` header lines as the signal kind and unit (no µS / bpm range check). Example::

    # kind: mirror_a_leads
    # signal: position
    # unit: track
    time_s,player_a,player_b
    0.00,0.5000,0.5000
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from empathy_explorer.errors import RecordingError
from empathy_explorer.recordings._columns import _choose_columns
from empathy_explorer.recordings._common import _KIND_NAMES, MAX_GAP_S, _Text
from empathy_explorer.recordings._grid import _check_grid, _finish, _handle_gaps, _regularise
from empathy_explorer.recordings._table import _read_table
from empathy_explorer.sessions.session import Session

NAME = "Two-person CSV (a column per person)"
_META = re.compile(r"^\s*#\s*([^:#]{1,60}?)\s*:\s*(.*?)\s*$")


def metadata(text: _Text) -> dict[str, str]:
    """The ``# key: value`` pairs of the comment lines at the top of the file."""
    out: dict[str, str] = {}
    for line in text.lines:
        if not line.strip():
            continue
        if not line.lstrip().startswith("#"):
            break
        m = _META.match(line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


@dataclass(frozen=True)
class TableOptions:
    """What the caller said about a two-person table; ``None`` means: read it from the file or guess it.

    The arguments of :func:`~empathy_explorer.recordings.load_recording` of the same names.
    """

    fs: float | None = None
    time_column: str | None = None
    patient_column: str | None = None
    clinician_column: str | None = None
    kind: str | None = None
    fs_out: float | None = None
    max_gap_s: float = MAX_GAP_S


def load(text: _Text, label: str, options: TableOptions) -> Session:
    """Read the two-person table into a Session (see the module documentation)."""
    fs, max_gap_s = options.fs, options.max_gap_s
    time_column, patient_column, clinician_column = (
        options.time_column,
        options.patient_column,
        options.clinician_column,
    )
    kind = options.kind
    meta = metadata(text)
    units = None
    round_file = "empathy-explorer round" in meta
    table = _read_table(text, label)
    if not table.lines.size:
        raise RecordingError("The file has a header line but no data lines.", source=label)
    if round_file and patient_column is None:
        signal = re.sub(r"[^a-z0-9_]", "", meta.get("signal", "position").lower()) or "position"
        names = {c.name for c in table.columns}
        if not {"player_a", "player_b"} <= names:
            raise RecordingError(
                "This game round file has no 'player_a' and 'player_b' columns. Download the round again "
                "from the game page.",
                source=label,
                row=table.header_line,
            )
        patient_column, clinician_column, kind = "player_a", "player_b", signal
        time_column = time_column or ("time_s" if "time_s" in names else None)
        units = {signal: meta.get("unit", "")}
    time_col, signals, notes = _choose_columns(
        table,
        label,
        time_column=time_column,
        patient_column=patient_column,
        clinician_column=clinician_column,
        kind=kind,
        fs=fs,
    )
    if round_file:
        notes = [f"{label}: game round ({meta.get('kind', '?')}); person 1 = player_a, person 2 = player_b."]
    notes = table.notes + notes
    prep = _regularise(table, time_col, signals, fs, max_gap_s, label, notes)
    _check_grid(next(iter(prep.columns.values())).size, prep.fs, label)
    prep = _handle_gaps(prep, max_gap_s, label, notes)
    kinds = ", ".join(_KIND_NAMES.get(k, k) for k in signals)
    return _finish(
        prep.columns,
        prep.fs,
        label,
        notes=notes,
        fs_out=options.fs_out,
        title=label,
        description=f"Recording from {label}: {kinds}.",
        units=units,
        metadata=meta,
    )
