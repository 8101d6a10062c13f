"""Fuzzing :func:`empathy_explorer.recordings.load_recording` (and its helpers) with hypothesis.

Contract checked for every generated input -- random bytes, random CSV dialects (separator, decimal mark,
quoting, line endings, header names, blank cells, extra or missing cells), encodings (UTF-8 with and
without BOM, UTF-16, Latin-1, cp1252), huge, tiny, NaN and infinite numbers, time columns that repeat or go
backwards, lengths from 0 to a few thousand lines, E4 and RR pairs with random headers, and random
arguments:

- the call returns a :class:`~empathy_explorer.sessions.session.Session` or raises the package's own
  :class:`~empathy_explorer.errors.EmpathyExplorerError` with a message (never ``IndexError``,
  ``pandas.errors.ParserError``, ``UnicodeDecodeError``...);
- no numpy ``RuntimeWarning`` escapes;
- each call finishes within ``CALL_TIMEOUT_S`` (``SIGALRM``), so a hang fails instead of stalling CI;
- a returned session is finite, at least ``MIN_DURATION_S`` long and labelled as not simulated.

Memory is bounded separately: loading a valid CSV just under ``MAX_FILE_BYTES`` (32 Hz regular, and
256 Hz with irregular stamps, the costliest path) keeps the peak traced allocation (:mod:`tracemalloc`)
under ``MEMORY_BOUND_BYTES`` (250 MB) and the growth of the peak resident memory of a fresh process (which
also counts pandas' C parser) under ``RSS_BOUND_BYTES`` (300 MB); Binder gives 1-2 GB per user. Measured
on the development machine: about 55 / 135 MB traced and 80 / 150 MB resident, in 0.15 / 0.3 s.

Hypothesis runs derandomized with no example database, so runs are reproducible and the file is fast.
"""

from __future__ import annotations

import codecs
import io
import math
import subprocess
import sys
import time
import tracemalloc
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from empathy_explorer import recordings
from empathy_explorer.errors import EmpathyExplorerError
from empathy_explorer.sessions.session import Session
from tests.support.checks import call_checked
from tests.support.fuzz_limits import fuzz_settings, time_bound
from tests.support.paths import TEST_DATA

CALL_TIMEOUT_S = 5.0
MEMORY_BOUND_BYTES = 250 * 1024**2
RSS_BOUND_BYTES = 300 * 1024**2
FUZZ = fuzz_settings(max_examples=150)


def load_checked(source, **kwargs):
    """Call load_recording; return the Session, or None when it raised the package's own error."""
    result = call_checked(recordings.load_recording, source, _timeout_s=CALL_TIMEOUT_S, **kwargs)
    if result is not None:
        assert isinstance(result, Session) and result.simulated is False
        assert result.duration_s >= recordings.MIN_DURATION_S - 1e-9
        for x, y in result.signals.values():
            assert np.isfinite(x).all() and np.isfinite(y).all()
    return result


