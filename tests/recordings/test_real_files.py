"""Real device files from public repositories (``tests/data/real/SOURCES.md``): each loads to the signal,
rate, duration and alignment computed here from the file itself, or is refused with words naming what it is.

Nothing here was written by this project except the one ``derived`` file (a real EDA.csv whose start line was
moved so that two real recordings overlap; described in SOURCES.md) and the ZIP containers, which are built
in the tests from the real member files.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from empathy_explorer import recordings
from empathy_explorer.errors import EmpathyExplorerError, RecordingError
from empathy_explorer.recordings import load_recording, opensignals, shimmer
from empathy_explorer.recordings._common import _decode
from tests.support.paths import TEST_DATA

REAL = TEST_DATA / "real"
FLIRT = REAL / "e4_flirt"
MSR = REAL / "e4_msr2023"
MOVED = REAL / "derived" / "msr2023_EDA_start_moved.csv"


def e4_samples(path: Path) -> tuple[float, float, np.ndarray]:
    """Start (Unix s), rate (Hz) and samples of an E4 file, read with plain numpy (the reference)."""
    lines = path.read_text().splitlines()
    return float(lines[0]), float(lines[1]), np.array([float(x) for x in lines[2:] if x.strip()])


def zipped(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def session_zip(folder: Path, replace: dict[str, Path] | None = None) -> bytes:
    """An E4 session ZIP as Empatica exports it (member files at the top), from the real member files."""
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    for name, path in (replace or {}).items():
        files[name] = path.read_bytes()
    return zipped(files)


def message(source: object, **kwargs: object) -> str:
    with pytest.raises(RecordingError) as info:
        load_recording(source, **kwargs)
    return str(info.value)


def test_sources_file_names_every_real_file():
    sources = (REAL / "SOURCES.md").read_text()
    data_files = [p for p in REAL.rglob("*") if p.is_file() and p.parent.name != "LICENSES"]
    assert len(data_files) >= 15
    for path in data_files:
        if path.name == "SOURCES.md":
            continue
        assert path.name in sources, f"{path.relative_to(REAL)} is not described in SOURCES.md"
    total = sum(p.stat().st_size for p in REAL.rglob("*") if p.is_file())
    assert total < 5_000_000


# --------------------------------------------------------------------------------------- Empatica E4
def test_real_e4_eda_pair_is_aligned_on_the_start_times():
    start_p, fs_p, eda_p = e4_samples(FLIRT / "EDA.csv")
    start_c, fs_c, eda_c = e4_samples(MOVED)
    s = load_recording({"patient": FLIRT / "EDA.csv", "clinician": MOVED})
    assert s.kinds == ("eda",) and s.fs == fs_p == fs_c == 4.0
    offset = start_c - start_p  # 12.5 s: the clinician's recording starts later
    assert offset == 12.5
    expected_n = min(eda_p.size - int(offset * fs_p), eda_c.size)
    assert s.duration_s == pytest.approx(expected_n / 4.0)
    patient, clinician = s.pair("eda")
    k = int(offset * fs_p)
    np.testing.assert_allclose(patient[:200], eda_p[k : k + 200], atol=1e-9)
    np.testing.assert_allclose(clinician[:200], eda_c[:200], atol=1e-9)
    assert any("started 12.5 s later" in n for n in s.notes)


def test_real_e4_files_from_different_days_are_refused_naming_both_dates():
    text = message({"patient": FLIRT / "EDA.csv", "clinician": MSR / "EDA.csv"})
    assert "do not overlap in time" in text and "2019-06-11" in text and "2023-04-05" in text


@pytest.mark.parametrize(
    ("member", "words"),
    [
        ("TEMP.csv", ["skin-temperature file (TEMP.csv, 4 Hz, °C)", "not skin conductance"]),
        ("BVP.csv", ["blood-volume-pulse file (BVP.csv, 64 Hz"]),
        ("ACC.csv", ["accelerometer file", "three columns"]),
        ("HR.csv", ["heart-rate file (HR.csv, 1 Hz, bpm)", "not skin conductance"]),
        ("IBI.csv", ["beat-interval file (IBI.csv", "not skin conductance"]),
    ],
)
def test_a_real_e4_file_that_is_not_skin_conductance_is_named_and_refused(member, words):
    text = message({"patient": FLIRT / member, "clinician": FLIRT / "EDA.csv"}, kind="eda")
    for word in words:
        assert word in text


def test_real_temperature_renamed_as_eda_is_still_refused_by_its_values():
    data = (FLIRT / "TEMP.csv").read_bytes()
    text = message(
        {"patient": data, "clinician": (FLIRT / "EDA.csv").read_bytes()}, name=("clinicianEDA.csv", "b")
    )
    assert "skin-temperature" in text and "between 32.0 and 32.2" in text


@pytest.mark.parametrize("name", ["clinicianHR.csv", "Therapist-HeartRate.csv"])
def test_real_e4_heart_rate_loads_as_heart_rate_whatever_its_name(name):
    _, fs, hr = e4_samples(FLIRT / "HR.csv")
    data = (FLIRT / "HR.csv").read_bytes()
    s = load_recording({"patient": data, "clinician": data}, name=("patient_x.csv", name))
    assert s.kinds == ("hr",) and s.fs == fs == 1.0
    np.testing.assert_allclose(s.pair("hr")[1], hr[: s.pair("hr")[1].size])
    assert s.duration_s == hr.size


def test_real_e4_hr_above_100_bpm_is_not_told_to_convert_to_microsiemens():
    _, _, hr = e4_samples(FLIRT / "HR.csv")
    assert hr.max() > 100  # the file does exceed 100 bpm
    s = load_recording({"patient": FLIRT / "HR.csv", "clinician": FLIRT / "HR.csv"})
    assert s.units["hr"] == "bpm"


def test_real_ibi_gives_heart_rate_and_states_its_coverage():
    rows = np.loadtxt(FLIRT / "IBI.csv", delimiter=",", skiprows=1)
    t, ibi = rows[:, 0], rows[:, 1]
    span = t[-1] - (t[0] - ibi[0])
    covered_ref = ibi.sum() / span  # plain reference: share of the time inside detected intervals
    s = load_recording({"patient": FLIRT / "IBI.csv", "clinician": FLIRT / "IBI.csv"})
    assert s.kinds == ("hr",) and s.fs == 4.0
    note = next(n for n in s.notes if "detected beats cover" in n)
    share = float(note.split("cover ")[1].split("%")[0]) / 100
    assert share == pytest.approx(covered_ref, abs=0.02)
    hr = s.pair("hr")[0]
    assert 60 / ibi.max() - 1e-9 <= hr.min() and hr.max() <= 60 / ibi.min() + 1e-9


def test_real_ibi_with_too_few_detected_beats_is_refused_with_the_coverage():
    rows = np.loadtxt(MSR / "IBI.csv", delimiter=",", skiprows=1)
    assert rows[:, 1].sum() / (rows[-1, 0] - rows[0, 0]) < 0.5  # the file itself: under half covered
    text = message({"patient": MSR / "IBI.csv", "clinician": MSR / "HR.csv"})
    assert "Only" in text and "covered by beats" in text and "HR.csv instead of IBI.csv" in text


def test_a_real_one_person_file_alone_is_refused_saying_what_it_is():
    assert "beat-interval file (IBI.csv" in message((FLIRT / "IBI.csv").read_bytes(), name="IBI.csv")
    assert "one person's signal" in message((FLIRT / "EDA.csv").read_bytes(), name="EDA.csv")
    assert "Polar .hrm" in message((REAL / "polar" / "exercise_rri.hrm").read_bytes(), name="x.hrm")


def test_one_real_session_zip_alone_is_refused_as_one_persons_session():
    text = message(session_zip(FLIRT), name="1560460372.zip")
    assert "one person's Empatica E4 session" in text and "both people's session ZIPs" in text


def test_a_zip_of_two_real_session_zips_named_by_person_loads_eda_and_says_which_members():
    outer = zipped(
        {
            "Clinician_1560460372.zip": session_zip(MSR, {"EDA.csv": MOVED}),
            "patient_1560279825.zip": session_zip(FLIRT),
        }
    )
    s = load_recording(outer, name="pair.zip")
    direct = load_recording({"patient": FLIRT / "EDA.csv", "clinician": MOVED})
    np.testing.assert_allclose(s.pair("eda")[0], direct.pair("eda")[0])
    assert any("patient = 'patient_1560279825.zip/EDA.csv'" in n for n in s.notes)
    same_day = zipped({"therapist.zip": session_zip(FLIRT), "patient.zip": session_zip(FLIRT)})
    hr = load_recording(same_day, name="pair.zip", kind="hr")  # HR.csv of each session
    assert hr.kinds == ("hr",) and hr.fs == 1.0
    assert any("HR.csv" in n and "patient =" in n for n in hr.notes)


def test_a_zip_with_folders_named_by_role_loads():
    members = {f"Therapist/{p.name}": p.read_bytes() for p in FLIRT.iterdir()}
    members.update({f"client/{p.name}": p.read_bytes() for p in FLIRT.iterdir()})
    s = load_recording(zipped(members), name="folders.zip")
    assert s.kinds == ("eda",) and any("patient = 'client/EDA.csv'" in n for n in s.notes)


def test_unnamed_sessions_ask_who_is_who_and_take_the_answer():
    outer = zipped({"A17.zip": session_zip(FLIRT), "B42.zip": session_zip(MSR, {"EDA.csv": MOVED})})
    with pytest.raises(RecordingError) as info:
        load_recording(outer, name="two.zip")
    assert info.value.choices == ("A17.zip", "B42.zip")
    assert "load_recording" not in str(info.value) and "patient=" in (info.value.hint or "")
    s = load_recording(outer, name="two.zip", patient="B42.zip")
    direct = load_recording({"patient": MOVED, "clinician": FLIRT / "EDA.csv"})
    np.testing.assert_allclose(s.pair("eda")[1], direct.pair("eda")[1])


# ----------------------------------------------------------------------------- Polar, RR, OpenSignals
def test_real_polar_hrm_in_rr_mode_gives_heart_rate_from_its_intervals():
    rows = (REAL / "polar" / "exercise_rri.hrm").read_text().split("[HRData]")[1].split()
    rr = np.array([float(x) for x in rows])
    rest = np.loadtxt(REAL / "polar" / "rest_rri.txt")
    s = load_recording(
        {"patient": REAL / "polar" / "exercise_rri.hrm", "clinician": REAL / "polar" / "rest_rri.txt"}
    )
    assert s.kinds == ("hr",) and s.fs == 4.0
    # the shorter file (rest) sets the length: its intervals' span, from its first beat, on a 4 Hz grid
    assert s.duration_s == pytest.approx((rest[1:].sum() / 1000.0), abs=0.5)
    patient = s.pair("hr")[0]
    beats = np.cumsum(rr) / 1000.0
    grid = beats[0] + np.arange(patient.size) / 4.0
    np.testing.assert_allclose(patient, np.interp(grid, beats, 60000.0 / rr), rtol=1e-9)
    assert any("R-R mode" in n for n in s.notes) and any("20080208 08:50:31.0" in n for n in s.notes)
    assert any("carry no clock time" in n for n in s.notes)


def test_two_real_rr_lists_load_as_heart_rate():
    s = load_recording(
        {"patient": REAL / "polar" / "rest_rri.txt", "clinician": REAL / "polar" / "08012805.txt"}
    )
    rest = np.loadtxt(REAL / "polar" / "rest_rri.txt")
    assert s.kinds == ("hr",)
    assert np.nanmean(s.pair("hr")[0]) == pytest.approx(np.mean(60000.0 / rest), rel=0.03)


def test_real_opensignals_ecg_file_is_refused_as_having_no_eda_channel():
    text = message(
        {"patient": REAL / "opensignals" / "SampleECG.txt", "clinician": REAL / "polar" / "rest_rri.txt"}
    )
    assert "no skin-conductance (EDA) channel" in text and "ECG" in text


def test_no_real_file_raises_anything_but_the_packages_errors():
    for path in REAL.rglob("*"):
        if path.is_file() and path.suffix in {".csv", ".txt", ".hrm"}:
            try:
                load_recording({"patient": path, "clinician": path})
            except EmpathyExplorerError:
                pass


HRVLOG = REAL / "hrv_logger"


def hrv_logger_rows(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Unix times and RR intervals (ms) of an HRV Logger export, read with plain numpy (the reference)."""
    rows = [ln.split(",") for ln in path.read_text().splitlines()[1:] if ln.strip()]
    return np.array([float(r[0]) for r in rows]), np.array([float(r[1]) for r in rows])


