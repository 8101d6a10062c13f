"""Shared pieces of the recording readers: reading bytes, decoding text, tables, checks, the Session.

Every format module (:mod:`.e4`, :mod:`.polar_hrm`, ...) builds on these; :mod:`empathy_explorer.recordings`
asks each format's ``sniff`` in turn and calls the ``parse`` of the first that says yes.
"""

from __future__ import annotations

import codecs
import dataclasses
import io
import itertools
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from empathy_explorer import preprocess
from empathy_explorer.errors import InputError, ParameterError, RecordingError
from empathy_explorer.sessions.session import DEFAULT_UNITS, PEOPLE, Session
from empathy_explorer.validation import as_fs, as_signal, format_seconds

#: Largest file accepted (bytes): 20 MB, about 10 hours of two 4 Hz signals or 50 minutes at 256 Hz.
MAX_FILE_BYTES: int = 20_000_000
#: Shortest recording accepted (seconds): the synchrony default window (30 s) plus twice its largest lag
#: (5 s).
MIN_DURATION_S: float = 40.0
#: Fastest sampling rate kept (Hz); faster recordings are resampled down to it.
MAX_FS: float = 32.0
#: Slowest sampling rate accepted (Hz): a 30 s window then still holds 15 samples.
MIN_FS: float = 0.5
#: Longest run of missing samples filled by straight-line interpolation (seconds), by default.
MAX_GAP_S: float = 2.0
#: Heart rates outside this range (bpm) are treated as impossible (a measurement error).
HR_RANGE_BPM: tuple[float, float] = (20.0, 250.0)
#: Skin conductance above this (µS) is not a plausible value in µS (perhaps nS or kΩ).
EDA_MAX_US: float = 100.0
#: Most columns read from a CSV (a recording needs a time column and one per person).
MAX_COLUMNS: int = 200
#: Most samples per signal after resampling (memory bound for the app).
MAX_SAMPLES: int = 2_000_000

_KINDS = ("eda", "hr")
_KIND_NAMES = {"eda": "skin conductance (EDA, µS)", "hr": "heart rate (bpm)"}
_HEAD_BYTES = 65_536
_MAX_ABS_TIME_S = 1e11  # beyond year 5000 as Unix seconds: not a time stamp

_PATIENT_TOKENS = {
    "patient", "patients", "pat", "pt", "p", "client", "person1", "p1", "subject", "participant",
    "partner1", "speaker1", "user1",
}  # fmt: skip
_CLINICIAN_TOKENS = {
    "clinician", "clin", "c", "therapist", "th", "doctor", "dr", "doc", "physician", "counselor",
    "counsellor", "nurse", "interviewer", "person2", "p2", "partner2", "provider", "psychiatrist",
    "psychologist", "speaker2", "user2", "student", "therapeut", "arzt",
}  # fmt: skip
_KIND_TOKENS = {
    "eda": {"eda", "gsr", "sc", "scl", "skin", "conductance", "electrodermal", "us", "µs", "μs",
            "microsiemens", "siemens"},
    "hr": {"hr", "bpm", "heart", "heartrate", "pulse"},
}  # fmt: skip
_TIME_TOKENS = {"time", "times", "t", "sec", "secs", "seconds", "s", "timestamp", "elapsed", "ms", "zeit"}
_RR_TOKENS = {"rr", "rri", "ibi", "nn", "interval", "intervals", "ms", "rr_ms"}
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+,\d+\s*$")
_NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


# ------------------------------------------------------------------------------------------- helpers
def _is_number_text(text: str) -> bool:
    text = text.strip().strip('"').strip("'")
    return bool(_NUMBER.match(text)) or text.lower() in {"nan", "inf", "-inf", "+inf"}


def _num(text: str) -> float:
    """A number written in a header line (after :func:`_is_number_text` said it is one)."""
    return float(text.strip().strip('"').strip("'").strip())


def _median(values: object) -> float:
    with np.errstate(all="ignore"):
        return float(np.median(np.asarray(values, dtype=np.float64)))


def _tokens(name: str) -> set[str]:
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(name)).lower()
    parts = [p for p in re.split(r"[^0-9a-zµμ]+", text) if p]
    out = set(parts)
    out.update(a + b for a, b in itertools.pairwise(parts))
    out.update(re.sub(r"\d+$", "", p) for p in parts if re.search(r"[a-z]\d+$", p))
    return out


def _label(source: object, name: str | None, default: str) -> str:
    if name is not None:
        return str(name)
    if isinstance(source, str | os.PathLike) and not (isinstance(source, str) and "\n" in source):
        return Path(source).name or default
    return default


def _check_size(n_bytes: int, label: str) -> None:
    if n_bytes > MAX_FILE_BYTES:
        raise RecordingError(
            f"The file is {n_bytes / 1e6:.1f} MB; files up to {MAX_FILE_BYTES / 1e6:.0f} MB can be read "
            "here. Cut the recording into shorter parts or keep only the needed columns.",
            source=label,
        )


