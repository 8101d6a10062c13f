"""Shared pieces of the recording readers: limits, reading bytes, decoding text, one person's Track.

The readers are split by step; every format module (:mod:`.e4`, :mod:`.polar_hrm`, ...) builds on them:

- here: the limits (:data:`MAX_FILE_BYTES`, :data:`MIN_DURATION_S`, ...), bytes read with the size limit
  checked first, text decoded (:func:`_decode`), one person's :class:`Track` (:func:`rr_track` for beat
  intervals), :func:`rr_to_heart_rate` and :func:`resample_np`;
- :mod:`._table`: a delimited file read into float columns with their file lines;
- :mod:`._columns`: which columns are the time and each person's signal;
- :mod:`._grid`: value and time checks, one regular grid, gaps, and the finished Session;
- :mod:`._sniff` (which format a file is), :mod:`._pair` (two one-person files into one Session) and
  :mod:`._zip` (ZIP uploads), used by :func:`empathy_explorer.recordings.load_recording`.
"""

from __future__ import annotations

import codecs
import dataclasses
import itertools
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from empathy_explorer import preprocess
from empathy_explorer.errors import InputError, RecordingError
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