def test_real_hrv_logger_export_gives_heart_rate_on_its_unix_millisecond_clock():
    # the real export's header is 'timestamp, rr, since_start' with Unix milliseconds (UTC) and a blank line
    stamps, rr = hrv_logger_rows(HRVLOG / "ot_a60_RRIntervals.csv")
    assert rr.size == 426 and stamps[0] == 1675889367255
    s = load_recording(
        {"patient": HRVLOG / "ot_a60_RRIntervals.csv", "clinician": REAL / "polar" / "rest_rri.txt"}
    )
    assert s.kinds == ("hr",) and s.fs == 4.0
    patient = s.pair("hr")[0]
    beats = np.cumsum(rr) / 1000.0
    grid = beats[0] + np.arange(patient.size) / 4.0
    np.testing.assert_allclose(patient, np.interp(grid, beats, 60000.0 / rr), rtol=1e-9)
    # the shorter file (this one, 5 min 33 s from its first beat) sets the length
    assert s.duration_s == pytest.approx(rr[1:].sum() / 1000.0, abs=0.5)
    assert 40 < np.nanmin(patient) and np.nanmax(patient) < 120
    assert any("2023-02-08 20:49:27 UTC" in n for n in s.notes)


def test_real_hrv_logger_morning_and_evening_exports_are_refused_as_not_overlapping():
    # read as nanoseconds (the old bug) both started at 1970-01-01 00:27:55 and were "aligned" 0.05 s apart
    text = message(
        {"patient": HRVLOG / "ot_a60_RRIntervals.csv", "clinician": HRVLOG / "ot_m60_RRIntervals.csv"}
    )
    assert "do not overlap" in text
    assert "2023-02-08 20:49:27 UTC" in text and "2023-02-08 05:44:19 UTC" in text