def _read_bytes(source: object, label: str) -> bytes:
    """The raw bytes of one source; the size limit is checked before anything is parsed."""
    if isinstance(source, bytes | bytearray | memoryview):
        _check_size(len(source), label)
        return bytes(source)
    if isinstance(source, str) and "\n" in source:
        data = source.encode("utf-8")
        _check_size(len(data), label)
        return data
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise RecordingError("This is not a file (perhaps a folder).", source=label)
            _check_size(size, label)
            return path.read_bytes()
        except OSError as exc:
            raise RecordingError(
                f"The file cannot be opened ({exc.strerror or 'unreadable'}). Check the name and location.",
                source=label,
            ) from None
    if hasattr(source, "read"):
        data = source.read(MAX_FILE_BYTES + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, bytes | bytearray):
            raise InputError(f"Reading {label} gave {type(data).__name__}, not bytes or text.")
        _check_size(len(data), label)
        return bytes(data)
    raise InputError(
        "A recording must be a file path, the file's bytes, or a pair of them (patient, clinician); "
        f"got {type(source).__name__}."
    )


_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive or an Excel .xlsx workbook"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"PAR1", "a Parquet file"),
    (b"\x93NUMPY", "a NumPy .npy file"),
)


@dataclass(frozen=True)
class _Text:
    data: bytes
    encoding: str
    lines: list[str]  # the first lines of the file, decoded
    notes: tuple[str, ...]


def _decode(data: bytes, label: str) -> _Text:
    """Check that ``data`` is text, choose its encoding and decode the first lines."""
    if not data.strip():
        raise RecordingError(
            "The file is empty. Choose the exported CSV file that contains the measurements.", source=label
        )
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise RecordingError(
                f"This is not a text (CSV) file: it looks like {what}. Export or save the data as CSV "
                "(comma-separated values) and upload that file.",
                source=label,
            )
    notes: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Re-encode as UTF-8 once, so the rest of the reader sees one kind of text.
        data = data.decode("utf-16", errors="replace").encode("utf-8")
        notes.append(f"{label}: read as UTF-16 text.")
    if b"\x00" in data:
        raise RecordingError(
            "This is not a text (CSV) file: it contains binary data (zero bytes). If it is UTF-16 text, "
            "save it as UTF-8 CSV; otherwise export the recording as CSV.",
            source=label,
        )
    sample = data[:_HEAD_BYTES]
    control = sum(sample.count(bytes([c])) for c in range(32) if c not in (9, 10, 13))
    if control > max(2, 0.01 * len(sample)):
        raise RecordingError(
            "This is not a text (CSV) file: it contains binary data. Export the recording as CSV.",
            source=label,
        )
    try:
        data.decode("utf-8")
        encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    except UnicodeDecodeError:
        encoding = "latin-1"
        notes.append(f"{label}: not UTF-8 text; read as Latin-1 (Windows Western European).")
    if sample.count(b"\r") > sample.count(b"\r\n"):  # bare CR line endings (old Mac, or mixed)
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        sample = data[:_HEAD_BYTES]
    head = sample.decode(encoding, errors="ignore")
    head = head.lstrip("\ufeff")
    lines = [ln.rstrip("\r") for ln in head.split("\n")]  # the line breaks pandas counts (not \f, \v ...)
    if lines and lines[-1] == "":
        lines.pop()
    if len(data) > _HEAD_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last one may be cut
    return _Text(data=data, encoding=encoding, lines=lines[:200], notes=tuple(notes))


def _skip_preamble(lines: list[str]) -> tuple[int, str | None]:
    """Number of leading comment lines (``#``) / Excel ``sep=`` line, and the delimiter it declares."""
    n = 0
    declared = None
    for line in lines:
        stripped = line.strip()
        if stripped.startswith('"sep=') and stripped.endswith('"'):  # Excel's line, quoted (Shimmer)
            stripped = stripped[1:-1]
        if stripped.startswith("#"):
            n += 1
        elif stripped.lower().startswith("sep=") and len(stripped) in (5, 6):
            declared = "\t" if stripped[4:].strip() == "" and "\t" in line else stripped[4:5]
            n += 1
        elif not stripped:
            n += 1
        else:
            break
    return n, declared


def _sniff_delimiter(lines: list[str], label: str, first_line: int) -> tuple[str | None, str]:
    """Choose the column separator (``,`` ``;`` or tab) and the decimal mark from the first lines."""
    rows = [ln for ln in lines if ln.strip()][:50]
    if not rows:
        return None, "."
    consistent = {}
    for d in (";", "\t", ","):
        counts = [r.count(d) for r in rows]
        consistent[d] = counts[0] >= 1 and all(c == counts[0] for c in counts)
    for d in (";", "\t"):
        if consistent[d]:
            cells = [c for r in rows[1:] for c in r.split(d)]
            decimal = "," if any(_DECIMAL_COMMA.match(c) for c in cells) else "."
            return d, decimal
    if consistent[","]:
        return ",", "."
    header_counts = {d: rows[0].count(d) for d in (",", ";", "\t")}
    best = max(header_counts, key=lambda d: header_counts[d])
    if header_counts[best] == 0:
        return None, "."
    if best == ",":
        data_counts = [r.count(",") for r in rows[1:]]
        over = [i for i, c in enumerate(data_counts, start=1) if c > header_counts[","]]
        if over and 2 * len(over) >= len(data_counts):  # most lines: systematic, not one ragged line
            bad = over[0]
            cells = rows[bad].split(",")
            if re.search(r"\d,\d", rows[bad]):
                raise RecordingError(
                    f"This line has {len(cells)} values separated by commas, but the header line has "
                    f"{header_counts[','] + 1} columns. This usually means decimal commas (such as 0,52) in "
                    "a comma-separated file. Save the file with decimal points (0.52), or separate the "
                    "columns with semicolons.",
                    source=label,
                    row=first_line + _line_index(lines, rows[bad]),
                )
    return best, "."


