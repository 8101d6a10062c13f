"""Choosing a two-person table's columns: time, and one per person for each signal kind.

Given names (``time_column=``, ``patient_column=``, ...) are looked up; otherwise the header's words are
read (:data:`~empathy_explorer.recordings._common._PATIENT_TOKENS`, ...), and every guess is written to the
session's notes.
"""

from __future__ import annotations

import numpy as np

from empathy_explorer.errors import ParameterError, RecordingError
from empathy_explorer.recordings._common import (
    _CLINICIAN_TOKENS,
    _KIND_NAMES,
    _KIND_TOKENS,
    _KINDS,
    _PATIENT_TOKENS,
    _TIME_TOKENS,
    _tokens,
)
from empathy_explorer.recordings._table import _Column, _Table
from empathy_explorer.sessions.session import PEOPLE


def _kind_of(name: str) -> str | None:
    toks = _tokens(name)
    found = [k for k, words in _KIND_TOKENS.items() if toks & words]
    return found[0] if len(found) == 1 else None


def _person_of(name: str) -> str | None:
    toks = _tokens(name)
    is_p = bool(toks & _PATIENT_TOKENS)
    is_c = bool(toks & _CLINICIAN_TOKENS)
    if is_p and not is_c:
        return "patient"
    if is_c and not is_p:
        return "clinician"
    return None


def _list_names(columns: list[_Column], limit: int = 8) -> str:
    names = ", ".join(repr(c.name[:40]) for c in columns[:limit])
    return names + (f" and {len(columns) - limit} more" if len(columns) > limit else "")


def _find(table: _Table, wanted: str, what: str, label: str) -> _Column:
    for col in table.columns:
        if col.name == wanted or col.name.lower() == str(wanted).strip().lower():
            return col
    raise RecordingError(
        f"There is no column named {wanted!r} for the {what}. The columns are: {_list_names(table.columns)}.",
        source=label,
        row=table.header_line,
    )


def _check_kind(kind: object) -> str | None:
    if kind is None:
        return None
    if kind not in _KINDS:
        raise ParameterError(
            f"kind must be 'eda' (skin conductance, µS) or 'hr' (heart rate, bpm); got {kind!r}."
        )
    return str(kind)


def _choose_columns(
    table: _Table,
    label: str,
    *,
    time_column: str | None,
    patient_column: str | None,
    clinician_column: str | None,
    kind: str | None,
    fs: float | None,
) -> tuple[_Column | None, dict[str, tuple[_Column, _Column]], list[str]]:
    """The time column (or ``None``) and, per signal kind, the (patient, clinician) columns, with notes."""
    notes: list[str] = []
    time_col = _choose_time_column(table, label, time_column, fs, notes)
    if patient_column is not None or clinician_column is not None:
        signals = _named_pair(table, label, patient_column, clinician_column, kind, time_col, notes)
        return time_col, signals, notes
    people = [(c, _person_of(c.name), _kind_of(c.name)) for c in table.columns if c is not time_col]
    if kind is not None:
        people = [t for t in people if t[2] in (None, kind)]
    if any(person for _, person, _ in people):
        signals = _pairs_from_words(people, kind, label, table.header_line, notes)
    else:
        rest = [c for c in table.columns if c is not time_col]
        signals = _unnamed_pair(people, rest, kind, label, table.header_line, notes)
    used = {id(c) for pair in signals.values() for c in pair} | {id(time_col)}
    ignored = [c.name for c in table.columns if id(c) not in used]
    if ignored:
        notes.append(f"{label}: ignored column(s) {', '.join(repr(n) for n in ignored)}.")
    return time_col, signals, notes


def _choose_time_column(
    table: _Table, label: str, time_column: str | None, fs: float | None, notes: list[str]
) -> _Column | None:
    """The column named ``time_column``, else the first whose name says time, else a headerless first
    column that only rises (three columns, no ``fs``)."""
    if time_column is not None:
        return _find(table, time_column, "time", label)
    time_col = None
    for col in table.columns:
        toks = _tokens(col.name)
        if toks & _TIME_TOKENS and not (toks & (_PATIENT_TOKENS | _CLINICIAN_TOKENS) - {"s", "t"}):
            if _person_of(col.name) is None and _kind_of(col.name) is None:
                time_col = col
                break
    if time_col is None and fs is None and table.columns and table.columns[0].name == "column 1":
        values = table.columns[0].values
        ok = values[np.isfinite(values)]
        if len(table.columns) == 3 and ok.size > 2 and bool(np.all(np.diff(ok) > 0)):
            time_col = table.columns[0]
            notes.append(f"{label}: no header; the first column was taken as the time in seconds.")
    if time_col is not None and time_col.name != "column 1":
        notes.append(f"{label}: time from column {time_col.name!r}.")
    return time_col


