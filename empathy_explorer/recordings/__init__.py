"""Read a real two-person recording (patient and clinician) into a :class:`~empathy_explorer.session.Session`.

:func:`load_recording` accepts three layouts. Everything is read from bytes in memory: nothing the user
uploads is written to disk, and a file larger than :data:`MAX_FILE_BYTES` (20 MB) is refused before it is
parsed.

1. **Generic CSV** (one file, both people). One column per person, plus either a time column in seconds
   or a sampling rate given as ``fs=``. Columns are separated by commas, semicolons or tabs (sniffed from
   the first lines); decimal commas (``0,52``) are read correctly in semicolon- or tab-separated files and
   refused with a clear message in comma-separated ones. Text encodings UTF-8 (with or without BOM), UTF-16
   with BOM and Latin-1 are accepted. Which column is the patient is taken from ``patient_column=`` /
   ``clinician_column=`` or guessed from the header (``patient``/``clinician``, ``p``/``c``,
   ``person1``/``person2``, ``client``/``therapist``, ``doctor``, ...) and the guess is written to
   ``session.notes``. The signal kind (``"eda"`` skin conductance in µS, ``"hr"`` heart rate in bpm) comes
   from ``kind=`` or from the header (``eda``, ``gsr``, ``scl``, ``µS`` / ``hr``, ``bpm``, ``heart``); a
   file with both (``eda_patient, eda_clinician, hr_patient, hr_clinician``, as written by
   :meth:`Session.to_frame`) gives a session with both kinds. Irregular time stamps are put on a regular
   grid (:func:`~empathy_explorer.preprocess.to_uniform`). Example::

       time_s,patient,clinician
       0.00,5.12,7.80
       0.25,5.13,7.79

2. **Empatica E4** ``EDA.csv`` (or ``HR.csv``), one file per person, given as a pair
   ``load_recording({"patient": ..., "clinician": ...})``. Layout as described by the documentation of
   the CRAN package *wearables* (``read_e4``) and by data READMEs accompanying public E4 exports -- no
   Empatica manual was available to check it against, so this is the format as observed there: line 1 is
   the start time of the recording as Unix seconds (UTC), line 2 the sampling rate in Hz, then one sample
   per line (EDA in µS; the E4 samples EDA at 4 Hz). A file whose name contains ``HR`` is read as heart
   rate in bpm. The two people's files are aligned on their start times and put on one time base with
   :func:`~empathy_explorer.preprocess.resample_pair` (different sampling rates are allowed; the common
   rate is the lower one). Example::

       1600000000.000000
       4.000000
       0.000000
       2.351235

3. **Beat-to-beat (RR) intervals** in milliseconds, one file per person (one interval per line, an optional
   header line such as ``RR (ms)``), given as a pair like the E4 files. Each file is turned into an evenly
   sampled heart rate with :func:`rr_to_heart_rate` (instantaneous rate ``60000 / RR`` placed at the beat
   that ends the interval, linearly interpolated at 4 Hz). RR files carry no clock time, so both are taken
   to start at the same moment (reported in the notes).

A pair can also be uploaded as one **ZIP archive** holding the two files, with ``patient`` and
``clinician`` (or ``therapist``, ``doctor``...) in their names (the app has a single upload button); a
ZIP holding one CSV is read as that CSV. The archive is opened in memory and each file in it is held to
the same size limit before it is decompressed further (no "zip bombs").

Missing values: runs of missing samples up to ``max_gap_s`` (2 s) are interpolated
(:func:`~empathy_explorer.preprocess.fill_gaps`); longer runs are refused with the lines they span, and
short missing stretches at the very start or end are cut off (reported). Signals faster than
:data:`MAX_FS` (32 Hz) are resampled down to it (skin conductance and heart rate change far more slowly).

Every mistake a user can make raises :class:`~empathy_explorer.errors.RecordingError` whose message names
the file, the line and what to fix (empty file, wrong delimiter, decimal comma, missing or non-numeric
columns, time stamps that go backwards or repeat, long gaps, unequal lengths, impossible values such as a
negative skin conductance or a heart rate outside 20–250 bpm, a constant signal, a recording too short to
analyse, a file too large, a file that is not text). Wrong arguments (``fs=-1``, ``kind="xyz"``) raise
:class:`~empathy_explorer.errors.InputError` or :class:`~empathy_explorer.errors.ParameterError`.

Examples
--------
>>> import numpy as np
>>> t = np.arange(0, 60, 0.25)
>>> rows = "\\n".join(f"{ti:.2f},{5 + np.sin(ti / 5):.4f},{7 + np.cos(ti / 7):.4f}" for ti in t)
>>> s = load_recording(("time,patient,clinician\\n" + rows).encode(), name="demo.csv")
>>> s.fs, s.duration_s, s.kinds, s.simulated
(4.0, 60.0, ('eda',), False)

References
----------
Empatica E4 file layout as described by the *wearables* R package documentation,
https://search.r-project.org/CRAN/refmans/wearables/html/read_e4.html (accessed 2026).
"""

