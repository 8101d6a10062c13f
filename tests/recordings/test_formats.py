"""The device formats without a licensed public example, tested with files built from their documentation
(``tests/data/formats/``, labelled NOT real there): each loads the known signal, aligned on the file's clock
where it has one; each sniffer recognises its own file and no other format's file.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from empathy_explorer import recordings
from empathy_explorer.errors import RecordingError
from empathy_explorer.recordings import load_recording, opensignals
from empathy_explorer.recordings._common import _decode
from tests.support.paths import REPO_ROOT, TEST_DATA

FORMATS = TEST_DATA / "formats"
_spec = importlib.util.spec_from_file_location("make_formats", FORMATS / "make_formats.py")
mk = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mk)

RR_FORMATS = {  # file pattern -> (format module, has a clock)
    "hrvlogger_{}_RRIntervals.csv": ("hrv_logger", True),
    "polarsensorlogger_{}_RR.txt": ("polar_sensor_logger", True),
    "welltory_{}_RR.txt": ("welltory", False),
    "annotated_{}_RR.txt": ("rr_annotated", False),
    "movesense_{}_HR-*.csv": ("movesense", True),
}
EDA_FORMATS = {"shimmer_{}_GSR.csv": "shimmer", "opensignals_{}_EDA.txt": "opensignals"}


def path(pattern: str, person: str) -> Path:
    return next(FORMATS.glob(pattern.format(person)))


@pytest.mark.parametrize("pattern", [*RR_FORMATS, *EDA_FORMATS])
def test_each_sniffer_claims_its_own_file_first(pattern):
    module = RR_FORMATS.get(pattern, (EDA_FORMATS.get(pattern),))[0]
    p = path(pattern, "patient")
    fmt, reason = recordings.sniff(_decode(p.read_bytes(), p.name), p.name)
    assert fmt is getattr(recordings, module), reason


@pytest.mark.parametrize("pattern", list(RR_FORMATS))
def test_rr_formats_give_the_true_heart_rate_and_align_on_their_clock(pattern):
    _, clocked = RR_FORMATS[pattern]
    s = load_recording({"patient": path(pattern, "patient"), "clinician": path(pattern, "clinician")})
    assert s.kinds == ("hr",) and s.fs == 4.0 and s.duration_s > 170
    tp, tc = mk.beats("patient")[0], mk.beats("clinician")[0]
    first_p, first_c = tp[0], tc[0]
    if clocked:
        start = max(first_p, first_c)  # the session starts when both have a beat
        assert any(f"started {first_c - first_p:.3g} s later" in n for n in s.notes), s.notes
        starts = (start, start)
    else:
        assert any("carry no clock time" in n for n in s.notes)
        starts = (first_p, first_c)
    for person, values, begin, (t, rr) in zip(
        ("patient", "clinician"),
        s.pair("hr"),
        starts,
        (mk.beats("patient"), mk.beats("clinician")),
        strict=True,
    ):
        grid = begin + np.arange(values.size) / 4.0
        reference = np.interp(grid, t, 60000.0 / rr)  # the file's own beats, joined by straight lines
        np.testing.assert_allclose(values, reference, atol=0.05, err_msg=person)
        assert np.abs(values - mk.hr_true(grid, person)).max() < 1.5  # and close to the true rate


@pytest.mark.parametrize("pattern", list(EDA_FORMATS))
def test_eda_formats_give_the_true_skin_conductance_aligned_on_their_clock(pattern):
    s = load_recording({"patient": path(pattern, "patient"), "clinician": path(pattern, "clinician")})
    assert s.kinds == ("eda",) and s.fs == 32.0  # 51.2 / 100 Hz put down to 32 Hz
    assert any("started 3 s later" in n for n in s.notes)
    grid = mk.LAG_S + np.arange(s.n_samples) / s.fs
    tol = 0.03 if "opensignals" in pattern else 2e-3  # one 10-bit step is 3.3 / 1024 / 0.132 = 0.024 µS
    inner = slice(64, -64)  # away from the resampling filter's edges
    for person, values in zip(("patient", "clinician"), s.pair("eda"), strict=True):
        err = np.abs(values - mk.eda_true(grid, person))[inner]
        assert err.mean() < tol, (person, err.mean())


def test_bitalino_transfer_function_matches_the_datasheet_formula_at_known_points():
    # EDA(µS) = (ADC / 2^n) * 3.3 / 0.132: 0-25 µS at full scale (BITalino EDA user manual 2020, section 1.3;
    # PLUX's biosignalsnotebooks converts bitalino_rev EDA the same way)
    adc = np.array([0.0, 256.0, 512.0, 1023.0])
    expected = (adc / 1024) * 3.3 / 0.132
    np.testing.assert_allclose(opensignals.eda_microsiemens(adc, 10, "bitalino_rev"), expected)
    plux = opensignals.eda_microsiemens(np.array([32768.0]), 16, "biosignalsplux")
    assert plux[0] == pytest.approx(0.5 * 3.0 / 0.12)


def test_shimmer_resistance_column_is_used_when_no_conductance_column():
    p = path("shimmer_{}_GSR.csv", "patient")
    lines = p.read_text().splitlines()
    cut = "\n".join(",".join(line.split(",")[:2]) for line in lines[1:])  # drop the µS column
    s = load_recording(
        {"patient": ('"sep=,"\n' + cut).encode(), "clinician": path("shimmer_{}_GSR.csv", "clinician")}
    )
    assert any("µS = 1000 / kOhm" in n for n in s.notes)


def test_a_skin_conductance_file_paired_with_heart_rate_is_refused():
    with pytest.raises(RecordingError, match="different signals"):
        load_recording(
            {
                "patient": path("shimmer_{}_GSR.csv", "patient"),
                "clinician": path("welltory_{}_RR.txt", "clinician"),
            }
        )
    with pytest.raises(RecordingError, match="not heart rate"):
        load_recording(
            {
                "patient": path("shimmer_{}_GSR.csv", "patient"),
                "clinician": path("shimmer_{}_GSR.csv", "clinician"),
            },
            kind="hr",
        )


def test_annotations_are_counted_and_every_interval_used():
    s = load_recording(
        {
            "patient": path("annotated_{}_RR.txt", "patient"),
            "clinician": path("annotated_{}_RR.txt", "clinician"),
        }
    )
    rr = mk.beats("patient")[1]
    n_v = sum(1 for i in range(rr.size) if i % 97 == 50)
    assert any(f"N {rr.size - n_v}, V {n_v}" in n for n in s.notes)


def test_one_welltory_file_alone_is_refused_naming_the_format():
    p = path("welltory_{}_RR.txt", "patient")
    with pytest.raises(RecordingError, match=r"Welltory .* one person's signal"):
        load_recording(p.read_bytes(), name=p.name)


def test_game_round_file_loads_players_as_the_two_people_with_its_metadata():
    t = np.arange(0, 60, 0.02)
    rows = "\n".join(f"{x:.2f},{0.5 + 0.4 * np.sin(x):.4f},{0.5 + 0.4 * np.sin(x - 0.3):.4f}" for x in t)
    header = (
        "# empathy-explorer round: 1\n# kind: mirror_a_leads\n# pair: P03\n# fs_hz: 50\n# signal: position\n"
        '# unit: track\n# simulated: false\n# settings: {"delay_ms": 300}\n'
    )
    s = load_recording((header + "time_s,player_a,player_b\n" + rows).encode(), name="round.csv")
    assert s.kinds == ("position",) and s.units["position"] == "track" and s.fs == 50.0
    assert s.metadata["kind"] == "mirror_a_leads" and s.metadata["settings"] == '{"delay_ms": 300}'
    a, b = s.pair("position")
    np.testing.assert_allclose(a[:5], [0.5 + 0.4 * np.sin(x) for x in t[:5]], atol=1e-4)
    np.testing.assert_allclose(b[:5], [0.5 + 0.4 * np.sin(x - 0.3) for x in t[:5]], atol=1e-4)


def test_plain_csv_comment_metadata_is_kept():
    t = np.arange(0, 60, 0.25)
    rows = "\n".join(f"{x:.2f},{5 + np.sin(x / 5):.4f},{7 + np.cos(x / 7):.4f}" for x in t)
    s = load_recording(
        ("# site: ward 3\n# note: demo\ntime,patient,clinician\n" + rows).encode(), name="c.csv"
    )
    assert dict(s.metadata) == {"site": "ward 3", "note": "demo"} and s.kinds == ("eda",)


def test_readme_lists_every_format_with_one_line():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Your own recording", 1)[1].split("\n## ", 1)[0]
    for module in [*recordings.FORMATS, recordings.generic]:
        short = module.__name__.rsplit(".", 1)[1]
        rows = [line for line in section.splitlines() if f"(`{short}`)" in line]
        assert len(rows) == 1, f"README 'Your own recording' has {len(rows)} rows for {short}"
        assert module.__doc__ and "Example" in module.__doc__, f"{short} has no example in its docstring"


def test_docstring_examples_of_every_recordings_module_run():
    import doctest
    import importlib
    import pkgutil

    names = [m.name for m in pkgutil.iter_modules(recordings.__path__, "empathy_explorer.recordings.")]
    for module in [recordings, *map(importlib.import_module, names)]:
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module.__name__