SHIMMER = REAL / "shimmer" / "default_exp_Session1_Shimmer_92E8_Calibrated_PC.csv"


def test_real_shimmer_consensys_export_gives_skin_conductance_at_256_hz_on_its_sync_clock():
    # a real Consensys export: tab-separated, '"sep=\t"' line, names, units line, and the clock column named
    # TimestampSync_Unix_CAL (the reader once required Timestamp_Unix_CAL and refused this file)
    raw = np.loadtxt(SHIMMER, skiprows=3, usecols=(0, 1), delimiter="\t")  # ms, uS
    step_ms = np.median(np.diff(raw[:, 0]))
    assert step_ms == pytest.approx(1000.0 / 256.0, rel=1e-3)
    text = _decode(SHIMMER.read_bytes(), SHIMMER.name)
    assert recordings.sniff(text, SHIMMER.name)[0] is shimmer
    track = shimmer.parse(text, SHIMMER.name, kind=None, max_gap_s=2.0, person="patient")
    assert track.kind == "eda" and track.fs == 256.0 and track.clock == "utc"
    assert track.start_s == pytest.approx(raw[0, 0] / 1000.0, abs=1e-3)  # 2023-03-18 13:15:37 UTC
    assert track.values.size == raw.shape[0] == 2000
    # on the regular 256 Hz grid the values stay within 0.01 uS of the file's samples (0.71-0.78 uS)
    np.testing.assert_allclose(track.values, raw[:, 1], atol=0.01)
    assert 0.7 < track.values.min() and track.values.max() < 0.8