def _line_index(lines: list[str], row: str) -> int:
    return lines.index(row)


def _describe_one_column(line: str) -> str:
    for sep, word in ((" ", "spaces"), ("|", "vertical bars (|)"), (":", "colons"), ("/", "slashes")):
        if sep in line.strip():
            return f" It seems to use {word} between columns."
    return ""


@dataclass
class _Column:
    name: str
    values: np.ndarray  # float64, NaN for missing


@dataclass
class _Table:
    columns: list[_Column]
    lines: np.ndarray  # 1-based file line of each data row
    notes: list[str]
    header_line: int  # line of the header (or of the first data line when there is none)


def _to_float(series: pd.Series, name: str, lines: np.ndarray, label: str, decimal: str) -> np.ndarray:
    """Convert one parsed column to float64, or raise naming the first cell that is not a number."""
    if pd.api.types.is_bool_dtype(series.dtype):
        raise RecordingError(
            f"Column {name!r} holds true/false values, not measurements.", source=label, row=int(lines[0])
        )
    if pd.api.types.is_numeric_dtype(series.dtype):
        with np.errstate(all="ignore"):
            return np.asarray(series, dtype=np.float64)
    as_text = series.astype("string")
    if decimal == ",":  # one bad cell makes pandas keep the whole column as text, decimal commas included
        as_text = as_text.str.replace(",", ".", regex=False)
    converted = pd.to_numeric(as_text.str.strip(), errors="coerce")
    bad = converted.isna().to_numpy() & series.notna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        cell = str(series.iloc[i]).strip()
        hint = "Remove text from the measurement columns (units belong in the header)."
        if _DECIMAL_COMMA.match(cell) and decimal == ".":
            hint = "This looks like a decimal comma; save the file with decimal points (0.52)."
        elif ":" in cell or "-" in cell[1:]:
            hint = "Dates and clock times are not accepted here; give the time in seconds from the start."
        raise RecordingError(
            f"In column {name!r} the value {cell[:40]!r} is not a number. {hint}",
            source=label,
            row=int(lines[i]),
        )
    with np.errstate(all="ignore"):
        return pd.Series(converted).to_numpy(dtype=np.float64, na_value=np.nan)


def _read_table(text: _Text, label: str) -> _Table:
    """Parse a generic CSV into float columns with the file line of every row."""
    skip, declared = _skip_preamble(text.lines)
    body = text.lines[skip:]
    if not any(ln.strip() for ln in body):
        raise RecordingError("The file has no data lines (only comments or blank lines).", source=label)
    delimiter: str | None
    if declared is not None:
        delimiter, decimal = declared, "."
        cells = [c for r in body[1:50] for c in r.split(declared)]
        if declared != "," and any(_DECIMAL_COMMA.match(c) for c in cells):
            decimal = ","
    else:
        delimiter, decimal = _sniff_delimiter(body, label, skip + 1)
    first = body[0]
    if delimiter is None:
        raise RecordingError(
            "Only one column was found: line "
            f"{skip + 1} reads {first.strip()[:60]!r}. A recording needs a column per person, separated by "
            f"commas, semicolons or tabs.{_describe_one_column(first)}",
            source=label,
            row=skip + 1,
        )
    header_cells = [c.strip().strip('"').strip() for c in first.split(delimiter)]
    if len(header_cells) > MAX_COLUMNS:
        raise RecordingError(
            f"Line {skip + 1} has more than {MAX_COLUMNS} columns ({len(header_cells):,} counted). A "
            "recording needs a time column and one column per person: delete the other columns, or check "
            "that the file is not written on one long line.",
            source=label,
            row=skip + 1,
        )
    has_header = not all(_is_number_text(c) for c in header_cells if c) or not any(header_cells)
    notes = list(text.notes)
    if decimal == ",":
        notes.append(f"{label}: decimal commas (0,52) read as decimal points.")
    try:
        frame = pd.read_csv(
            io.BytesIO(text.data),
            sep=delimiter,
            decimal=decimal,
            header=0 if has_header else None,
            skiprows=skip,
            encoding=text.encoding,
            skip_blank_lines=False,
            engine="c",
            low_memory=False,
            encoding_errors="replace",
        )
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            want, line, saw = (int(g) for g in match.groups())
            hint = " Every line needs as many values as the header has columns; look for an extra separator."
            raise RecordingError(
                f"This line has {saw} values but the header has {want} columns.{hint}", source=label, row=line
            ) from None
        raise RecordingError(
            f"The file cannot be read as a table ({str(exc).splitlines()[0][:120]}).", source=label
        ) from None
    except (pd.errors.EmptyDataError, UnicodeError, ValueError, OverflowError) as exc:
        raise RecordingError(
            f"The file cannot be read as a table ({type(exc).__name__}). Save it again as a CSV file.",
            source=label,
        ) from None
    if not has_header:
        frame.columns = [f"column {i + 1}" for i in range(frame.shape[1])]
    header_lines = skip + (1 if has_header else 0)
    lines = np.arange(frame.shape[0], dtype=np.int64) + header_lines + 1
    if has_header and frame.shape[0] > 1:
        first_row = [str(v).strip() for v in frame.iloc[0].tolist() if not pd.isna(v)]
        if first_row and not any(_is_number_text(v.replace(",", ".")) for v in first_row):
            notes.append(f"{label}: line {int(lines[0])} ({', '.join(first_row)[:60]}) read as a units line.")
            units = ["" if pd.isna(v) else str(v).strip() for v in frame.iloc[0].tolist()]
            frame = frame.iloc[1:]
            frame.columns = [f"{c} ({u})" if u else str(c) for c, u in zip(frame.columns, units, strict=True)]
            lines = lines[1:]
    empty_unnamed = [
        c for c in frame.columns if str(c).startswith("Unnamed: ") and frame[c].isna().all()
    ]  # a separator at the end of every line
    frame = frame.drop(columns=empty_unnamed)
    names = [str(c).strip() for c in frame.columns]
    columns = [
        _Column(name, _to_float(frame.iloc[:, j], name, lines, label, decimal))
        for j, name in enumerate(names)
    ]
    return _Table(columns=columns, lines=lines, notes=notes, header_line=skip + 1)


