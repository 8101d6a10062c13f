import json

import numpy as np
import pandas as pd
import pytest

from empathy_explorer.errors import InputError
from empathy_explorer.sessions.catalogue import (
    DATA_DIR,
    data_dir,
    list_sessions,
    load_session,
    teaching_specs,
)


def test_list_sessions_mirrors_the_catalogue():
    cat = json.loads((DATA_DIR / "catalogue.json").read_text(encoding="utf-8"))["sessions"]
    frame = list_sessions()
    assert frame["id"].tolist() == [e["id"] for e in cat]
    assert frame["simulated"].all()
    assert (frame["group"] == "cohort").sum() == 20
    row = frame.set_index("id").loc["clinician-leads"]
    assert row["leader"] == "clinician" and row["lag_s"] == 3.0 and row["tones"] == "neutral, positive"
    assert (
        frame.set_index("id").loc["warm-rapport", "rating"]
        != frame.set_index("id").loc["warm-rapport", "rating"]
    )


def test_load_session_round_trips_the_simulation_within_csv_rounding():
    spec = teaching_specs()[2]  # conflict
    s = load_session(spec.id)
    sim = spec.simulate()
    assert s.simulated and s.fs == sim.fs and s.n_samples == sim.n_samples
    assert s.segments == sim.segments
    assert s.ground_truth == sim.ground_truth
    np.testing.assert_allclose(s.pair("eda")[1], sim.pair("eda")[1], atol=5e-5)
    np.testing.assert_allclose(s.pair("hr")[0], sim.pair("hr")[0], atol=5e-3)
    assert s.to_frame().columns.tolist() == [
        "time_s",
        "eda_patient",
        "eda_clinician",
        "hr_patient",
        "hr_clinician",
    ]
    assert any("simulated" in n.lower() for n in s.notes)


def test_cohort_sessions_carry_ratings():
    s = load_session("cohort-05")
    assert s.rating is not None and 0 <= s.rating <= 100
    assert s.duration_s == 1200.0 and s.fs == 4.0


def test_unknown_id_lists_valid_ones():
    with pytest.raises(InputError, match=r"no example session called 'warm'.*warm-rapport.*cohort-20"):
        load_session("warm")


def test_missing_data_folder_gives_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("EMPATHY_EXPLORER_DATA", str(tmp_path))
    with pytest.raises(InputError, match=r"not found.*python -m empathy_explorer.sessions build"):
        list_sessions()


def test_data_dir_can_be_overridden(tmp_path, monkeypatch):
    entry = json.loads((DATA_DIR / "catalogue.json").read_text(encoding="utf-8"))
    entry["sessions"] = [e for e in entry["sessions"] if e["id"] == "strangers"]
    (tmp_path / "sessions").mkdir()
    (tmp_path / "catalogue.json").write_text(json.dumps(entry), encoding="utf-8")
    (tmp_path / "sessions" / "strangers.csv").write_bytes(
        (DATA_DIR / "sessions" / "strangers.csv").read_bytes()
    )
    monkeypatch.setenv("EMPATHY_EXPLORER_DATA", str(tmp_path))
    assert data_dir() == tmp_path
    assert list_sessions()["id"].tolist() == ["strangers"]
    assert isinstance(load_session("strangers").to_frame(), pd.DataFrame)