# ----------------------------------------------------------------------------------------- strategies
NUMBERS = st.one_of(
    st.floats(min_value=0.5, max_value=30.0),  # plausible µS
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e308, -1e308, 5e-324, 1e20, -3.0, 300.0, math.nan, math.inf]),
    st.integers(-(2**70), 2**70),
)
CELLS = st.one_of(
    NUMBERS.map(str),
    NUMBERS.map(lambda v: f"{v:.3f}" if isinstance(v, float) and math.isfinite(v) else str(v)),
    st.sampled_from(["", "NA", "nan", "-", "n/a", "12:00:01", "1,5", "0x1f", "1e400", '"3.2"', "µS", "  "]),
    st.text(max_size=6),
)
HEADERS = st.sampled_from(
    [
        ["time", "patient", "clinician"],
        ["t", "p", "c"],
        ["time_s", "eda_patient", "eda_clinician", "hr_patient", "hr_clinician"],
        ["Zeit (s)", "Patient µS", "Therapeut µS"],
        ["patient", "clinician"],
        ["time_ms", "person1", "person2"],
        ["time", "a", "b", "c"],
        ["time", "patient"],
        ["", "", ""],
        ["time", "patient", "patient"],
    ]
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"])


SANE_HEADERS = st.sampled_from(
    [
        ["time", "patient", "clinician"],
        ["t", "p", "c"],
        ["time_s", "eda_patient", "eda_clinician", "hr_patient", "hr_clinician"],
        ["Zeit (s)", "Patient µS", "Therapeut µS"],
        ["time_ms", "person1", "person2"],
    ]
)


@st.composite
def csv_files(draw) -> bytes:
    """A CSV in a random dialect: half of them plausible with light damage, half anything goes."""
    plausible = draw(st.booleans())
    if plausible:
        header = list(draw(SANE_HEADERS))
        sep = draw(st.sampled_from([",", ";", "\t"]))
        decimal = "." if sep == "," else draw(st.sampled_from([".", ","]))
        n = draw(st.integers(100, 2000))
        fs = draw(st.sampled_from([2.0, 4.0, 32.0, 64.0]))
        time_kind = draw(st.sampled_from(["regular", "regular", "jitter"]))
        damage = draw(st.lists(st.tuples(st.integers(0, n - 1), CELLS), max_size=2))
    else:
        header = list(draw(st.one_of(HEADERS, st.lists(st.text(max_size=8), min_size=1, max_size=5))))
        sep = draw(st.sampled_from([",", ";", "\t", "|", " ", ", "]))
        decimal = draw(st.sampled_from([".", ".", ","]))
        n = draw(st.one_of(st.integers(0, 5), st.integers(150, 400), st.integers(0, 2000)))
        fs = draw(st.sampled_from([1.0, 4.0, 32.0, 0.01, 1000.0]))
        time_kind = draw(st.sampled_from(["regular", "jitter", "shuffled", "duplicate", "huge"]))
        damage = draw(st.lists(st.tuples(st.integers(0, max(n - 1, 0)), CELLS), max_size=4))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    times = np.arange(n) / fs
    if "time_ms" in header:
        times = times * 1000
    if time_kind == "jitter":
        times = times + rng.uniform(0, 0.4 / fs, n)
    elif time_kind == "shuffled":
        rng.shuffle(times)
    elif time_kind == "duplicate" and n > 3:
        times[n // 2] = times[n // 2 - 1]
    elif time_kind == "huge":
        times = times * 1e300
    base = 5 + np.sin(np.arange(n) / 7.0) + rng.normal(0, 0.05, (max(len(header) - 1, 1), n))
    if "hr_patient" in header:
        base[2:] = base[2:] * 14
    lines = [sep.join(header)] if plausible or draw(st.booleans()) or n == 0 else []
    damaged = dict(damage)
    for i in range(n):
        cells = [f"{times[i]:.6g}"] + [f"{v:.4f}" for v in base[: len(header) - 1, i]]
        if decimal == ",":
            cells = [c.replace(".", ",") for c in cells]
        if i in damaged:
            cells[rng.integers(len(cells))] = damaged[i]
        lines.append(sep.join(cells))
    if not plausible and draw(st.booleans()) and lines:
        lines.insert(
            rng.integers(len(lines)), draw(st.sampled_from(["", "# comment", "sep=;", "1,2,3,4,5,6"]))
        )
    text = newline.join(lines) + draw(st.sampled_from(["", newline, newline * 3]))
    return text.encode(draw(ENCODINGS), errors="replace")


@st.composite
def e4_files(draw) -> bytes:
    start = draw(st.one_of(st.floats(1.5e9, 1.7e9), NUMBERS))
    fs = draw(st.one_of(st.sampled_from([4.0, 1.0, 8.0, 64.0]), NUMBERS))
    n = draw(st.one_of(st.integers(0, 5), st.integers(100, 1500)))
    values = 2 + np.sin(np.arange(n) / draw(st.floats(1, 50)))
    lines = [f"{start}", f"{fs}"] + [f"{v:.6f}" for v in values]
    for i, cell in draw(st.lists(st.tuples(st.integers(0, max(n + 1, 0)), CELLS), max_size=3)):
        if i < len(lines):
            lines[i] = cell
    return ("\n".join(lines) + "\n").encode()


@st.composite
def rr_files(draw) -> bytes:
    n = draw(st.one_of(st.integers(0, 5), st.integers(40, 600)))
    rr = 800 + 100 * np.sin(np.arange(n) / draw(st.floats(1, 30)))
    lines = ([draw(st.sampled_from(["RR (ms)", "ibi", "rr_ms", "x"]))] if draw(st.booleans()) else []) + [
        f"{v:.0f}" for v in rr
    ]
    for i, cell in draw(st.lists(st.tuples(st.integers(0, max(n, 0)), CELLS), max_size=3)):
        if i < len(lines):
            lines[i] = cell
    return ("\n".join(lines) + "\n").encode()


@st.composite
def zip_files(draw) -> bytes:
    """A ZIP upload: 0-3 members with person-like or random names and any of the contents above."""
    members = draw(
        st.lists(
            st.tuples(
                st.one_of(
                    st.sampled_from(["patient_EDA.csv", "clinician_EDA.csv", "x.csv", "a/b.txt"]),
                    st.text(max_size=8),
                ),
                st.one_of(csv_files(), e4_files(), rr_files(), st.binary(max_size=200)),
            ),
            max_size=3,
            unique_by=lambda member: member[0] or "f",
        )
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(
        buffer, "w", draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    ) as archive:
        for name, content in members:
            archive.writestr(zipfile.ZipInfo(name or "f", date_time=(2024, 1, 1, 0, 0, 0)), content)
    data = buffer.getvalue()
    if draw(st.booleans()) and len(data) > 10:  # damage the archive
        cut = draw(st.integers(4, len(data) - 1))
        data = data[:cut] + draw(st.binary(max_size=20)) + data[cut + 1 :]
    return data


ARGS = st.fixed_dictionaries(
    {},
    optional={
        "fs": st.one_of(st.sampled_from([4, 32.0, 0, -1, math.nan, math.inf, 1e9, 1e-9]), st.none()),
        "kind": st.sampled_from([None, "eda", "hr", "ecg", 3]),
        "fs_out": st.sampled_from([None, 2.0, 4, 1e-3, 1e6, -2.0]),
        "max_gap_s": st.sampled_from([0, 0.5, 2.0, 1e9, -1.0, math.nan]),
        "time_column": st.sampled_from([None, "time", "nope"]),
    },
)


# ---------------------------------------------------------------------------------------------- tests
@FUZZ
@given(data=st.binary(max_size=4000), name=st.sampled_from(["x.csv", "<upload>", "EDA.csv"]))
def test_fuzz_random_bytes(data, name):
    load_checked(data, name=name)


@FUZZ
@given(data=csv_files(), args=ARGS)
def test_fuzz_csv_dialects_encodings_and_values(data, args):
    load_checked(data, name="fuzz.csv", **args)


@FUZZ
@given(data=zip_files())
def test_fuzz_zip_uploads(data):
    load_checked(data, name="upload.zip")


@FUZZ
@given(data=csv_files())
def test_fuzz_csv_default_arguments(data):
    load_checked(data, name="fuzz.csv")


@FUZZ
@given(
    a=st.one_of(e4_files(), rr_files(), st.binary(max_size=300)),
    b=st.one_of(e4_files(), rr_files()),
    args=ARGS,
)
def test_fuzz_pairs(a, b, args):
    args.pop("time_column", None)
    load_checked({"patient": a, "clinician": b}, name=("p_EDA.csv", "c_EDA.csv"), **args)


@FUZZ
@given(
    rr=st.one_of(
        st.lists(st.one_of(st.floats(), st.integers(-(2**70), 2**70)), max_size=300),
        st.lists(st.floats(300, 2000), min_size=2, max_size=3000),
    ),
    fs=st.one_of(st.floats(), st.sampled_from([4.0, 1e-6, 1e6])),
)
def test_fuzz_rr_to_heart_rate(rr, fs):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            with time_bound(CALL_TIMEOUT_S):
                t, hr = recordings.rr_to_heart_rate(rr, fs=fs)
        except EmpathyExplorerError:
            return
    assert t.size == hr.size and np.isfinite(hr).all()


E4_OK = b"1600000000.0\n4.0\n" + b"2.0\n2.1\n" * 200
WIDE = [
    pytest.param(b"1," * 1_000_000, None, id="csv-one-line-1M-columns"),
    pytest.param((b"a," * 100_000 + b"\n") + (b"1," * 100_000 + b"\n") * 50, None, id="csv-100k-columns"),
    pytest.param(b"time,patient,clinician\n" + b"1,2,3\n" * 10 + b"1," * 1_000_000, None, id="csv-long-row"),
    pytest.param(b"," * 19_000_000, None, id="csv-only-commas"),
    pytest.param(b"1600000000\n4\n" + b"1\n" * 300 + b"1," * 1_000_000, E4_OK, id="e4-long-row"),
    pytest.param(b"800\n900\n" + b"800;" * 1_000_000, E4_OK, id="rr-long-row"),
    pytest.param(b"x" * 19_000_000, None, id="one-19MB-word"),
    pytest.param(b"\n" * 19_000_000, None, id="19MB-of-newlines"),
]


@pytest.mark.parametrize(("data", "partner"), WIDE)
def test_pathological_shapes_are_refused_quickly(data, partner):
    """Regression: a file written on one long line made pandas build a column per value (80 s)."""
    start = time.perf_counter()
    with time_bound(CALL_TIMEOUT_S), pytest.raises(EmpathyExplorerError):
        recordings.load_recording(data if partner is None else (data, partner), name="wide.csv")
    assert time.perf_counter() - start < 2.0


def test_unusual_sources_are_refused_plainly():
    for source in (None, 3.5, object(), ["only one"], {"patient": b"1"}, {"a": 1, "b": 2}):
        with pytest.raises(EmpathyExplorerError):
            recordings.load_recording(source)


# --------------------------------------------------------------------------------------- size bound
def near_limit_csv(fs: float = 32.0, jitter: bool = False) -> bytes:
    """A valid CSV just under MAX_FILE_BYTES: time, patient, clinician (32 Hz: about 6.4 h of data).

    With ``jitter`` the time stamps are irregular (up to 1 ms late), which takes the slower path onto a
    regular grid (:func:`empathy_explorer.preprocess.to_uniform`) and, above 32 Hz, a resampling step.
    """
    row = 28  # bytes per line: "0000.00000,0.0000,0.0000\n" style fixed widths
    n = (recordings.MAX_FILE_BYTES - 100) // row
    t = np.arange(n) / fs
    stamps = t + (np.random.default_rng(0).uniform(0, 1e-3, n) if jitter else 0.0)
    p = 5 + np.sin(t / 10)
    c = 7 + np.cos(t / 13)
    lines = np.char.add(
        np.char.add(np.char.mod("%010.5f,", stamps), np.char.mod("%07.4f,", p)), np.char.mod("%08.4f", c)
    )
    data = ("time_s,patient,clinician\n" + "\n".join(lines.tolist()) + "\n").encode()
    data = data[: recordings.MAX_FILE_BYTES]
    return data[: data.rfind(b"\n") + 1]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fs", "jitter"), [(32.0, False), (256.0, True)], ids=["32Hz-regular", "256Hz-irregular"]
)
def test_memory_and_time_bound_on_a_file_near_the_limit(fs, jitter):
    data = near_limit_csv(fs, jitter)
    assert 0.95 * recordings.MAX_FILE_BYTES < len(data) <= recordings.MAX_FILE_BYTES
    tracemalloc.start()
    try:
        start = time.perf_counter()
        with time_bound(30.0):
            session = recordings.load_recording(data, name="big.csv")
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert session.fs == 32.0 and session.duration_s > 3600 * (32.0 / fs) * 0.9
    assert peak < MEMORY_BOUND_BYTES, f"peak traced memory {peak / 1e6:.0f} MB"
    print(
        f"near-limit file {len(data) / 1e6:.1f} MB at {fs:g} Hz: {elapsed:.2f} s, "
        f"peak traced {peak / 1e6:.0f} MB"
    )


@pytest.mark.slow
def test_resident_memory_growth_on_a_file_near_the_limit(tmp_path):
    """tracemalloc does not see pandas' C parser, so also measure the process's peak RSS in a fresh one."""
    path = tmp_path / "big.csv"
    path.write_bytes(near_limit_csv(256.0, True))
    # ru_maxrss is inherited from the (large) pytest process over fork, so reset the kernel's peak-RSS
    # mark (/proc/self/clear_refs, Linux) and read VmHWM / VmRSS instead.
    code = (
        "import sys\n"
        "from empathy_explorer import recordings\n"
        "def kb(key):\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith(key):\n"
        "            return int(line.split()[1])\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "open('/proc/self/clear_refs', 'w').write('5')\n"
        "before = kb('VmRSS:')\n"
        "recordings.load_recording(data, name='big.csv')\n"
        "print((kb('VmHWM:') - before) * 1024)\n"
    )
    if not Path("/proc/self/clear_refs").exists():
        pytest.skip("needs Linux /proc/self/clear_refs to measure peak resident memory")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    growth = int(out.stdout.split()[-1])
    assert growth < RSS_BOUND_BYTES, f"peak resident memory grew by {growth / 1e6:.0f} MB"
    print(f"peak RSS growth loading a {path.stat().st_size / 1e6:.1f} MB file: {growth / 1e6:.0f} MB")


def test_utf16_and_bom_texts_decode():
    text = "time,patient,clinician\n" + "\n".join(
        f"{i / 4},{5 + math.sin(i / 9):.4f},{6 + math.cos(i / 9):.4f}" for i in range(200)
    )
    for enc in ("utf-16", "utf-8-sig"):
        s = recordings.load_recording(text.encode(enc), name=f"{enc}.csv")
        assert s.n_samples == 200
    assert codecs.BOM_UTF16_LE in text.encode("utf-16") or codecs.BOM_UTF16_BE in text.encode("utf-16")


# ------------------------------------------------------------------ device formats (one-person readers)
FORMAT_FILES = sorted((TEST_DATA / "formats").glob("*_patient_*"))
REAL_FILES = sorted(p for p in (TEST_DATA / "real").rglob("*") if p.suffix in {".csv", ".txt", ".hrm"})
TEMPLATES = [p.read_bytes().splitlines()[:400] for p in FORMAT_FILES + REAL_FILES]
DEVICE_CELLS = st.one_of(
    CELLS,
    st.sampled_from(
        [b"[Params]", b"[HRData]", b"Interval=238", b"Interval=0", b"Date=2024", b"StartTime=xx",
         b"# EndOfHeader", b'# {"a": {"sampling rate": 0, "column": []}}', b'# {"a": 1}',
         b"# OpenSignals Text File Format", b"Average,RRData", b"Phone timestamp;RR-interval [ms]",
         b"timestamp,rr,since start", b"0 N", b"1600000000, IBI", b"ms,uS", b'"sep=,"',
         b"Shimmer_1_Timestamp_Unix_CAL,Shimmer_1_GSR_Skin_Conductance_CAL"]
    ),
)  # fmt: skip


@st.composite
def device_files(draw) -> bytes:
    """A real or documented device file (its first 400 lines), damaged: lines replaced, cut, separators
    swapped."""
    lines = list(draw(st.sampled_from(TEMPLATES)))
    for i, cell in draw(st.lists(st.tuples(st.integers(0, len(lines) + 1), DEVICE_CELLS), max_size=4)):
        if i < len(lines):
            lines[i] = cell if isinstance(cell, bytes) else str(cell).encode("utf-8", "replace")
    if draw(st.booleans()):
        lines = lines[: draw(st.integers(0, len(lines)))]
    data = b"\n".join(lines) + b"\n"
    swap = draw(st.sampled_from([None, (b",", b";"), (b"\t", b" "), (b";", b","), (b".", b",")]))
    if swap:
        data = data.replace(*swap)
    return data


@FUZZ
@given(
    a=device_files(),
    b=st.one_of(device_files(), e4_files(), rr_files()),
    names=st.sampled_from(
        [("p.csv", "c.csv"), ("TEMP.csv", "HR.csv"), ("a.hrm", "IBI"), ("HR-2024_01_01-10_00_00.csv", "y")]
    ),
    kind=st.sampled_from([None, "eda", "hr"]),
)  # fmt: skip
def test_fuzz_device_format_pairs(a, b, names, kind):
    load_checked({"patient": a, "clinician": b}, name=names, kind=kind)


@FUZZ
@given(data=device_files(), name=st.sampled_from(["x.csv", "EDA.csv", "a.hrm", "s.txt"]))
def test_fuzz_device_files_alone(data, name):
    load_checked(data, name=name)


@FUZZ
@given(a=device_files(), b=device_files(), outer=st.sampled_from(["patient/", "therapist/", "A/", ""]))
def test_fuzz_session_zips_and_folders(a, b, outer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for folder, content in ((outer, a), ("clinician/" if outer else "b/", b)):
            archive.writestr(f"{folder}EDA.csv", content)
            archive.writestr(f"{folder}HR.csv", content)
            archive.writestr(f"{folder}tags.csv", b"")
    load_checked(buffer.getvalue(), name="sessions.zip", patient=None)