# ----------------------------------------------------------------------------------- column choice
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
    notes: list[str] = []
    header_row = table.header_line
    if time_column is not None:
        time_col: _Column | None = _find(table, time_column, "time", label)
    else:
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
    rest = [c for c in table.columns if c is not time_col]
    signals: dict[str, tuple[_Column, _Column]] = {}
    if patient_column is not None or clinician_column is not None:
        if patient_column is None or clinician_column is None:
            raise ParameterError("Give both patient_column and clinician_column, or neither (to guess).")
        p = _find(table, patient_column, "patient", label)
        c = _find(table, clinician_column, "clinician", label)
        k = kind or _kind_of(p.name) or _kind_of(c.name)
        if k is None:
            k = "eda"
            notes.append(f"{label}: signal type not in the header; assumed {_KIND_NAMES[k]} (a column name "
                         "with 'hr' or 'bpm' marks heart rate).")  # fmt: skip
        if p is c or p is time_col or c is time_col:
            raise ParameterError(
                "patient_column, clinician_column and the time column must be three different columns; got "
                f"patient {p.name!r}, clinician {c.name!r}, time {time_col.name if time_col else None!r}."
            )
        signals[k] = (p, c)
        return time_col, signals, notes
    people = [(c, _person_of(c.name), _kind_of(c.name)) for c in rest]
    if kind is not None:
        people = [t for t in people if t[2] in (None, kind)]
    if not any(person for _, person, _ in people):
        if len(people) == 2:
            (p, _, kp), (c, _, kc) = people
            k = kind or kp or kc or "eda"
            signals[k] = (p, c)
            notes.append(
                f"{label}: the header does not say who is who; GUESSED patient = {p.name!r}, clinician = "
                f"{c.name!r} (first and second column). If this is wrong, write 'patient' and 'clinician' in "
                "the header line."
            )
        else:
            names = _list_names(rest) or "none"
            raise RecordingError(
                "Cannot tell which column is the patient and which the clinician (columns besides time: "
                f"{names}). Name them 'patient' and 'clinician' in the header line.",
                source=label,
                row=header_row,
            )
    else:
        by_kind: dict[str | None, dict[str, list[_Column]]] = {}
        for col, person, k in people:
            if person is not None:
                by_kind.setdefault(k, {"patient": [], "clinician": []})[person].append(col)
        for k, sides in by_kind.items():
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
            real_kind = kind or k
            if real_kind is None:
                real_kind = "eda"
                notes.append(
                    f"{label}: signal type not in the header; assumed {_KIND_NAMES['eda']} (a column name "
                    "with 'hr' or 'bpm' marks heart rate)."
                )
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
    used = {id(c) for pair in signals.values() for c in pair} | {id(time_col)}
    ignored = [c.name for c in table.columns if id(c) not in used]
    if ignored:
        notes.append(f"{label}: ignored column(s) {', '.join(repr(n) for n in ignored)}.")
    return time_col, signals, notes


# ------------------------------------------------------------------------------------------ checks
def _check_values(values: np.ndarray, lines: np.ndarray, kind: str, what: str, label: str) -> None:
    """Refuse infinite and physiologically impossible values, naming the first offending line."""
    inf = np.isinf(values)
    if inf.any():
        i = int(np.flatnonzero(inf)[0])
        raise RecordingError(
            f"The {what} value is infinite or too large to be a measurement. Correct or delete this line.",
            source=label,
            row=int(lines[i]),
        )
    with np.errstate(invalid="ignore"):
        if kind == "eda":
            bad = (values < 0) | (values > EDA_MAX_US)
        elif kind == "hr":
            bad = (values < HR_RANGE_BPM[0]) | (values > HR_RANGE_BPM[1])
        else:
            return
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        v = values[i]
        if kind == "eda" and v < 0:
            msg = (
                f"The {what} skin conductance is negative ({v:g} µS), which is impossible. Check the "
                "sensor export (an offset or a baseline-corrected signal?) and give raw values in µS."
            )
        elif kind == "eda":
            msg = (
                f"The {what} skin conductance is {v:g}, far above any value in µS (limit "
                f"{EDA_MAX_US:g} µS). Convert the column to microsiemens (nS / 1000)."
            )
        else:
            msg = (
                f"The {what} heart rate is {v:g} bpm, outside the possible range "
                f"{HR_RANGE_BPM[0]:g}–{HR_RANGE_BPM[1]:g} bpm. Remove artefacts (missed or extra beats) "
                "or check that the column holds beats per minute."
            )
        raise RecordingError(msg, source=label, row=int(lines[i]))


