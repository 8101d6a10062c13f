"""Reading a delimited text file (CSV, semicolons or tabs) into float columns with their file lines.

The comment and ``sep=`` lines at the top are skipped, the separator and the decimal mark are sniffed, a
units line under the header is recognised, and every cell that is not a number is refused naming its line.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from empathy_explorer.errors import RecordingError
from empathy_explorer.recordings._common import _DECIMAL_COMMA, MAX_COLUMNS, _is_number_text, _Text


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


def read_csv_bytes(
    text: _Text, *, sep: str, skiprows: int, header: int | None, decimal: str = "."
) -> pd.DataFrame:
    """``pandas.read_csv`` on the decoded file's bytes, with the options every reader here uses (C engine,
    blank lines kept so that row numbers stay file lines, undecodable bytes replaced)."""
    return pd.read_csv(
        io.BytesIO(text.data),
        sep=sep,
        decimal=decimal,
        header=header,
        skiprows=skiprows,
        encoding=text.encoding,
        skip_blank_lines=False,
        engine="c",
        low_memory=False,
        encoding_errors="replace",
    )


def _read_table(text: _Text, label: str) -> _Table:
    """Parse a generic CSV into float columns with the file line of every row."""
    skip, declared = _skip_preamble(text.lines)
    body = text.lines[skip:]
    if not any(ln.strip() for ln in body):
        raise RecordingError("The file has no data lines (only comments or blank lines).", source=label)
    delimiter, decimal = _separators(body, declared, label, skip)
    has_header = _check_header(body[0], delimiter, label, skip)
    notes = list(text.notes)
    if decimal == ",":
        notes.append(f"{label}: decimal commas (0,52) read as decimal points.")
    frame = _parse_frame(text, delimiter, decimal, skip, has_header, label)
    if not has_header:
        frame.columns = [f"column {i + 1}" for i in range(frame.shape[1])]
    header_lines = skip + (1 if has_header else 0)
    lines = np.arange(frame.shape[0], dtype=np.int64) + header_lines + 1
    if has_header and frame.shape[0] > 1:
        frame, lines = _units_line(frame, lines, label, notes)
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


def _separators(body: list[str], declared: str | None, label: str, skip: int) -> tuple[str, str]:
    """The column separator and decimal mark: an Excel ``sep=`` line's, else sniffed; one column refused."""
    delimiter: str | None
    if declared is not None:
        delimiter, decimal = declared, "."
        cells = [c for r in body[1:50] for c in r.split(declared)]
        if declared != "," and any(_DECIMAL_COMMA.match(c) for c in cells):
            decimal = ","
    else:
        delimiter, decimal = _sniff_delimiter(body, label, skip + 1)
    if delimiter is None:
        raise RecordingError(
            "Only one column was found: line "
            f"{skip + 1} reads {body[0].strip()[:60]!r}. A recording needs a column per person, separated by "
            f"commas, semicolons or tabs.{_describe_one_column(body[0])}",
            source=label,
            row=skip + 1,
        )
    return delimiter, decimal


def _check_header(first: str, delimiter: str, label: str, skip: int) -> bool:
    """Whether the first line is a header (not all numbers); refuse more than :data:`MAX_COLUMNS` cells."""
    header_cells = [c.strip().strip('"').strip() for c in first.split(delimiter)]
    if len(header_cells) > MAX_COLUMNS:
        raise RecordingError(
            f"Line {skip + 1} has more than {MAX_COLUMNS} columns ({len(header_cells):,} counted). A "
            "recording needs a time column and one column per person: delete the other columns, or check "
            "that the file is not written on one long line.",
            source=label,
            row=skip + 1,
        )
    return not all(_is_number_text(c) for c in header_cells if c) or not any(header_cells)


def _parse_frame(
    text: _Text, delimiter: str, decimal: str, skip: int, has_header: bool, label: str
) -> pd.DataFrame:
    """The table parsed by pandas; its errors said in words (line and what to fix)."""
    try:
        return read_csv_bytes(
            text, sep=delimiter, decimal=decimal, header=0 if has_header else None, skiprows=skip
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


def _units_line(
    frame: pd.DataFrame, lines: np.ndarray, label: str, notes: list[str]
) -> tuple[pd.DataFrame, np.ndarray]:
    """A first data row without any number is a units line: its words join the column names."""
    first_row = [str(v).strip() for v in frame.iloc[0].tolist() if not pd.isna(v)]
    if not first_row or any(_is_number_text(v.replace(",", ".")) for v in first_row):
        return frame, lines
    notes.append(f"{label}: line {int(lines[0])} ({', '.join(first_row)[:60]}) read as a units line.")
    units = ["" if pd.isna(v) else str(v).strip() for v in frame.iloc[0].tolist()]
    frame = frame.iloc[1:]
    frame.columns = [f"{c} ({u})" if u else str(c) for c, u in zip(frame.columns, units, strict=True)]
    return frame, lines[1:]