def test_real_shimmer_excerpt_is_refused_as_too_short_saying_its_length():
    # the committed excerpt is 2,000 samples (7.81 s): shorter than one analysis window with its lags
    text = message({"patient": SHIMMER, "clinician": SHIMMER})
    assert "too short" in text and "7.81 s" in text


def test_real_biosignalsplux_eda_file_converts_with_its_16_bit_resolution_and_plux_transfer_function():
    # the header lists one resolution per analogue channel ("resolution": [16]) and names the hub
    # "channeller"; the reader once took 10 bits and the BITalino formula (1,140 uS, refused as not uS)
    path = REAL / "opensignals" / "eda_slow_signal.txt"
    raw = np.loadtxt(path, comments="#")[:, 2]
    text = _decode(path.read_bytes(), path.name)
    assert recordings.sniff(text, path.name)[0] is opensignals
    track = opensignals.parse(text, path.name, kind=None, max_gap_s=2.0, person="patient")
    assert track.kind == "eda" and track.fs == 100.0 and track.values.size == raw.size == 2820  # 28.2 s
    np.testing.assert_allclose(track.values, raw / 2**16 * 3.0 / 0.12, rtol=1e-12)  # PLUX: VCC 3 V, 0.12 V/uS
    assert 13.9 < track.values.min() and track.values.max() < 18.0
    assert track.start_s == pytest.approx(pd.Timestamp("2017-01-23 13:28:43.110").value / 1e9)
    # 28.2 s is shorter than one analysis window with its lags, so a pair of it is refused saying so
    assert "too short" in message({"patient": path, "clinician": path})