def _check_times(t: np.ndarray, lines: np.ndarray, name: str, label: str) -> None:
    bad = ~np.isfinite(t) | (np.abs(np.nan_to_num(t, nan=0.0, posinf=np.inf)) > _MAX_ABS_TIME_S)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        what = "missing" if np.isnan(t[i]) else f"{t[i]:g}, not a time in seconds"
        raise RecordingError(
            f"The time in column {name!r} is {what}. Every line needs its time in seconds.",
            source=label,
            row=int(lines[i]),
        )
    if t.size < 2:
        return
    dt = np.diff(t)
    dup = dt == 0
    if dup.any():
        i = int(np.flatnonzero(dup)[0]) + 1
        raise RecordingError(
            f"Duplicate time stamp: {t[i]:g} s appears again (also on line {int(lines[i - 1])}). "
            "Remove the repeated line.",
            source=label,
            row=int(lines[i]),
        )
    back = dt < 0
    if back.any():
        i = int(np.flatnonzero(back)[0]) + 1
        raise RecordingError(
            f"The time goes backwards: {t[i]:g} s comes after {t[i - 1]:g} s (line {int(lines[i - 1])}). "
            "Sort the file by time, or remove rows pasted twice.",
            source=label,
            row=int(lines[i]),
        )


def _nice_fs(step_s: float, rel_tol: float = 2e-4) -> float:
    """Sampling rate from a time step, snapped to a whole number of Hz (or a simple fraction) when the
    time stamps were printed with few decimals (1/128 s written as 0.007812)."""
    fs = 1.0 / step_s
    for denominator in (1, 2, 4, 8, 10, 100):
        nice = round(fs * denominator) / denominator
        if nice > 0 and abs(nice - fs) <= rel_tol * fs:
            return float(nice)
    return float(f"{fs:.6g}")


def _check_grid(n: int, fs: float, label: str) -> None:
    if n > MAX_SAMPLES:
        raise RecordingError(
            f"The recording would need {n:,} samples at {fs:g} Hz, too many for this app. Check the time "
            "column (seconds, not milliseconds?) or cut the recording.",
            source=label,
        )


@dataclass
class _Prepared:
    fs: float
    start_s: float
    columns: dict[tuple[str, str], np.ndarray]  # (kind, person) -> regular values with NaN
    line_at: np.ndarray  # file line of every regular sample
    gridded: bool = False  # samples interpolated between time stamps (line_at: the stamp before)


def _regularise(
    table: _Table,
    time_col: _Column | None,
    signals: dict[str, tuple[_Column, _Column]],
    fs: float | None,
    max_gap_s: float,
    label: str,
    notes: list[str],
) -> _Prepared:
    """Put the chosen columns on one regular time grid (rows -> samples), checking times and values."""
    used = [c for pair in signals.values() for c in pair]
    lines = table.lines
    keep = np.zeros(lines.size, dtype=bool)
    for col in used:
        keep |= ~np.isnan(col.values)
    if time_col is not None:
        keep |= ~np.isnan(time_col.values)
    idx = np.flatnonzero(keep)  # blank lines are dropped
    if idx.size == 0:
        raise RecordingError("The measurement columns are empty.", source=label)
    has_value = np.zeros(lines.size, dtype=bool)
    for col in used:
        has_value |= ~np.isnan(col.values)
    if not has_value.any():
        raise RecordingError("The measurement columns are empty.", source=label)
    first, last = np.flatnonzero(has_value)[[0, -1]]
    n_cut = int((idx < first).sum() + (idx > last).sum())
    if n_cut:  # lines with a time but no measurement at all, before the first or after the last one
        notes.append(f"{label}: {n_cut} line(s) with a time but no measurements at the start/end skipped.")
        idx = idx[(idx >= first) & (idx <= last)]
    lines = lines[idx]
    raw = {(k, person): pair[j].values[idx] for k, pair in signals.items() for j, person in enumerate(PEOPLE)}
    for (k, person), v in raw.items():
        _check_values(v, lines, k, f"{person}'s", label)
    if time_col is None:
        if fs is None:
            raise RecordingError(
                "There is no time column and no sampling rate. Add a column 'time' in seconds (0, 0.25, "
                "0.5 ... for 4 samples per second) as the first column.",
                source=label,
                row=table.header_line,
            )
        return _Prepared(fs=fs, start_s=0.0, columns=raw, line_at=lines)
    t = time_col.values[idx]
    _check_times(t, lines, time_col.name, label)
    if "ms" in _tokens(time_col.name):
        t = t / 1000.0
        notes.append(f"{label}: time column {time_col.name!r} read as milliseconds.")
    if t.size < 2:
        raise RecordingError("The file has fewer than two lines of data.", source=label, row=int(lines[0]))
    dt = np.diff(t)
    step = _median(dt)
    regular = float(np.max(np.abs(dt - step))) <= 0.02 * step
    if regular and (fs is None or abs(fs * step - 1.0) <= 0.02):
        rate = _nice_fs((t[-1] - t[0]) / (t.size - 1)) if fs is None else fs
        return _Prepared(fs=rate, start_s=float(t[0]), columns=raw, line_at=lines)
    rate = fs if fs is not None else _nice_fs(step, rel_tol=0.01)
    n = math.floor((t[-1] - t[0]) * rate + 1e-9) + 1
    _check_grid(n, rate, label)
    bridge = max(max_gap_s, 1.5 / rate)
    columns = {}
    for key, v in raw.items():
        ok = ~np.isnan(v)
        if ok.sum() < 2:
            raise RecordingError(
                f"The {key[1]}'s column has fewer than two values.", source=label, row=int(lines[0])
            )
        grid, values = preprocess.to_uniform(t, v, rate, max_gap_s=bridge)
        valid_t = t[ok]
        values[(grid < valid_t[0] - 1e-9) | (grid > valid_t[-1] + 1e-9)] = np.nan  # no extrapolation
        columns[key] = values
        n_missing = int(v.size - ok.sum())
        if n_missing:
            notes.append(f"{label}: {n_missing} missing {key[1]} value(s) bridged by interpolation.")
    pos = np.clip(np.searchsorted(t, grid, side="right") - 1, 0, t.size - 1)
    notes.append(
        f"{label}: time stamps are irregular (median step {step:g} s); values interpolated onto a regular "
        f"{rate:g} Hz grid."
    )
    return _Prepared(fs=rate, start_s=float(t[0]), columns=columns, line_at=lines[pos], gridded=True)


