"""Rebuild the malformed-recording corpus and its README (``python tests/data/malformed/make_corpus.py``).

Each case is one file (or a patient + clinician pair) that a user could plausibly upload, the error class
:func:`empathy_explorer.recordings.load_recording` must raise, a phrase its message must contain, and the
file line the error must name (``-`` when the problem is not on one line). ``tests/recordings/test_load.py``
reads the table in ``README.md`` and checks every row; the app's browser test can upload the files in turn.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

HERE = Path(__file__).parent
# ZIP archives with fixed time stamps (byte-for-byte rebuilds), as the example recordings are built
_examples = importlib.util.spec_from_file_location(
    "make_examples", HERE.parent / "recordings" / "make_examples.py"
)
assert _examples is not None and _examples.loader is not None
_make_examples = importlib.util.module_from_spec(_examples)
_examples.loader.exec_module(_make_examples)
zip_bytes = _make_examples.zip_bytes
HEADER = "time_s,patient,clinician"


def rows(n: int = 240, fs: float = 4.0, start: int = 0) -> list[str]:
    """Good data lines: ``time,patient,clinician`` at ``fs`` Hz."""
    out = []
    for i in range(start, start + n):
        t = i / fs
        out.append(f"{t:.2f},{5 + 0.5 * math.sin(t / 3):.4f},{7 + 0.3 * math.cos(t / 2):.4f}")
    return out


def csv(lines: list[str], header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def e4(start: float, fs: float, n: int) -> bytes:
    body = [f"{2 + 0.2 * math.sin(i / 9):.6f}" for i in range(n)]
    return ("\n".join([f"{start:.6f}", f"{fs:.6f}", *body]) + "\n").encode()


def with_line(lines: list[str], index: int, new: str) -> list[str]:
    out = list(lines)
    out[index] = new
    return out


GOOD = rows()
# (file name, bytes, error class, phrase, line or None, what it shows)
CASES: list[tuple[str, bytes, str, str, int | None, str]] = [
    ("empty.csv", b"", "RecordingError", "The file is empty", None, "a 0-byte file"),
    ("blank.csv", b"\n \r\n\t\n", "RecordingError", "The file is empty", None, "only blank lines"),
    ("header_only.csv", csv([]), "RecordingError", "no data lines", None, "a header and nothing else"),
    (
        "comments_only.csv",
        b"# exported 2024-01-01\n# device X\n",
        "RecordingError",
        "no data lines",
        None,
        "only comment lines",
    ),
    (
        "pipe_separated.csv",
        ("\n".join(r.replace(",", "|") for r in [HEADER, *GOOD]) + "\n").encode(),
        "RecordingError",
        "vertical bars",
        1,
        "columns separated by vertical bars instead of commas, semicolons or tabs",
    ),
    (
        "space_separated.csv",
        ("\n".join(r.replace(",", " ") for r in [HEADER, *GOOD]) + "\n").encode(),
        "RecordingError",
        "spaces",
        1,
        "columns separated by spaces",
    ),
    (
        "decimal_comma_in_comma_file.csv",
        ("\n".join([HEADER] + [r.replace(".", ",") for r in GOOD]) + "\n").encode(),
        "RecordingError",
        "decimal commas",
        2,
        "decimal commas in a comma-separated file",
    ),
    (
        "ragged_row.csv",
        csv(with_line(GOOD, 9, GOOD[9] + ",5.0")),
        "RecordingError",
        "values but the header has 3 columns",
        11,
        "one line with an extra value",
    ),
    (
        "missing_clinician_column.csv",
        csv([r.rsplit(",", 1)[0] for r in GOOD], "time_s,patient"),
        "RecordingError",
        "no column for the clinician",
        1,
        "only the patient's column",
    ),
    (
        "unnamed_columns.csv",
        csv([r + ",1.0" for r in GOOD], "time_s,left,right,extra"),
        "RecordingError",
        "Cannot tell which column is the patient",
        1,
        "three columns, none named after a person",
    ),
    (
        "no_time_no_fs.csv",
        csv([r.split(",", 1)[1] for r in GOOD], "patient,clinician"),
        "RecordingError",
        "no time column and no sampling rate",
        1,
        "no time column and no fs= given",
    ),
    (
        "non_numeric_value.csv",
        csv(with_line(GOOD, 40, "10.00,5.1,n/a?")),
        "RecordingError",
        "is not a number",
        42,
        "text in a measurement column",
    ),
    (
        "clock_times.csv",
        csv([f"12:00:{i // 4:02d}.{25 * (i % 4):02d},5.{i % 7},7.{i % 5}" for i in range(240)]),
        "RecordingError",
        "clock times",
        2,
        "time given as hh:mm:ss instead of seconds",
    ),
    (
        "time_goes_backwards.csv",
        csv(with_line(GOOD, 100, "20.00" + GOOD[100][5:])),
        "RecordingError",
        "The time goes backwards",
        102,
        "a time stamp earlier than the one before",
    ),
    (
        "duplicate_time.csv",
        csv(GOOD[:51] + GOOD[50:]),
        "RecordingError",
        "Duplicate time stamp",
        53,
        "the same line pasted twice",
    ),
    (
        "missing_time.csv",
        csv(with_line(GOOD, 30, "," + GOOD[30].split(",", 1)[1])),
        "RecordingError",
        "is missing",
        32,
        "a line without its time",
    ),
    (
        "long_gap.csv",
        csv(
            [r if not 80 <= i < 100 else r.split(",")[0] + ",," + r.split(",")[2] for i, r in enumerate(GOOD)]
        ),
        "RecordingError",
        "longer than the 2 s that can be filled",
        82,
        "5 s of the patient's values missing",
    ),
    (
        "time_jump.csv",
        csv(rows(120) + rows(120, start=240)),
        "RecordingError",
        "between line 121 and line 122",
        121,
        "the logger paused: time stamps jump from 29.75 s to 60 s",
    ),
    (
        "unequal_lengths.csv",
        csv([r if i < 180 else r.rsplit(",", 1)[0] + "," for i, r in enumerate(GOOD)]),
        "RecordingError",
        "unequal lengths",
        182,
        "the clinician's column stops 15 s early",
    ),
    (
        "negative_eda.csv",
        csv(with_line(GOOD, 60, "15.00,-0.5,7.1")),
        "RecordingError",
        "negative",
        62,
        "a negative skin conductance",
    ),
    (
        "eda_in_nanosiemens.csv",
        csv(
            [
                f"{r.split(',')[0]},{float(r.split(',')[1]) * 1000:.1f},{float(r.split(',')[2]) * 1000:.1f}"
                for r in GOOD
            ]
        ),
        "RecordingError",
        "far above any value in µS",
        2,
        "skin conductance in nS",
    ),
    (
        "heart_rate_impossible.csv",
        csv(
            [f"{i / 2:.1f},{70 + i % 5},{80 - i % 3}" for i in range(100)][:40]
            + ["20.0,300,80"]
            + [f"{i / 2:.1f},{70 + i % 5},{80 - i % 3}" for i in range(41, 100)],
            "time_s,hr_patient,hr_clinician",
        ),
        "RecordingError",
        "outside the possible range 20–250 bpm",
        42,
        "a heart rate of 300 bpm",
    ),
    (
        "infinite_value.csv",
        csv(with_line(GOOD, 5, "1.25,inf,7.0")),
        "RecordingError",
        "infinite",
        7,
        "an infinite value",
    ),
    (
        "constant_signal.csv",
        csv([r.rsplit(",", 1)[0] + ",7.0" for r in GOOD]),
        "RecordingError",
        "is constant",
        None,
        "a sensor that never changed",
    ),
    ("too_short.csv", csv(GOOD[:80]), "RecordingError", "too short to analyse", None, "20 s of data"),
    (
        "binary_garbage.csv",
        bytes((i * 97 + 13) % 256 for i in range(4000)),
        "RecordingError",
        "not a text (CSV) file",
        None,
        "random binary bytes with a .csv name",
    ),
    (
        "excel_workbook.csv",
        b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4,
        "RecordingError",
        "Excel",
        None,
        "an .xlsx workbook renamed to .csv",
    ),
    (
        "real_excel_workbook.xlsx",
        zip_bytes([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>")]),
        "RecordingError",
        "Excel .xlsx workbook",
        None,
        "a real (tiny) .xlsx structure",
    ),
    (
        "zip_three_files.zip",
        zip_bytes([(f"{who}_EDA.csv", e4(1600000000, 4, 400)) for who in ("patient", "clinician", "nurse")]),
        "RecordingError",
        "holds 3 files",
        None,
        "a ZIP with three people's files",
    ),
    (
        "zip_unnamed_pair.zip",
        zip_bytes([("A_EDA.csv", e4(1600000000, 4, 400)), ("B_EDA.csv", e4(1600000000, 4, 400))]),
        "RecordingError",
        "Cannot tell whose file is whose",
        None,
        "a ZIP pair whose file names do not say who is who",
    ),
    (
        "utf16_without_bom.csv",
        csv(GOOD[:60]).decode().encode("utf-16-le"),
        "RecordingError",
        "UTF-16",
        None,
        "UTF-16 text without a byte-order mark",
    ),
    (
        "e4_single_file.csv",
        e4(1600000000, 4, 400),
        "RecordingError",
        "holds one person's signal",
        1,
        "one E4 EDA.csv uploaded alone",
    ),
    (
        "e4_bad_start__patient.csv + e4_bad_start__clinician.csv",
        b"",
        "RecordingError",
        "start time in Unix seconds",
        1,
        "E4 pair whose first file has a start time that is not Unix seconds",
    ),
    (
        "e4_acc__patient.csv + e4_acc__clinician.csv",
        b"",
        "RecordingError",
        "like ACC.csv",
        1,
        "E4 ACC.csv (3 columns) instead of EDA.csv",
    ),
    (
        "e4_no_overlap__patient.csv + e4_no_overlap__clinician.csv",
        b"",
        "RecordingError",
        "do not overlap in time",
        None,
        "E4 files from different days",
    ),
    (
        "e4_negative__patient.csv + e4_negative__clinician.csv",
        b"",
        "RecordingError",
        "The clinician's skin conductance is negative",
        11,
        "E4 pair with a negative value in the clinician's EDA.csv",
    ),
    (
        "rr_impossible__patient.txt + rr_impossible__clinician.txt",
        b"",
        "RecordingError",
        "outside the possible range",
        13,
        "an RR interval of 150 ms (400 bpm) in the clinician's file",
    ),
]

PAIRS: dict[str, bytes] = {
    "e4_bad_start__patient.csv": b"123.0\n4.0\n" + b"2.0\n2.1\n" * 200,
    "e4_bad_start__clinician.csv": e4(1600000000, 4, 400),
    "e4_acc__patient.csv": b"1600000000.0, 1600000000.0, 1600000000.0\n32.0, 32.0, 32.0\n" + b"1,2,3\n" * 50,
    "e4_acc__clinician.csv": b"1600000000.0, 1600000000.0, 1600000000.0\n32.0, 32.0, 32.0\n"
    + b"1,2,3\n" * 50,
    "e4_no_overlap__patient.csv": e4(1600000000, 4, 400),
    "e4_no_overlap__clinician.csv": e4(1600086400, 4, 400),
    "e4_negative__patient.csv": e4(1600000000, 4, 400),
    "e4_negative__clinician.csv": e4(1600000000, 4, 400).replace(b"\n", b"\n-", 10).replace(b"\n-", b"\n", 9),
    "rr_impossible__patient.txt": ("\n".join(str(800 + i % 9) for i in range(80)) + "\n").encode(),
    "rr_impossible__clinician.txt": (
        "RR (ms)\n" + "\n".join("150" if i == 11 else str(850 + i % 7) for i in range(80)) + "\n"
    ).encode(),
}


def build() -> None:
    for path in HERE.iterdir():
        if path.name not in ("make_corpus.py", "README.md") and path.is_file():
            path.unlink()
    table = []
    for name, data, cls, phrase, line, what in CASES:
        if " + " not in name:
            (HERE / name).write_bytes(data)
        table.append(f"| {name} | {cls} | {phrase} | {line if line is not None else '-'} | {what} |")
    for name, data in PAIRS.items():
        (HERE / name).write_bytes(data)
    readme = f"""# Malformed recordings

Files a user could plausibly upload by mistake. For each, `load_recording` must raise the named error class
(from `empathy_explorer.errors`) with a message containing the phrase and, where a line is given, naming
that line (`file, line N: ...`). `a + b` is a pair given as `{{"patient": a, "clinician": b}}`.
`tests/recordings/test_load.py::test_malformed_corpus` reads this table. Rebuild everything with
`python tests/data/malformed/make_corpus.py`.

A file larger than `MAX_FILE_BYTES` (20 MB) is not committed (it would bloat the repository); the tests
generate one in memory and check it is refused before parsing with a message stating the 20 MB limit.

| file | error | phrase | line | what it shows |
| --- | --- | --- | --- | --- |
{chr(10).join(table)}
"""
    (HERE / "README.md").write_text(readme, encoding="utf-8")


if __name__ == "__main__":
    build()