def test_real_bitalino_eda_file_converts_with_plux_transfer_function_and_stays_positive():
    """PLUX's own BITalino sample: (ADC / 2^10) * 3.3 / 0.132 at every sample. The offset form
    ((ADC / 2^n) * 3.3 - 0.574) / 0.132 that one reader uses turned the file's brief electrode dropout
    (one ADC value of 50 among 458-640) into negative µS; the manual's 0-25 µS range gives 1.2 µS there."""
    path = REAL / "opensignals" / "eda_hot_surface.txt"
    lines = path.read_text().splitlines()
    raw = np.array([float(ln.split("\t")[5]) for ln in lines[3:]])
    assert raw[10109 - 3] == 50.0 and np.median(raw) > 400  # one sample of 50 among values of 458-640
    track = opensignals.parse(
        _decode(path.read_bytes(), path.name), path.name, kind=None, max_gap_s=2.0, person="p"
    )
    assert track.kind == "eda" and track.fs == 1000.0 and track.values.size == raw.size
    np.testing.assert_allclose(track.values, raw / 2**10 * 3.3 / 0.132, rtol=1e-12)
    assert 0 < track.values.min() < 2 and 11 < np.median(track.values) < 25


ELITE = REAL / "elite_hrv"


def test_real_elite_hrv_export_gives_heart_rate_from_its_start_in_the_file_name():
    path = ELITE / "2017-06-29 13-11-53.txt"
    rr = np.loadtxt(path)
    assert rr.size == 4201 and 250 < rr.min() and rr.max() < 1100
    s = load_recording({"patient": path, "clinician": REAL / "polar" / "rest_rri.txt"})
    assert s.kinds == ("hr",) and s.fs == 4.0
    patient = s.pair("hr")[0]
    beats = np.cumsum(rr) / 1000.0
    grid = beats[0] + np.arange(patient.size) / 4.0
    np.testing.assert_allclose(patient, np.interp(grid, beats, 60000.0 / rr), rtol=1e-9)
    assert 55 < np.nanmin(patient) and np.nanmax(patient) < 235  # 60000/1077 .. 60000/258
    assert any("start 2017-06-29 13:11:53 taken from the file name" in n for n in s.notes)


def test_real_elite_hrv_readings_85_minutes_apart_are_refused_as_not_overlapping():
    # with no clock read from the names the two readings were 'aligned' as if they had started together
    text = message(
        {"patient": ELITE / "2017-06-29 13-11-53.txt", "clinician": ELITE / "2017-06-29 14-36-38.txt"}
    )
    assert "do not overlap" in text and "2017-06-29 13:11:53" in text and "2017-06-29 14:36:38" in text