def _handle_gaps(prep: _Prepared, max_gap_s: float, label: str, notes: list[str]) -> _Prepared:
    """Fill short gaps, refuse long ones, cut short missing stretches at the start or end."""
    n = next(iter(prep.columns.values())).size
    lo, hi = 0, n
    filled = {}
    for (k, person), v in prep.columns.items():
        report = preprocess.fill_gaps(v, prep.fs, max_gap_s=max_gap_s)
        for gap in report.long_gaps:
            first = int(prep.line_at[gap.start_index])
            last = int(prep.line_at[min(gap.start_index + gap.n_samples - 1, n - 1)])
            if prep.gridded:
                after = gap.start_index + gap.n_samples
                nxt = int(prep.line_at[after]) if after < n else last
                span = f"between line {first} and line {max(nxt, first + 1)}"
            else:
                span = f"lines {first}–{last}" if last != first else f"line {first}"
            if not gap.at_edge:
                raise RecordingError(
                    f"{format_seconds(gap.duration_s)} of the {person}'s values are missing ({span}), longer "
                    f"than the {format_seconds(max_gap_s)} that can be filled in. Cut the recording "
                    "before or after the gap, or analyse the parts separately.",
                    source=label,
                    row=first,
                )
            if gap.duration_s > max(max_gap_s, 10.0 / prep.fs):
                other = "clinician" if person == "patient" else "patient"
                where = "ends" if gap.start_index > 0 else "starts"
                raise RecordingError(
                    f"The columns have unequal lengths: the {person}'s column {where} "
                    f"{format_seconds(gap.duration_s)} {'before' if where == 'ends' else 'after'} the "
                    f"{other}'s ({span} have no {person} value). Cut both columns to the same stretch of "
                    "time.",
                    source=label,
                    row=first,
                )
            if gap.start_index == 0:
                lo = max(lo, gap.n_samples)
            else:
                hi = min(hi, gap.start_index)
        if report.filled:
            notes.append(f"{label}: {person}'s {k}: {report.describe()}")
        filled[(k, person)] = np.asarray(report.values)
    if lo > 0 or hi < n:
        notes.append(
            f"{label}: {format_seconds((lo + n - hi) / prep.fs)} at the start/end without a value for "
            "everyone was cut off."
        )
    if hi - lo < 2:
        raise RecordingError("The file has no stretch where both people have values.", source=label)
    cols = {key: v[lo:hi] for key, v in filled.items()}
    return _Prepared(
        fs=prep.fs, start_s=prep.start_s + lo / prep.fs, columns=cols, line_at=prep.line_at[lo:hi]
    )


def _finish(
    columns: dict[tuple[str, str], np.ndarray],
    fs: float,
    label: str,
    *,
    notes: list[str],
    fs_out: float | None,
    title: str,
    description: str,
    units: dict[str, str] | None = None,
    metadata: dict[str, str] | None = None,
) -> Session:
    """Resample to the output rate, check length and variation, and build the Session.

    Skin conductance and heart rate faster than :data:`MAX_FS` are resampled down to it; other signals
    (the games' ``position`` or ``taps`` columns, whose unit comes from ``units``) keep their rate.
    """
    physiological = all(k in _KINDS for k, _ in columns)
    target = fs_out if fs_out is not None else (MAX_FS if fs > MAX_FS and physiological else None)
    if target is not None and target != fs:
        n_in = min(v.size for v in columns.values())
        if n_in * target / fs > MAX_SAMPLES:
            raise RecordingError(
                f"The recording is too long for this app at {target:g} Hz ({format_seconds(n_in / fs)}); "
                "cut it into parts.",
                source=label,
            )
        columns = {key: resample_np(v, fs, target) for key, v in columns.items()}
        if fs_out is None:
            notes.append(f"{label}: resampled from {fs:g} Hz to {target:g} Hz.")
        fs = target
    n = min(v.size for v in columns.values())
    if n > MAX_SAMPLES:
        raise RecordingError(
            f"The recording is too long for this app ({format_seconds(n / fs)} at {fs:g} Hz); cut it into "
            "parts.",
            source=label,
        )
    if fs < MIN_FS:
        raise RecordingError(
            f"The sampling rate is {fs:g} Hz, too slow for synchrony analysis: at least {MIN_FS:g} Hz (one "
            "sample every 2 s) is needed. Check the time column (seconds) or the sampling rate.",
            source=label,
        )
    duration = n / fs
    if duration < MIN_DURATION_S:
        raise RecordingError(
            f"The recording is too short to analyse: {format_seconds(duration)} of data, and at least "
            f"{format_seconds(MIN_DURATION_S)} are needed (one 30 s window plus ±5 s of lag).",
            source=label,
        )
    for (k, person), v in columns.items():
        finite = v[:n][np.isfinite(v[:n])]
        if finite.size and finite.min() == finite.max():
            raise RecordingError(
                f"The {person}'s {_KIND_NAMES.get(k, k)} is constant (every value is {finite[0]:g}): it "
                "never "
                "changes, so there is nothing to correlate. Check that the sensor was recording and that "
                "the right column was chosen.",
                source=label,
            )
    order = [k for k in _KINDS if (k, "patient") in columns] + sorted(
        {k for k, _ in columns if k not in _KINDS}
    )
    signals = {k: (columns[(k, "patient")][:n], columns[(k, "clinician")][:n]) for k in order}
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "recording"
    try:
        return Session(
            id=f"upload-{slug}",
            title=title,
            description=description,
            fs=fs,
            signals=signals,
            units={k: (units or {}).get(k) or DEFAULT_UNITS.get(k, "") for k in signals},
            simulated=False,
            notes=tuple(notes),
            metadata=dict(metadata or {}),
        )
    except InputError as exc:  # pragma: no cover - defensive: every check above should have caught it
        raise RecordingError(str(exc), source=label) from None