def _assumed_kind(label: str, notes: list[str]) -> str:
    notes.append(
        f"{label}: signal type not in the header; assumed {_KIND_NAMES['eda']} (a column name "
        "with 'hr' or 'bpm' marks heart rate)."
    )
    return "eda"


def _named_pair(
    table: _Table,
    label: str,
    patient_column: str | None,
    clinician_column: str | None,
    kind: str | None,
    time_col: _Column | None,
    notes: list[str],
) -> dict[str, tuple[_Column, _Column]]:
    """The two person columns the caller named (``patient_column=``, ``clinician_column=``)."""
    if patient_column is None or clinician_column is None:
        raise ParameterError("Give both patient_column and clinician_column, or neither (to guess).")
    p = _find(table, patient_column, "patient", label)
    c = _find(table, clinician_column, "clinician", label)
    k = kind or _kind_of(p.name) or _kind_of(c.name) or _assumed_kind(label, notes)
    if p is c or p is time_col or c is time_col:
        raise ParameterError(
            "patient_column, clinician_column and the time column must be three different columns; got "
            f"patient {p.name!r}, clinician {c.name!r}, time {time_col.name if time_col else None!r}."
        )
    return {k: (p, c)}


_Guess = tuple[_Column, str | None, str | None]  # a column, whose it is and its kind (from its name)


def _unnamed_pair(
    people: list[_Guess], rest: list[_Column], kind: str | None, label: str, header_row: int, notes: list[str]
) -> dict[str, tuple[_Column, _Column]]:
    """No column names a person: two columns are taken in order (reported as a guess), more are refused."""
    if len(people) != 2:
        names = _list_names(rest) or "none"
        raise RecordingError(
            "Cannot tell which column is the patient and which the clinician (columns besides time: "
            f"{names}). Name them 'patient' and 'clinician' in the header line.",
            source=label,
            row=header_row,
        )
    (p, _, kp), (c, _, kc) = people
    notes.append(
        f"{label}: the header does not say who is who; GUESSED patient = {p.name!r}, clinician = "
        f"{c.name!r} (first and second column). If this is wrong, write 'patient' and 'clinician' in "
        "the header line."
    )
    return {kind or kp or kc or "eda": (p, c)}


def _pairs_from_words(
    people: list[_Guess], kind: str | None, label: str, header_row: int, notes: list[str]
) -> dict[str, tuple[_Column, _Column]]:
    """One (patient, clinician) pair per signal kind, from the words of the column names."""
    by_kind: dict[str | None, dict[str, list[_Column]]] = {}
    for col, person, k in people:
        if person is not None:
            by_kind.setdefault(k, {"patient": [], "clinician": []})[person].append(col)
    signals: dict[str, tuple[_Column, _Column]] = {}
    for k, sides in by_kind.items():
        _check_one_per_person(sides, k, label, header_row)
        real_kind = kind or k or _assumed_kind(label, notes)
        if real_kind in signals:
            raise RecordingError(
                f"Two pairs of columns hold {_KIND_NAMES[real_kind]}; keep only one pair of columns in "
                "the file.",
                source=label,
                row=header_row,
            )
        signals[real_kind] = (sides["patient"][0], sides["clinician"][0])
    guessed = "; ".join(
        f"{_KIND_NAMES[k]}: patient = {p.name!r}, clinician = {c.name!r}" for k, (p, c) in signals.items()
    )
    notes.append(f"{label}: columns guessed from the header ({guessed}).")
    return signals


def _check_one_per_person(
    sides: dict[str, list[_Column]], k: str | None, label: str, header_row: int
) -> None:
    for person in PEOPLE:
        if len(sides[person]) > 1:
            raise RecordingError(
                f"Several columns could be the {person}'s "
                f"{_KIND_NAMES.get(k or '', 'signal')}: "
                f"{_list_names(sides[person])}. Rename the columns so that only one says '{person}'.",
                source=label,
                row=header_row,
            )
    missing = [person for person in PEOPLE if not sides[person]]
    if missing:
        found = [f"{person} = {sides[person][0].name!r}" for person in PEOPLE if sides[person]]
        raise RecordingError(
            f"Found {found[0]} but no column for the {missing[0]}. A recording needs one column per "
            f"person; name it '{missing[0]}' in the header line.",
            source=label,
            row=header_row,
        )
