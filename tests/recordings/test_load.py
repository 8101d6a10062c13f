"""Tests of :mod:`empathy_explorer.recordings`: every good layout loads with the right rate, duration and
values; guesses are reported; E4 start times are aligned as computed by hand; RR -> heart rate matches a
plain loop; and every file of the malformed corpus raises the documented error naming the problem and line.
"""

from __future__ import annotations

import builtins
import importlib.util
import io
import math
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from empathy_explorer import errors, recordings
from empathy_explorer.errors import InputError, ParameterError, RecordingError
from empathy_explorer.recordings import load_recording, read_e4, read_rr, rr_to_heart_rate
from empathy_explorer.sessions.session import Session
from tests.support.paths import TEST_DATA

DATA = TEST_DATA
GOOD = DATA / "recordings"
BAD = DATA / "malformed"

_spec = importlib.util.spec_from_file_location("make_examples", GOOD / "make_examples.py")
ex = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ex)


def csv_bytes(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def good_rows(n: int = 240, fs: float = 4.0) -> list[str]:
    return [f"{i / fs:.3f},{ex.eda_patient(i / fs)},{ex.eda_clinician(i / fs)}" for i in range(n)]


# ------------------------------------------------------------------------------------------ good files
def test_generic_csv_loads_with_rate_duration_and_exact_values():
    s = load_recording(GOOD / "generic.csv")
    assert isinstance(s, Session) and s.simulated is False and s.ground_truth is None
    assert s.fs == 4.0 and s.duration_s == 60.0 and s.kinds == ("eda",) and s.units["eda"] == "µS"
    t = np.arange(240) / 4.0
    p, c = s.pair("eda")
    np.testing.assert_array_equal(p, [ex.eda_patient(x) for x in t])
    np.testing.assert_array_equal(c, [ex.eda_clinician(x) for x in t])
    assert s.title == "generic.csv"


def test_semicolon_decimal_comma_latin1_reads_same_values_and_says_so():
    s = load_recording(GOOD / "german_semicolon.csv")
    ref = load_recording(GOOD / "generic.csv")
    np.testing.assert_array_equal(s.pair("eda")[0], ref.pair("eda")[0])
    np.testing.assert_array_equal(s.pair("eda")[1], ref.pair("eda")[1])
    notes = " ".join(s.notes)
    assert "decimal commas" in notes and "Latin-1" in notes
    assert "patient = 'Patient µS'" in notes and "clinician = 'Therapeut µS'" in notes


def test_tab_file_without_time_column_uses_fs():
    s = load_recording(GOOD / "p_c_no_time.tsv", fs=8)
    assert s.fs == 8.0 and s.duration_s == 45.0
    np.testing.assert_array_equal(s.pair("eda")[1][:3], [ex.eda_clinician(k / 8) for k in range(3)])
    with pytest.raises(RecordingError, match="no time column and no sampling rate"):
        load_recording(GOOD / "p_c_no_time.tsv")


def test_file_with_both_kinds_and_bom_gives_eda_and_hr():
    s = load_recording((GOOD / "both_kinds.csv").read_bytes(), name="both.csv")
    assert s.kinds == ("eda", "hr") and s.fs == 2.0 and s.duration_s == 60.0
    t = np.arange(120) / 2.0
    np.testing.assert_array_equal(s.pair("hr")[0], [ex.hr_patient(x) for x in t])
    np.testing.assert_array_equal(s.pair("hr")[1], [ex.hr_clinician(x) for x in t])
    assert s.units == {"eda": "µS", "hr": "bpm"}


def test_session_to_frame_round_trips():
    rng = np.random.default_rng(3)
    x = 5 + np.cumsum(rng.normal(0, 0.01, 400))
    y = 8 + np.cumsum(rng.normal(0, 0.01, 400))
    orig = Session(id="s", title="S", description="", fs=8.0, signals={"eda": (x, y)})
    text = orig.to_frame().to_csv(index=False, float_format="%.10g").encode()
    back = load_recording(text, name="roundtrip.csv")
    assert back.fs == 8.0 and back.n_samples == 400
    np.testing.assert_allclose(back.pair("eda")[0], x, rtol=1e-9)
    np.testing.assert_allclose(back.pair("eda")[1], y, rtol=1e-9)


def test_irregular_stamps_go_onto_a_grid_and_the_missing_cell_is_reported():
    s = load_recording(GOOD / "irregular.csv")
    assert s.fs == 4.0
    t = s.times_s
    # Straight-line interpolation of a smooth curve: within 0.01 µS of the formula everywhere.
    truth = 5.0 + 0.5 * np.sin(2 * np.pi * t / 20.0)
    assert np.max(np.abs(s.pair("eda")[0] - truth)) < 0.01
    notes = " ".join(s.notes)
    assert "irregular" in notes and "1 missing clinician value(s)" in notes
    assert "patient = 'person1'" in notes


# ------------------------------------------------------------------------------------ column guessing
@pytest.mark.parametrize(
    ("header", "patient", "clinician"),
    [
        ("time,patient,clinician", "patient", "clinician"),
        ("Time (s),Clinician EDA,Patient EDA", "Patient EDA", "Clinician EDA"),
        ("t;p;c", "p", "c"),
        ("seconds\tperson2\tperson1", "person1", "person2"),
        ("time,client_gsr,therapist_gsr", "client_gsr", "therapist_gsr"),
        ("time,DoctorSC,PatientSC", "PatientSC", "DoctorSC"),
    ],
)
def test_columns_are_guessed_from_the_header_and_reported(header, patient, clinician):
    sep = ";" if ";" in header else "\t" if "\t" in header else ","
    names = [h.strip() for h in header.split(sep)]
    rows = []
    for i in range(200):
        vals = {patient: ex.eda_patient(i / 4), clinician: ex.eda_clinician(i / 4)}
        rows.append(sep.join([f"{i / 4}", str(vals[names[1]]), str(vals[names[2]])]))
    s = load_recording(csv_bytes(header, rows), name="x.csv")
    assert s.pair("eda")[0][0] == ex.eda_patient(0.0)
    assert s.pair("eda")[1][0] == ex.eda_clinician(0.0)
    assert f"patient = {patient!r}" in " ".join(s.notes)
    assert f"clinician = {clinician!r}" in " ".join(s.notes)


def test_unnamed_pair_is_guessed_in_order_and_the_guess_is_flagged():
    rows = [f"{i / 4},{ex.eda_patient(i / 4)},{ex.eda_clinician(i / 4)}" for i in range(200)]
    s = load_recording(csv_bytes("time,left,right", rows), name="lr.csv")
    assert any("GUESSED patient = 'left', clinician = 'right'" in n for n in s.notes)


def test_explicit_columns_override_the_guess_and_kind_hr():
    rows = [f"{i / 2},{70 + math.sin(i / 3):.3f},{80 + math.cos(i / 4):.3f}" for i in range(100)]
    data = csv_bytes("time,patient,clinician", rows)
    s = load_recording(data, name="hr.csv", patient_column="clinician", clinician_column="patient", kind="hr")
    assert s.kinds == ("hr",) and s.units["hr"] == "bpm"
    assert s.pair("hr")[0][0] == pytest.approx(81.0)  # the "clinician" column, chosen as patient
    with pytest.raises(RecordingError, match=r"no column named 'nurse'.*'time', 'patient', 'clinician'"):
        load_recording(data, name="hr.csv", patient_column="nurse", clinician_column="patient")


def test_headerless_three_columns_take_the_first_as_time():
    rows = [f"{i / 4},{ex.eda_patient(i / 4)},{ex.eda_clinician(i / 4)}" for i in range(200)]
    s = load_recording(("\n".join(rows)).encode(), name="nohead.csv")
    assert s.fs == 4.0 and s.duration_s == 50.0
    assert any("first column was taken as the time" in n for n in s.notes)


# ------------------------------------------------------------------------------ gaps, rates, details
def test_short_gap_is_filled_by_a_straight_line_and_reported():
    rows = good_rows()
    rows[50] = rows[50].rsplit(",", 1)[0] + ","
    s = load_recording(csv_bytes("time,patient,clinician", rows), name="gap.csv")
    c = s.pair("eda")[1]
    assert c[50] == pytest.approx((ex.eda_clinician(49 / 4) + ex.eda_clinician(51 / 4)) / 2)
    assert any("short gap(s)" in n for n in s.notes)


def test_short_missing_end_is_cut_and_reported():
    rows = good_rows()
    rows[-1] = rows[-1].rsplit(",", 1)[0] + ","
    s = load_recording(csv_bytes("time,patient,clinician", rows), name="end.csv")
    assert s.n_samples == 239
    assert any("cut off" in n for n in s.notes)


def test_fast_recordings_are_resampled_to_max_fs_and_reported():
    fs = 128.0
    t = np.arange(int(45 * fs)) / fs
    rows = [f"{a:.6f},{5 + np.sin(a):.5f},{6 + np.cos(a):.5f}" for a in t]
    s = load_recording(csv_bytes("time,patient,clinician", rows), name="fast.csv")
    assert s.fs == recordings.MAX_FS == 32.0
    assert s.n_samples == 45 * 32
    np.testing.assert_allclose(s.pair("eda")[0][100:-100], 5 + np.sin(s.times_s[100:-100]), atol=1e-3)
    assert any("resampled from 128 Hz to 32 Hz" in n for n in s.notes)


def test_fs_out_and_time_in_milliseconds_and_preamble():
    rows = [f"{i * 250},{ex.eda_patient(i / 4)},{ex.eda_clinician(i / 4)}" for i in range(200)]
    text = "# exported by a logger\nsep=,\n" + "time_ms,patient,clinician\n" + "\n".join(rows)
    s = load_recording(text.encode(), name="ms.csv", fs_out=2)
    assert s.fs == 2.0 and s.duration_s == pytest.approx(50.0)
    assert any("milliseconds" in n for n in s.notes)


# ------------------------------------------------------------------------------------------------- E4
def test_read_e4_reads_start_rate_and_samples():
    f = read_e4(GOOD / "e4_patient_EDA.csv")
    assert f.start_unix_s == 1600000000.0 and f.fs == 4.0 and f.values.size == 320
    assert f.values[1] == pytest.approx(ex.eda_patient(0.25), abs=1e-6)


def test_e4_pair_is_aligned_on_start_times_as_computed_by_hand():
    p = read_e4(GOOD / "e4_patient_EDA.csv")
    c = read_e4(GOOD / "e4_clinician_EDA.csv")
    s = load_recording({"patient": GOOD / "e4_patient_EDA.csv", "clinician": GOOD / "e4_clinician_EDA.csv"})
    # By hand: the clinician starts 3 s = 12 samples later; the overlap runs from 3 s to the patient's last
    # sample at 79.75 s, i.e. 308 samples; patient sample k+12 pairs with clinician sample k.
    offset = round((c.start_unix_s - p.start_unix_s) * 4.0)
    n = p.values.size - offset
    assert (offset, n) == (12, 308)
    assert s.fs == 4.0 and s.n_samples == n and s.duration_s == 77.0
    np.testing.assert_array_equal(s.pair("eda")[0], p.values[offset : offset + n])
    np.testing.assert_array_equal(s.pair("eda")[1], c.values[:n])
    assert any("started 3 s later" in note for note in s.notes)


def test_e4_pair_with_different_rates_is_put_on_the_lower_rate():
    s = load_recording((GOOD / "e4_patient_EDA.csv", GOOD / "e4_clinician_8hz_EDA.csv"))
    assert s.fs == 4.0 and s.n_samples == 308
    t_abs = 3.0 + s.times_s  # seconds after the patient's start
    truth = np.array([ex.eda_clinician(x) for x in t_abs])
    np.testing.assert_allclose(s.pair("eda")[1][8:-8], truth[8:-8], atol=2e-3)
    assert any("Sampling rates differ (4 and 8 Hz)" in n for n in s.notes)


def test_pair_names_come_from_the_name_argument():
    pair = {
        "patient": (GOOD / "e4_patient_EDA.csv").read_bytes(),
        "clinician": (GOOD / "e4_clinician_EDA.csv").read_bytes(),
    }
    s = load_recording(pair, name=("A_EDA.csv", "B_EDA.csv"))
    assert s.title == "A_EDA.csv + B_EDA.csv"
    with pytest.raises(RecordingError, match=r"^patient file, line 1: .*start time in Unix seconds"):
        load_recording({"patient": b"5\n4\n" + b"1.0\n" * 300, "clinician": pair["clinician"]})


# ------------------------------------------------------------------------------------------------- RR
def plain_loop_hr(rr_ms: list[float], fs: float) -> tuple[list[float], list[float]]:
    beats, total = [], 0.0
    for r in rr_ms:
        total += r / 1000.0
        beats.append(total)
    hr = [60000.0 / r for r in rr_ms]
    times, values = [], []
    k = 0
    while beats[0] + k / fs <= beats[-1] + 1e-9:
        t = beats[0] + k / fs
        j = 0
        while j < len(beats) - 2 and beats[j + 1] < t:
            j += 1
        w = (t - beats[j]) / (beats[j + 1] - beats[j])
        times.append(t)
        values.append(hr[j] + w * (hr[j + 1] - hr[j]))
        k += 1
    return times, values


@pytest.mark.parametrize("fs", [4.0, 2.0, 10.0])
def test_rr_to_heart_rate_matches_a_plain_loop(fs):
    rr = list(np.random.default_rng(7).uniform(500, 1200, 60).round())
    t, hr = rr_to_heart_rate(rr, fs=fs)
    t_ref, hr_ref = plain_loop_hr(rr, fs)
    np.testing.assert_allclose(t, t_ref, atol=1e-9)
    np.testing.assert_allclose(hr, hr_ref, rtol=1e-12)


def test_rr_to_heart_rate_refuses_bad_intervals():
    with pytest.raises(InputError, match="must be > 0 ms"):
        rr_to_heart_rate([800, 0, 900])
    with pytest.raises(InputError):
        rr_to_heart_rate([800], fs=4)
    with pytest.raises(InputError):
        rr_to_heart_rate([800, 900], fs=-4)


def test_rr_pair_gives_heart_rate_at_4_hz():
    s = load_recording([GOOD / "rr_patient.txt", GOOD / "rr_clinician.txt"])
    assert s.kinds == ("hr",) and s.fs == 4.0
    rr_p = [ex.rr_patient(k) for k in range(90)]
    rr_c = [ex.rr_clinician(k) for k in range(80)]
    _, hr_p = plain_loop_hr(rr_p, 4.0)
    _, hr_c = plain_loop_hr(rr_c, 4.0)
    n = min(len(hr_p), len(hr_c))
    assert s.n_samples == n
    np.testing.assert_allclose(s.pair("hr")[0], hr_p[:n], rtol=1e-12)
    np.testing.assert_allclose(s.pair("hr")[1], hr_c[:n], rtol=1e-12)
    assert any("same moment" in note for note in s.notes)


def test_read_rr_converts_seconds_and_reads_header():
    assert read_rr(GOOD / "rr_patient.txt")[:2].tolist() == [ex.rr_patient(0), ex.rr_patient(1)]
    assert read_rr(b"0.8\n0.75\n0.9\n").tolist() == [800.0, 750.0, 900.0]


# --------------------------------------------------------------------------------- malformed corpus
def corpus_rows() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in (BAD / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] not in ("file", "---"):
            rows.append(tuple(cells[:4]))
    return rows


CORPUS = corpus_rows()


def test_corpus_readme_lists_every_file_and_enough_cases():
    listed = {part for name, *_ in CORPUS for part in name.split(" + ")}
    on_disk = {p.name for p in BAD.iterdir() if p.name not in ("README.md", "make_corpus.py")}
    assert listed == on_disk
    assert len(CORPUS) >= 30


@pytest.mark.parametrize(("name", "cls", "phrase", "line"), CORPUS, ids=[r[0] for r in CORPUS])
def test_malformed_corpus(name, cls, phrase, line):
    if " + " in name:
        a, b = name.split(" + ")
        source: object = {"patient": BAD / a, "clinician": BAD / b}
    else:
        source = (BAD / name).read_bytes()  # as the app does: bytes in memory, named
    expected = getattr(errors, cls)
    with pytest.raises(errors.EmpathyExplorerError) as info:
        load_recording(source, name=None if " + " in name else name)
    err = info.value
    assert type(err) is expected, f"{type(err).__name__}: {err}"
    message = str(err)
    assert phrase in message
    assert re.match(r"^[\w .+-]+(, line \d+)?: ", message), message  # names the file first
    if line != "-":
        assert err.row == int(line) and f"line {line}:" in message
    assert "Traceback" not in message and len(message) < 600


def test_file_over_the_limit_is_refused_before_parsing(monkeypatch, tmp_path):
    def boom(*args, **kwargs):
        raise AssertionError("the file was parsed")

    for module in (recordings, recordings._pair):  # the single-file and the pair path
        monkeypatch.setattr(module, "_decode", boom)
    big = b"time,patient,clinician\n" + b"0.0,1.0,2.0\n" * (recordings.MAX_FILE_BYTES // 12 + 1)
    assert len(big) > recordings.MAX_FILE_BYTES
    with pytest.raises(RecordingError, match=r"big\.csv: The file is 2\d\.\d MB; files up to 20 MB"):
        load_recording(big, name="big.csv")
    path = tmp_path / "sparse.csv"
    with open(path, "wb") as fh:
        fh.truncate(recordings.MAX_FILE_BYTES + 1)  # sparse: no data written, only the size
    monkeypatch.setattr(Path, "read_bytes", boom)
    with pytest.raises(RecordingError, match="up to 20 MB"):
        load_recording(path)
    assert recordings.MAX_FILE_BYTES == 20_000_000


def test_nothing_is_written_to_disk(monkeypatch):
    real_open = builtins.open

    def read_only_open(file, mode="r", *args, **kwargs):
        if any(ch in mode for ch in "wax+"):
            raise AssertionError(f"load_recording opened {file!r} for writing")
        return real_open(file, mode, *args, **kwargs)

    def no_temp(*args, **kwargs):
        raise AssertionError("load_recording made a temporary file")

    monkeypatch.setattr(builtins, "open", read_only_open)
    monkeypatch.setattr(io, "open", read_only_open)
    for fn in ("mkstemp", "NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile", "mkdtemp"):
        monkeypatch.setattr(tempfile, fn, no_temp)
    load_recording((GOOD / "generic.csv").read_bytes(), name="generic.csv")
    load_recording({"patient": GOOD / "e4_patient_EDA.csv", "clinician": GOOD / "e4_clinician_EDA.csv"})


# ---------------------------------------------------------------------------------------- arguments
def test_wrong_arguments_raise_the_packages_errors():
    data = (GOOD / "generic.csv").read_bytes()
    with pytest.raises(ParameterError, match="kind must be 'eda'"):
        load_recording(data, kind="ecg")
    with pytest.raises(InputError, match="sampling rate"):
        load_recording(data, fs=-1)
    with pytest.raises(ParameterError, match="both patient_column and clinician_column"):
        load_recording(data, patient_column="patient")
    with pytest.raises(InputError, match="patient"):
        load_recording({"patient": data})
    with pytest.raises(ParameterError, match="three different columns"):
        load_recording(data, patient_column="patient", clinician_column="patient")
    with pytest.raises(InputError, match=r"fs_out must be between 0\.5 and 32 Hz"):
        load_recording(data, fs_out=1000)
    with pytest.raises(InputError):
        load_recording(12345)
    with pytest.raises(RecordingError, match="cannot be opened"):
        load_recording("/nonexistent/folder/rec.csv")


def test_explorer_contract_bytes_with_name():
    """explorer.py: ``recordings.load_recording(bytes(item['content']), name=name)``, then ``.notes``."""
    s = load_recording(bytearray((GOOD / "generic.csv").read_bytes()), name="upload.csv")
    assert s.id.startswith("upload-") and "eda" in s.kinds and isinstance(recordings.MAX_FILE_BYTES, int)
    assert isinstance(s.notes, tuple) and all(isinstance(n, str) for n in s.notes)
    assert isinstance(s.to_frame(), pd.DataFrame)


def test_units_line_trailing_separator_and_empty_tail_lines_are_tolerated_and_reported():
    rows = [f"{i * 250},{70 + 5 * math.sin(i / 9):.4f},{60 + 5 * math.cos(i / 9):.4f}," for i in range(200)]
    tail = [f"{50000 + 250 * i},," for i in range(40)]  # the logger kept writing times after the sensors
    text = "time,patient,clinician,\nms,bpm,bpm,\n" + "\n".join(rows + tail) + "\n"
    s = load_recording(text.encode(), name="units.csv")
    assert s.kinds == ("hr",) and s.fs == 4.0 and s.n_samples == 200  # kind from the units, ms -> s
    assert s.pair("hr")[0][1] == pytest.approx(70 + 5 * math.sin(1 / 9), abs=1e-4)
    notes = " ".join(s.notes)
    assert "line 2 (ms, bpm, bpm) read as a units line" in notes
    assert "40 line(s) with a time but no measurements" in notes
    assert "Unnamed" not in notes


def test_too_slow_sampling_is_refused():
    rows = [f"{ex.eda_patient(i)},{ex.eda_clinician(i)}" for i in range(100)]
    with pytest.raises(RecordingError, match=r"0.2 Hz, too slow .* at least 0.5 Hz"):
        load_recording(csv_bytes("patient,clinician", rows), name="slow.csv", fs=0.2)


def test_zip_upload_with_two_e4_files_equals_the_pair():
    """The app has one upload button: a ZIP with the patient's and the clinician's file is a pair."""
    from_zip = load_recording((GOOD / "e4_pair.zip").read_bytes(), name="e4_pair.zip")
    as_pair = load_recording(
        {"patient": GOOD / "e4_patient_EDA.csv", "clinician": GOOD / "e4_clinician_EDA.csv"}
    )
    np.testing.assert_array_equal(from_zip.pair("eda")[0], as_pair.pair("eda")[0])
    np.testing.assert_array_equal(from_zip.pair("eda")[1], as_pair.pair("eda")[1])
    assert "patient = 'patient_EDA.csv', clinician = 'clinician_EDA.csv'" in from_zip.notes[0]


def test_zip_with_one_csv_reads_the_csv_and_limits_each_member():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export/generic.csv", (GOOD / "generic.csv").read_bytes())
    s = load_recording(buffer.getvalue(), name="one.zip")
    assert s.fs == 4.0 and s.duration_s == 60.0 and s.title == "one.zip/generic.csv"
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("patient.csv", b"0" * (recordings.MAX_FILE_BYTES + 10))  # ~20 kB compressed
        archive.writestr("clinician.csv", b"1")
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(
        RecordingError, match=r"bomb\.zip/patient\.csv: The file is 20\.0 MB; files up to 20 MB"
    ):
        load_recording(bomb.getvalue(), name="bomb.zip")


def test_e4_fractional_start_offset_is_interpolated_as_computed_by_hand():
    p = read_e4(GOOD / "e4_patient_EDA.csv")
    c_bytes = (
        (GOOD / "e4_clinician_EDA.csv").read_bytes().replace(b"1600000003.000000", b"1600000003.100000", 1)
    )
    s = load_recording(
        {"patient": GOOD / "e4_patient_EDA.csv", "clinician": c_bytes}, name=("p.csv", "c.csv")
    )
    # The session starts at the clinician's first sample, 3.1 s = 12.4 patient samples after the patient's
    # start: patient value k is 0.6 * p[12 + k] + 0.4 * p[13 + k]; the clinician's samples are used as
    # they are. (Unix seconds near 1.6e9 carry ~2e-7 s of float error, hence atol.)
    x, y = s.pair("eda")
    k = np.arange(x.size)
    np.testing.assert_allclose(x, 0.6 * p.values[12 + k] + 0.4 * p.values[13 + k], rtol=0, atol=1e-6)
    np.testing.assert_array_equal(y, read_e4(c_bytes).values[: x.size])
    assert x.size == 307  # overlap 3.1 s ... 79.75 s = 76.65 s -> floor(76.65 * 4) + 1


def test_a_two_file_upload_with_an_unknown_file_names_every_format_read(tmp_path):
    """The refusal lists the formats from the one list that is sniffed, so a new format is named too."""
    from empathy_explorer.recordings._sniff import FORMATS

    odd = tmp_path / "notes.txt"
    odd.write_text("my notes\nnothing to see here\n", encoding="utf-8")
    with pytest.raises(RecordingError) as err:
        load_recording([GOOD / "rr_patient.txt", odd])
    message = str(err.value)
    assert "not one of the one-person exports read here" in message
    for fmt in FORMATS:
        assert fmt.NAME in message
    assert "Traceback" not in message and "Error" not in message