# --------------------------------------------------------------------------------- public helpers
def rr_to_heart_rate(rr_ms: object, fs: float = 4.0) -> tuple[np.ndarray, np.ndarray]:
    """Turn beat-to-beat (RR) intervals into an evenly sampled heart rate.

    Method: beat ``k`` happens ``sum(rr_ms[:k + 1]) / 1000`` seconds after the beat before the first
    interval (time 0); the instantaneous heart rate ``60000 / rr_ms[k]`` bpm is placed at that beat and
    linearly interpolated onto a regular grid at ``fs`` Hz from the first to the last beat
    (:func:`~empathy_explorer.preprocess.to_uniform`). The default 4 Hz is several times faster than any
    heart-rate change analysed here.

    Parameters
    ----------
    rr_ms : array_like
        Intervals between successive heart beats, milliseconds (at least 2, all > 0).
    fs : float
        Rate of the output grid, Hz.

    Returns
    -------
    times_s, hr_bpm : tuple of numpy.ndarray
        Grid times (seconds, from the beat before the first interval) and heart rate (beats per minute).

    Raises
    ------
    InputError
        For fewer than two intervals, missing, infinite or non-positive intervals, or a bad ``fs``.

    Examples
    --------
    >>> t, hr = rr_to_heart_rate([1000, 500, 1000], fs=2.0)
    >>> t.tolist(), hr.tolist()
    ([1.0, 1.5, 2.0, 2.5], [60.0, 120.0, 90.0, 60.0])
    """
    fs = as_fs(fs)
    rr = as_signal(rr_ms, "rr_ms (RR intervals)", min_length=2)
    if (rr <= 0).any():
        i = int(np.flatnonzero(rr <= 0)[0])
        raise InputError(f"RR interval {i + 1} is {rr[i]:g} ms; intervals between beats must be > 0 ms.")
    with np.errstate(over="ignore", invalid="ignore"):
        beats_s = np.cumsum(rr) / 1000.0
        hr = 60000.0 / rr
    if not np.isfinite(beats_s[-1]) or (beats_s[-1] - beats_s[0]) * fs > MAX_SAMPLES * 4:
        raise InputError("The RR intervals add up to an impossibly long recording; check they are in ms.")
    return preprocess.to_uniform(beats_s, hr, fs, max_gap_s=float(rr.max()) / 1000.0 + 1.0)


# ------------------------------------------------------------------------------ one person's signal
@dataclass
class Track:
    """One person's signal read from a one-person file (any device format).

    ``start_s`` is the clock time of the first sample in seconds (Unix seconds for a UTC clock, or seconds
    of the local wall clock as if it were UTC when ``clock == "local"``), or ``None`` when the file has no
    clock. ``covered`` marks the samples inside detected beat intervals (beat-interval formats with gaps,
    such as E4 ``IBI.csv``); ``None`` means every sample was measured.
    """

    values: np.ndarray
    fs: float
    start_s: float | None
    kind: str
    label: str
    fmt: str
    notes: list[str] = dataclasses.field(default_factory=list)
    clock: str = "utc"
    covered: np.ndarray | None = None


def _utc(unix_s: float) -> str:
    return pd.Timestamp(unix_s, unit="s", tz="UTC").strftime("%Y-%m-%d %H:%M:%S UTC")


def _clock_text(track: Track) -> str:
    if track.start_s is None:
        return "no clock time"
    stamp = pd.Timestamp(track.start_s, unit="s").strftime("%Y-%m-%d %H:%M:%S")
    return f"{stamp} {'UTC' if track.clock == 'utc' else '(local time)'}"