from __future__ import annotations

import codecs
import dataclasses
import io
import itertools
import math
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from empathy_explorer import preprocess
from empathy_explorer.errors import EmpathyExplorerError, InputError, ParameterError, RecordingError
from empathy_explorer.session import DEFAULT_UNITS, PEOPLE, Session
from empathy_explorer.validation import as_duration_s, as_fs, as_signal, format_seconds

__all__ = [
    "HR_RANGE_BPM",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_FS",
    "MAX_GAP_S",
    "MIN_DURATION_S",
    "MIN_FS",
    "E4File",
    "load_recording",
    "read_e4",
    "read_rr",
    "rr_to_heart_rate",
]

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
            notes.append(f"{label}: signal type not in the header; assumed {_KIND_NAMES[k]}. Pass kind='hr' "
                         "for heart rate.")  # fmt: skip
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
                f"{c.name!r} (first and second column). Pass patient_column= and clinician_column= if this "
                "is wrong."
            )
        else:
            names = _list_names(rest) or "none"
            raise RecordingError(
                "Cannot tell which column is the patient and which the clinician (columns besides time: "
                f"{names}). Name them 'patient' and 'clinician' in the header line, or pass "
                "patient_column= and clinician_column=.",
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
                        f"{_list_names(sides[person])}. Pass {person}_column= to choose.",
                        source=label,
                        row=header_row,
                    )
            missing = [person for person in PEOPLE if not sides[person]]
            if missing:
                found = [f"{person} = {sides[person][0].name!r}" for person in PEOPLE if sides[person]]
                raise RecordingError(
                    f"Found {found[0]} but no column for the {missing[0]}. A recording needs one column per "
                    f"person; name it '{missing[0]}' in the header or pass {missing[0]}_column=.",
                    source=label,
                    row=header_row,
                )
            real_kind = kind or k
            if real_kind is None:
                real_kind = "eda"
                notes.append(
                    f"{label}: signal type not in the header; assumed {_KIND_NAMES['eda']}. Pass kind='hr' "
                    "for heart rate."
                )
            if real_kind in signals:
                raise RecordingError(
                    f"Two pairs of columns hold {_KIND_NAMES[real_kind]}; pass patient_column= and "
                    "clinician_column= to choose one.",
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
                "There is no time column and no sampling rate. Add a column 'time' in seconds, or give "
                "the sampling rate, e.g. load_recording(..., fs=4) for 4 samples per second.",
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
) -> Session:
    """Resample to the output rate, check length and variation, and build the Session."""
    target = fs_out if fs_out is not None else (MAX_FS if fs > MAX_FS else None)
    if target is not None and target != fs:
        n_in = min(v.size for v in columns.values())
        if n_in * target / fs > MAX_SAMPLES:
            raise RecordingError(
                f"The recording is too long for this app at {target:g} Hz ({format_seconds(n_in / fs)}); "
                "cut it into parts or choose a lower fs_out.",
                source=label,
            )
        columns = {key: preprocess.resample(v, fs, target) for key, v in columns.items()}
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
            "sample every 2 s) is needed. Check the time column or the fs= value.",
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
                f"The {person}'s {_KIND_NAMES[k]} is constant (every value is {finite[0]:g}): it never "
                "changes, so there is nothing to correlate. Check that the sensor was recording and that "
                "the right column was chosen.",
                source=label,
            )
    signals = {
        k: (columns[(k, "patient")][:n], columns[(k, "clinician")][:n])
        for k in _KINDS
        if (k, "patient") in columns
    }
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "recording"
    try:
        return Session(
            id=f"upload-{slug}",
            title=title,
            description=description,
            fs=fs,
            signals=signals,
            units={k: DEFAULT_UNITS[k] for k in signals},
            simulated=False,
            notes=tuple(notes),
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


@dataclass(frozen=True)
class E4File:
    """One Empatica E4 signal file (``EDA.csv``, ``HR.csv``...).

    Attributes
    ----------
    values : numpy.ndarray
        The samples (µS for EDA, bpm for HR), NaN where a line was empty.
    fs : float
        Sampling rate, Hz (line 2 of the file).
    start_unix_s : float
        Start of the recording, Unix seconds UTC (line 1 of the file).
    source : str
        File name, for messages.
    """

    values: np.ndarray
    fs: float
    start_unix_s: float
    source: str

    @property
    def duration_s(self) -> float:
        """Length of the recording, seconds."""
        return self.values.size / self.fs


def _first_fields(text: _Text) -> list[list[str]]:
    return [[c.strip() for c in ln.split(",")] for ln in text.lines[:3]]


def _looks_like_e4(text: _Text) -> bool:
    rows = _first_fields(text)
    if len(rows) < 2 or not rows[0] or not all(_is_number_text(c) for c in rows[0] + rows[1]):
        return False
    start = _num(rows[0][0])
    return 1e8 <= start <= 1e10 and len(set(rows[0])) == 1 and len(rows[1]) == len(rows[0])


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


def _looks_like_e4_shape(text: _Text) -> bool:
    """Two single-number header lines: the E4 layout, even with a wrong start time or rate."""
    rows = _first_fields(text)
    return len(rows) >= 2 and all(r and all(_is_number_text(c) for c in r) for r in rows[:2])


def _parse_e4(text: _Text, label: str) -> E4File:
    rows = _first_fields(text)
    if not rows or not rows[0] or not _is_number_text(rows[0][0]):
        raise RecordingError(
            "Line 1 of an Empatica E4 file must be the start time in Unix seconds (e.g. 1600000000.0).",
            source=label,
            row=1,
        )
    if len(rows[0]) > 1:
        raise RecordingError(
            f"This E4 file has {len(rows[0])} columns (like ACC.csv); give the one-column EDA.csv or HR.csv.",
            source=label,
            row=1,
        )
    start = _num(rows[0][0])
    if not (1e8 <= start <= 1e10):
        raise RecordingError(
            f"Line 1 should be the start time in Unix seconds (like 1600000000), but it is {start:g}.",
            source=label,
            row=1,
        )
    if len(rows) < 2 or not rows[1] or not _is_number_text(rows[1][0]):
        raise RecordingError("Line 2 of an E4 file must be the sampling rate in Hz.", source=label, row=2)
    fs = _num(rows[1][0])
    if not (0 < fs <= 1000) or not math.isfinite(fs):
        raise RecordingError(
            f"Line 2 should be the sampling rate in Hz (4 for EDA), but it is {fs:g}.", source=label, row=2
        )
    _check_one_column(text.data, 2, label, "An E4 EDA.csv or HR.csv file")
    try:
        frame = pd.read_csv(
            io.BytesIO(text.data),
            header=None,
            skiprows=2,
            encoding=text.encoding,
            skip_blank_lines=False,
            engine="c",
            low_memory=False,
            encoding_errors="replace",
        )
    except pd.errors.EmptyDataError:
        raise RecordingError("The E4 file has no samples after its two header lines.", source=label) from None
    except pd.errors.ParserError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise RecordingError(
            "Every line of an E4 EDA file must hold one number.",
            source=label,
            row=int(match.group(1)) if match else None,
        ) from None
    except (UnicodeError, ValueError, OverflowError):
        raise RecordingError("The E4 file cannot be read; save it again as CSV.", source=label) from None
    lines = np.arange(frame.shape[0], dtype=np.int64) + 3
    if frame.shape[1] != 1:
        raise RecordingError(
            f"An E4 EDA file has one column, this one has {frame.shape[1]}.", source=label, row=3
        )
    values = _to_float(frame.iloc[:, 0], "samples", lines, label, ".")
    present = np.flatnonzero(~np.isnan(values))
    if present.size == 0:
        raise RecordingError("The E4 file has no samples after its two header lines.", source=label, row=3)
    values = values[: present[-1] + 1]
    return E4File(values=values, fs=fs, start_unix_s=start, source=label)


def read_e4(source: object, *, name: str | None = None) -> E4File:
    """Read one Empatica E4 signal file (``EDA.csv`` or ``HR.csv``; one person).

    Parameters
    ----------
    source : path, bytes or file object
        The file. Line 1: start time as Unix seconds (UTC); line 2: sampling rate in Hz; then one sample
        per line.
    name : str, optional
        File name used in messages (default: the path's name or ``"E4 file"``).

    Returns
    -------
    E4File

    Raises
    ------
    RecordingError
        When the file does not have this layout (the message names the line).

    Examples
    --------
    >>> f = read_e4(b"1600000000.0\\n4.0\\n0.5\\n0.6\\n0.7\\n0.8\\n", name="EDA.csv")
    >>> f.fs, f.start_unix_s, f.duration_s
    (4.0, 1600000000.0, 1.0)
    """
    label = _label(source, name, "E4 file")
    return _parse_e4(_decode(_read_bytes(source, label), label), label)


def _parse_rr(text: _Text, label: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    notes: list[str] = []
    skip = 0
    for ln in text.lines:
        if ln.strip() and not _is_number_text(ln):
            if len(ln.split(",")) > 1 or len(ln.split(";")) > 1 or len(ln.split("\t")) > 1:
                raise RecordingError(
                    "An RR-interval file holds one column: one interval in milliseconds per line.",
                    source=label,
                    row=skip + 1,
                )
            if skip >= 5:
                break
            skip += 1
        elif not ln.strip() and skip == 0:
            skip += 1
        else:
            break
    _check_one_column(text.data, skip, label, "An RR-interval file")
    try:
        frame = pd.read_csv(
            io.BytesIO(text.data),
            header=None,
            skiprows=skip,
            encoding=text.encoding,
            skip_blank_lines=False,
            engine="c",
            low_memory=False,
            encoding_errors="replace",
            sep=";",
        )
    except pd.errors.EmptyDataError:
        raise RecordingError("The RR file has no intervals.", source=label) from None
    except (pd.errors.ParserError, UnicodeError, ValueError, OverflowError):
        raise RecordingError(
            "The RR file cannot be read: it must hold one interval in milliseconds per line.", source=label
        ) from None
    lines = np.arange(frame.shape[0], dtype=np.int64) + skip + 1
    if frame.shape[1] != 1:
        raise RecordingError(
            "An RR-interval file holds one column: one interval in milliseconds per line.",
            source=label,
            row=int(lines[0]),
        )
    rr = _to_float(frame.iloc[:, 0], "RR interval", lines, label, ".")
    keep = ~np.isnan(rr)
    rr, lines = rr[keep], lines[keep]
    if rr.size < 2:
        raise RecordingError("The RR file needs at least two intervals.", source=label)
    not_positive = ~(rr > 0) | np.isinf(rr)
    if not_positive.any():
        i = int(np.flatnonzero(not_positive)[0])
        raise RecordingError(
            f"The RR interval {rr[i]:g} is not a positive number of milliseconds. Correct or delete this "
            "line.",
            source=label,
            row=int(lines[i]),
        )
    if _median(rr) < 10.0:
        with np.errstate(over="ignore"):
            rr = rr * 1000.0
        notes.append(f"{label}: RR intervals look like seconds (median below 10); converted to milliseconds.")
    with np.errstate(divide="ignore", over="ignore"):
        hr = np.where(rr > 0, 60000.0 / np.where(rr > 0, rr, 1.0), np.inf)
    bad = (hr < HR_RANGE_BPM[0]) | (hr > HR_RANGE_BPM[1])
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise RecordingError(
            f"The interval {rr[i]:g} ms means a heart rate of {hr[i]:.3g} bpm, outside the possible range "
            f"{HR_RANGE_BPM[0]:g}–{HR_RANGE_BPM[1]:g} bpm. Remove artefacts (missed or extra beats) first.",
            source=label,
            row=int(lines[i]),
        )
    return rr, lines, notes


def read_rr(source: object, *, name: str | None = None) -> np.ndarray:
    """Read a file of beat-to-beat (RR) intervals in milliseconds (one person).

    Parameters
    ----------
    source : path, bytes or file object
        One interval per line; an optional header line (``RR (ms)``). Values below 10 are taken as
        seconds and converted (reported by :func:`load_recording`).
    name : str, optional
        File name used in messages.

    Returns
    -------
    numpy.ndarray
        The intervals, ms.

    Raises
    ------
    RecordingError
        For non-numeric lines or intervals meaning a heart rate outside 20–250 bpm (the message names the
        line).

    Examples
    --------
    >>> read_rr(b"RR (ms)\\n812\\n790\\n805\\n").tolist()
    [812.0, 790.0, 805.0]
    """
    label = _label(source, name, "RR file")
    return _parse_rr(_decode(_read_bytes(source, label), label), label)[0]


def _looks_like_rr(text: _Text) -> bool:
    rows = [ln.strip() for ln in text.lines if ln.strip()][:50]
    if len(rows) < 2:
        return False
    header = rows[0]
    body = rows[1:] if not _is_number_text(header) else rows
    if any(d in r for r in body for d in (",", ";", "\t")):
        return False
    if not _is_number_text(header) and not (_tokens(header) & _RR_TOKENS):
        return False
    nums = [_num(r) for r in body if _is_number_text(r)]
    return bool(nums) and (200 <= _median(nums) <= 3000 or not _is_number_text(header))


# ------------------------------------------------------------------------------------------- loaders
@dataclass
class _Track:
    values: np.ndarray
    fs: float
    start_s: float | None
    kind: str
    label: str
    fmt: str


def _single_track(
    text: _Text, label: str, kind: str | None, max_gap_s: float, notes: list[str], person: str
) -> _Track:
    notes.extend(text.notes)
    if _looks_like_e4(text) or (not _looks_like_rr(text) and _looks_like_e4_shape(text)):
        e4 = _parse_e4(text, label)
        k = kind or ("hr" if re.search(r"(^|[^a-z])hr([^a-z]|$)", label.lower()) else "eda")
        lines = np.arange(e4.values.size) + 3
        _check_values(e4.values, lines, k, f"{person}'s", label)
        report = preprocess.fill_gaps(e4.values, e4.fs, max_gap_s=max_gap_s)
        for gap in report.long_gaps:
            raise RecordingError(
                f"{format_seconds(gap.duration_s)} of samples are missing (lines {gap.start_index + 3}–"
                f"{gap.start_index + gap.n_samples + 2}). Cut the file before or after the gap.",
                source=label,
                row=gap.start_index + 3,
            )
        notes.append(
            f"{label}: Empatica E4 file, {e4.fs:g} Hz, {format_seconds(e4.duration_s)}, {_KIND_NAMES[k]}."
        )
        return _Track(np.asarray(report.values), e4.fs, e4.start_unix_s, k, label, "E4")
    if _looks_like_rr(text):
        if kind not in (None, "hr"):
            raise ParameterError("RR intervals give a heart rate; use kind='hr' or leave kind out.")
        rr, _, rr_notes = _parse_rr(text, label)
        notes.extend(rr_notes)
        _, hr = rr_to_heart_rate(rr, fs=4.0)
        first_beat = float(rr[0]) / 1000.0
        notes.append(
            f"{label}: {rr.size} RR intervals turned into heart rate at 4 Hz (60000/RR at each beat, "
            "linear interpolation)."
        )
        return _Track(hr, 4.0, first_beat, "hr", label, "RR")
    raise RecordingError(
        "This file is neither an Empatica E4 file (line 1 Unix start time, line 2 sampling rate) nor a "
        "list of RR intervals in ms. A two-person CSV must be given on its own, not as one of a pair.",
        source=label,
        row=1,
    )


def _utc(unix_s: float) -> str:
    return pd.Timestamp(unix_s, unit="s", tz="UTC").strftime("%Y-%m-%d %H:%M:%S UTC")


def _load_pair(
    sources: tuple[object, object],
    names: tuple[str, str],
    *,
    kind: str | None,
    fs_out: float | None,
    max_gap_s: float,
) -> Session:
    notes: list[str] = []
    tracks = []
    for src, label, person in zip(sources, names, PEOPLE, strict=True):
        text = _decode(_read_bytes(src, label), label)
        tracks.append(_single_track(text, label, kind, max_gap_s, notes, person))
    p, c = tracks
    both = f"{p.label} + {c.label}"
    if p.kind != c.kind:
        raise RecordingError(
            f"The two files hold different signals ({p.label}: {_KIND_NAMES[p.kind]}, {c.label}: "
            f"{_KIND_NAMES[c.kind]}). Give both people's files of the same kind.",
            source=both,
        )
    if p.fmt == "E4" and c.fmt == "E4":
        t0 = min(p.start_s, c.start_s)  # type: ignore[type-var]
        sp, sc = float(p.start_s) - t0, float(c.start_s) - t0  # type: ignore[arg-type]
        later, offset = ("clinician", sc - sp) if sc >= sp else ("patient", sp - sc)
        notes.append(
            f"Aligned on the E4 start times ({p.label}: {_utc(float(p.start_s))}, {c.label}: "
            f"{_utc(float(c.start_s))}); the {later}'s recording started {offset:.3g} s later, so the "
            "session starts there and ends when the first recording ends."
        )
    else:
        sp, sc = float(p.start_s or 0.0), float(c.start_s or 0.0)
        notes.append(
            "The files carry no clock time, so both are taken to start at the same moment (the first beat "
            "of each file)."
        )
        sp = sc = 0.0
    try:
        pair = preprocess.resample_pair(p.values, p.fs, c.values, c.fs, fs=fs_out, start_x_s=sp, start_y_s=sc)
    except InputError as exc:
        if p.fmt == "E4":
            raise RecordingError(
                f"The two recordings do not overlap in time: {p.label} runs "
                f"{format_seconds(p.values.size / p.fs)} "
                f"from {_utc(float(p.start_s))}, {c.label} {format_seconds(c.values.size / c.fs)} from "
                f"{_utc(float(c.start_s))}. Choose files from the same session.",
                source=both,
            ) from None
        raise RecordingError(str(exc), source=both) from None
    if p.fs != c.fs:
        notes.append(f"Sampling rates differ ({p.fs:g} and {c.fs:g} Hz); both put on {pair.fs:g} Hz.")
    columns = {(p.kind, "patient"): np.asarray(pair.x), (p.kind, "clinician"): np.asarray(pair.y)}
    ok = np.isfinite(pair.x) & np.isfinite(pair.y)
    if not ok.all():
        idx = np.flatnonzero(ok)
        if idx.size < 2:
            raise RecordingError("The two recordings have no valid samples in common.", source=both)
        columns = {k: v[idx[0] : idx[-1] + 1] for k, v in columns.items()}
        for key, v in columns.items():
            report = preprocess.fill_gaps(v, pair.fs, max_gap_s=max_gap_s)
            if report.long_gaps:
                raise RecordingError(
                    f"The {key[1]}'s recording has a gap of "
                    f"{format_seconds(report.long_gaps[0].duration_s)}; cut the files before or after it.",
                    source=both,
                )
            columns[key] = np.asarray(report.values)
    return _finish(
        columns,
        pair.fs,
        both,
        notes=notes,
        fs_out=None if fs_out is None else pair.fs,
        title=both,
        description=f"Recording from {p.label} (patient) and {c.label} (clinician), {p.fmt} format.",
    )


_ZIP_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError,
    ValueError, zlib.error, struct.error, IndexError, KeyError, UnicodeError,
)  # fmt: skip


def _unzip(data: bytes, label: str) -> list[tuple[str, bytes]]:
    """The files inside a ZIP upload, read in memory with the size limit applied to each (no zip bombs)."""
    not_usable = (
        "This ZIP archive cannot be opened (damaged, encrypted or an Excel .xlsx workbook saved as .zip). "
        "Upload the CSV file(s) themselves, or a plain ZIP holding the patient's and the clinician's file."
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [
            i
            for i in archive.infolist()
            if i.filename
            and not i.is_dir()
            and not i.filename.startswith("__MACOSX")
            and not Path(i.filename).name.startswith(".")
        ]
    except _ZIP_ERRORS:
        raise RecordingError(not_usable, source=label) from None
    names = [i.filename for i in infos]
    if any(n.startswith("xl/") or n == "[Content_Types].xml" for n in names):
        raise RecordingError(
            "This is an Excel .xlsx workbook, not a CSV file. In Excel choose File > Save As > CSV and "
            "upload that file.",
            source=label,
        )
    if not 1 <= len(infos) <= 2:
        raise RecordingError(
            f"The ZIP archive holds {len(infos)} files; it must hold either one CSV with both people or two "
            "files, one per person, with 'patient' and 'clinician' in their names.",
            source=label,
        )
    out = []
    for info in infos:
        inner = f"{label}/{Path(info.filename).name}"
        _check_size(info.file_size, inner)
        try:
            with archive.open(info) as fh:
                content = fh.read(MAX_FILE_BYTES + 1)
        except _ZIP_ERRORS:
            raise RecordingError(not_usable, source=label) from None
        _check_size(len(content), inner)
        out.append((Path(info.filename).name, content))
    return out


def _order_by_person(
    files: list[tuple[str, bytes]], label: str
) -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    people = [_person_of(Path(name).stem) for name, _ in files]
    if sorted(p or "" for p in people) != ["clinician", "patient"]:
        raise RecordingError(
            f"Cannot tell whose file is whose in the ZIP archive ({files[0][0]!r}, {files[1][0]!r}). Put "
            "'patient' in one file name and 'clinician' (or 'therapist', 'doctor') in the other.",
            source=label,
        )
    p = files[people.index("patient")]
    c = files[people.index("clinician")]
    return p, c


def _load_csv(
    source: object,
    label: str,
    *,
    fs: float | None,
    time_column: str | None,
    patient_column: str | None,
    clinician_column: str | None,
    kind: str | None,
    fs_out: float | None,
    max_gap_s: float,
) -> Session:
    text = _decode(_read_bytes(source, label), label)
    if _looks_like_e4(text) or (_looks_like_rr(text) and time_column is None and patient_column is None):
        what = "an Empatica E4 file" if _looks_like_e4(text) else "a list of RR intervals"
        raise RecordingError(
            f"This looks like {what}, which holds one person's signal. Give both people's files together: "
            "load_recording({'patient': 'patient_EDA.csv', 'clinician': 'clinician_EDA.csv'}), or a CSV with "
            "one column per person.",
            source=label,
            row=1,
        )
    table = _read_table(text, label)
    if not table.lines.size:
        raise RecordingError("The file has a header line but no data lines.", source=label)
    time_col, signals, notes = _choose_columns(
        table,
        label,
        time_column=time_column,
        patient_column=patient_column,
        clinician_column=clinician_column,
        kind=kind,
        fs=fs,
    )
    notes = table.notes + notes
    prep = _regularise(table, time_col, signals, fs, max_gap_s, label, notes)
    _check_grid(next(iter(prep.columns.values())).size, prep.fs, label)
    prep = _handle_gaps(prep, max_gap_s, label, notes)
    kinds = ", ".join(_KIND_NAMES[k] for k in signals)
    return _finish(
        prep.columns,
        prep.fs,
        label,
        notes=notes,
        fs_out=fs_out,
        title=label,
        description=f"Recording from {label}: {kinds}.",
    )


def load_recording(
    source: Any,
    *,
    name: str | Sequence[str] | None = None,
    fs: float | None = None,
    time_column: str | None = None,
    patient_column: str | None = None,
    clinician_column: str | None = None,
    kind: str | None = None,
    fs_out: float | None = None,
    max_gap_s: float = MAX_GAP_S,
) -> Session:
    """Read a two-person recording (generic CSV, an Empatica E4 pair or an RR-interval pair) into a Session.

    See the module documentation for the accepted layouts.

    Parameters
    ----------
    source : path, bytes, file object, or a pair of them
        One CSV with a column per person; two one-person files as ``{"patient": a, "clinician": b}``
        or ``(patient, clinician)`` (Empatica E4 ``EDA.csv``/``HR.csv``, or RR intervals in ms); or a ZIP
        archive holding such a pair (file names saying who is who) or one CSV. A path is a
        ``str``/``Path``; a ``str`` containing a line break is read as the file's text. Each file may be
        at most :data:`MAX_FILE_BYTES` (20 MB); a larger one is refused before it is parsed.
    name : str or pair of str, optional
        File name(s) used in messages and as the session title (default: the path's name, or
        ``"<upload>"`` / ``"patient file"`` and ``"clinician file"``).
    fs : float, optional
        Sampling rate (Hz) of a CSV without a time column. With a time column the rate is read from the
        time stamps; ``fs`` is then the grid rate for irregular stamps.
    time_column, patient_column, clinician_column : str, optional
        Column names (CSV); guessed from the header when left out, and the guess is written to
        ``session.notes``.
    kind : {"eda", "hr"}, optional
        Signal type of the person columns (default: from the header, else ``"eda"``, reported).
    fs_out : float, optional
        Sampling rate (Hz) of the returned session (default: the file's, capped at :data:`MAX_FS`; for a
        pair, the lower of the two).
    max_gap_s : float
        Longest run of missing samples to interpolate, seconds (default 2 s); longer gaps are refused.

    Returns
    -------
    Session
        ``simulated=False``, ``ground_truth=None``, signals ``{"eda": ...}`` and/or ``{"hr": ...}`` on one
        time base starting at 0 s, and ``notes`` saying what was guessed, converted, filled or cut.

    Raises
    ------
    RecordingError
        For everything wrong with a file; the message names the file, the line and what to fix.
    InputError, ParameterError
        For wrong arguments (an ``fs`` that is not a positive number, an unknown ``kind``).

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(0, 50, 0.5)
    >>> body = "\\n".join(f"{5 + np.sin(x):.3f};{6 + np.cos(x):.3f}".replace(".", ",") for x in t)
    >>> s = load_recording(("P;C\\n" + body).encode(), name="dyad.csv", fs=2)
    >>> s.duration_s, s.pair("eda")[0][:2].tolist()
    (50.0, [5.0, 5.479])
    >>> any("GUESSED" in n or "guessed" in n for n in s.notes)
    True

    References
    ----------
    Empatica E4 layout: *wearables* R package, ``read_e4`` documentation,
    https://search.r-project.org/CRAN/refmans/wearables/html/read_e4.html.
    """
    kind = _check_kind(kind)
    if fs is not None:
        fs = as_fs(fs)
    if fs_out is not None:
        fs_out = as_fs(fs_out)
        if not MIN_FS <= fs_out <= MAX_FS:
            raise InputError(
                f"fs_out must be between {MIN_FS:g} and {MAX_FS:g} Hz for skin conductance and heart rate; "
                f"got {fs_out:g} Hz."
            )
    max_gap_s = as_duration_s(max_gap_s, "max_gap_s", allow_zero=True, meaning="the longest gap to fill")
    try:
        if isinstance(source, Mapping) or (
            isinstance(source, Sequence) and not isinstance(source, str | bytes | bytearray)
        ):
            if isinstance(source, Mapping):
                missing = [p for p in PEOPLE if p not in source]
                if missing or len(source) != 2:
                    raise InputError(
                        "A pair of files is given as {'patient': ..., 'clinician': ...}; got keys "
                        f"{sorted(map(str, source))}."
                    )
                pair = (source["patient"], source["clinician"])
            else:
                if len(source) != 2:
                    raise InputError(f"Give two files (patient, clinician); got {len(source)}.")
                pair = (source[0], source[1])
            if name is None or isinstance(name, str):
                names = (
                    _label(pair[0], None, "patient file"),
                    _label(pair[1], None, "clinician file"),
                )
                if names[0] == names[1]:
                    names = (f"patient {names[0]}", f"clinician {names[1]}")
            else:
                if len(name) != 2:
                    raise InputError("name must be one name per file: (patient_name, clinician_name).")
                names = (str(name[0]), str(name[1]))
            return _load_pair(pair, names, kind=kind, fs_out=fs_out, max_gap_s=max_gap_s)
        if name is not None and not isinstance(name, str):
            raise InputError("name must be a text for a single file.")
        label = _label(source, name, "<upload>")
        data = _read_bytes(source, label)
        if data.startswith(b"PK\x03\x04"):
            files = _unzip(data, label)
            if len(files) == 2:
                (pn, pdata), (cn, cdata) = _order_by_person(files, label)
                session = _load_pair(
                    (pdata, cdata),
                    (f"{label}/{pn}", f"{label}/{cn}"),
                    kind=kind,
                    fs_out=fs_out,
                    max_gap_s=max_gap_s,
                )
                return dataclasses.replace(
                    session,
                    notes=(
                        f"{label}: ZIP archive; patient = {pn!r}, clinician = {cn!r} (from the file names).",
                        *session.notes,
                    ),
                )
            label, data = f"{label}/{files[0][0]}", files[0][1]
        return _load_csv(
            data,
            label,
            fs=fs,
            time_column=time_column,
            patient_column=patient_column,
            clinician_column=clinician_column,
            kind=kind,
            fs_out=fs_out,
            max_gap_s=max_gap_s,
        )
    except EmpathyExplorerError:
        raise
    except MemoryError:
        raise RecordingError(
            "The file needs more memory than this app has; cut it into shorter parts."
        ) from None