def rr_track(
    rr_ms: np.ndarray, label: str, fmt: str, *, start_s: float | None, clock: str = "utc", notes: list[str]
) -> Track:
    """Heart rate at 4 Hz from beat-to-beat intervals (ms), checked for impossible rates first.

    ``start_s`` is the clock time of the beat *before* the first interval (``None`` without a clock).
    """
    rr = np.asarray(rr_ms, dtype=np.float64)
    rr = rr[np.isfinite(rr)]
    if rr.size < 2:
        raise RecordingError(f"This {fmt} file holds fewer than two beat intervals.", source=label)
    if not (rr > 0).all():
        i = int(np.flatnonzero(~(rr > 0))[0])
        raise RecordingError(
            f"Beat interval {i + 1} is {rr[i]:g} ms; intervals between beats must be more than 0 ms.",
            source=label,
        )
    hr = 60000.0 / rr
    bad = (hr < HR_RANGE_BPM[0]) | (hr > HR_RANGE_BPM[1])
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise RecordingError(
            f"Beat interval {i + 1} is {rr[i]:g} ms, a heart rate of {hr[i]:.3g} bpm, outside the possible "
            f"range {HR_RANGE_BPM[0]:g}–{HR_RANGE_BPM[1]:g} bpm. Remove artefacts (missed or extra beats) in "
            "the device's app and export again.",
            source=label,
        )
    _, values = rr_to_heart_rate(rr, fs=4.0)
    first = None if start_s is None else float(start_s) + float(rr[0]) / 1000.0
    notes.append(
        f"{label}: {fmt}, {rr.size} beat intervals ({format_seconds(float(rr.sum()) / 1000.0)}) turned into "
        "heart rate at 4 Hz (60000/RR at each beat, straight lines between beats)."
    )
    return Track(values, 4.0, first, "hr", label, fmt, notes, clock=clock)


def lines_of(text: _Text) -> list[str]:
    """Every line of the file (decoded), for the small line-oriented formats."""
    return text.data.decode(text.encoding, errors="replace").lstrip("\ufeff").splitlines()


def _check_one_column(data: bytes, skip_lines: int, label: str, what: str) -> None:
    """Refuse a one-column file (E4, RR) with a separator after its first ``skip_lines`` lines.

    Checked on the raw bytes (fast), before pandas would build one column per value of a long line.
    """
    start = 0
    for _ in range(skip_lines):
        nl = data.find(b"\n", start)
        if nl < 0:
            return
        start = nl + 1
    hits = [pos for pos in (data.find(sep, start) for sep in (b",", b";", b"\t")) if pos >= 0]
    if hits:
        pos = min(hits)
        raise RecordingError(
            f"{what} holds one value per line, but this line has several (separated by {chr(data[pos])!r}).",
            source=label,
            row=data.count(b"\n", 0, pos) + 1,
        )


def resample_np(x: np.ndarray, fs_in: float, fs_out: float) -> np.ndarray:
    """Resample one signal with numpy only (no ``scipy.signal`` import on a first upload).

    Going down, the signal is first low-passed at 0.45 ``fs_out`` with a linear-phase windowed-sinc FIR
    filter (Hamming window, about eight output periods long, applied forwards with the edges padded by
    their end values, so it shifts nothing), then read at ``j / fs_out`` by straight lines between samples.
    Going up, only the straight lines are used (no detail is invented). Samples next to a missing (NaN)
    input sample are NaN again, as in :func:`empathy_explorer.preprocess.resample`.

    Parameters
    ----------
    x : numpy.ndarray
        The samples, one every ``1 / fs_in`` s, NaN for missing.
    fs_in, fs_out : float
        Current and wanted sampling rate, Hz.

    Returns
    -------
    numpy.ndarray
        ``ceil(len(x) * fs_out / fs_in)`` samples; sample j is at ``j / fs_out`` s.

    Examples
    --------
    >>> resample_np(np.ones(64), 32.0, 8.0).shape
    (16,)

    References
    ----------
    Smith, S. W. (1997). *The Scientist and Engineer's Guide to Digital Signal Processing*, ch. 16
    "Windowed-Sinc Filters". California Technical Publishing.
    """
    arr = np.asarray(x, dtype=np.float64)
    n = arr.size
    if fs_in == fs_out or n == 0:
        return arr.copy()
    n_out = max(1, math.ceil(n * fs_out / fs_in - 1e-9))
    missing = np.isnan(arr)
    filled = arr
    if missing.any():
        valid = np.flatnonzero(~missing)
        if valid.size == 0:
            return np.full(n_out, np.nan)
        filled = arr.copy()
        filled[missing] = np.interp(np.flatnonzero(missing), valid, arr[valid])
    if fs_out < fs_in:
        cutoff = 0.45 * fs_out / fs_in  # cycles per input sample
        half = max(4, math.ceil(4.0 / cutoff))
        k = np.arange(-half, half + 1)
        taps = 2 * cutoff * np.sinc(2 * cutoff * k) * np.hamming(k.size)
        taps /= taps.sum()
        padded = np.concatenate([np.full(half, filled[0]), filled, np.full(half, filled[-1])])
        filled = np.convolve(padded, taps, mode="valid")
    out = np.interp(np.arange(n_out) / fs_out, np.arange(n) / fs_in, filled)
    if missing.any():
        pos = np.arange(n_out) * (fs_in / fs_out)
        lo = np.clip(np.floor(pos).astype(np.int64), 0, n - 1)
        hi = np.clip(np.ceil(pos).astype(np.int64), 0, n - 1)
        out[missing[lo] | missing[hi]] = np.nan
    return out
