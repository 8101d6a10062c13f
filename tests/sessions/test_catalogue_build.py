import io
import json
import shutil

import numpy as np
import pandas as pd
import pytest

from empathy_explorer.sessions import catalogue as data
from empathy_explorer.sessions.catalogue import (
    COLUMNS,
    DATA_DIR,
    build,
    check,
    cohort_specs,
    main,
    teaching_specs,
)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    return build(tmp_path_factory.mktemp("fresh"))


def test_committed_data_matches_a_fresh_rebuild_byte_for_byte(fresh):
    committed = {p.relative_to(DATA_DIR).as_posix() for p in DATA_DIR.rglob("*") if p.is_file()}
    rebuilt = {p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()}
    assert committed == rebuilt
    for name in sorted(rebuilt):
        assert (fresh / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_check_reports_a_changed_file_and_the_cli_exit_code(fresh, tmp_path, capsys, monkeypatch):
    out = tmp_path / "copy"
    shutil.copytree(fresh, out)
    target = out / "sessions" / "strangers.csv"
    target.write_bytes(target.read_bytes().replace(b"0.000,", b"0.001,", 1))
    (out / "sessions" / "extra.csv").write_text("x\n")
    problems = check(out)
    assert "differs: sessions/strangers.csv" in problems
    assert "not built by the generator: sessions/extra.csv" in problems
    monkeypatch.setattr(data, "check", lambda _dir: problems)  # the CLI reports what check() found
    assert main(["check", "--dir", str(out)]) == 1
    assert "does not match a rebuild" in capsys.readouterr().out
    monkeypatch.setattr(data, "check", lambda _dir: [])
    assert main(["check"]) == 0


def test_data_folder_is_small_and_labelled_simulated():
    total = sum(p.stat().st_size for p in DATA_DIR.rglob("*") if p.is_file())
    assert total < 20 * 1024 * 1024
    cat = json.loads((DATA_DIR / "catalogue.json").read_text(encoding="utf-8"))
    assert cat["simulated"] is True
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert "Every session in this folder is simulated" in readme
    assert "python -m empathy_explorer.sessions build" in readme
    ids = [e["id"] for e in cat["sessions"]]
    assert len(ids) == len(set(ids)) == len(teaching_specs()) + 20
    for e in cat["sessions"]:
        assert e["simulated"] is True and "simulated" in e["title"]
        assert set(e["ground_truth"]) == {"coupling", "lag_s", "leader", "shared_driver"}
        assert [c["name"] for c in e["columns"]] == [name for name, _ in COLUMNS]
        frame = pd.read_csv(DATA_DIR / e["file"])
        assert frame.columns.tolist() == [name for name, _ in COLUMNS]
        assert len(frame) == e["n_samples"] == round(e["duration_s"] * e["fs"])
        np.testing.assert_allclose(np.diff(frame["time_s"]), 1 / e["fs"], atol=1e-3)
        assert frame[["eda_patient", "eda_clinician"]].to_numpy().min() > 0
        hr = frame[["hr_patient", "hr_clinician"]].to_numpy()
        assert 30 < hr.min() and hr.max() < 200
    assert any(e["duration_s"] >= 3000 for e in cat["sessions"])  # the latency benchmark's session


def test_catalogue_is_deterministic_json_with_sorted_keys():
    text = (DATA_DIR / "catalogue.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def test_cohort_is_shaped_like_marci_2007():
    specs = cohort_specs()
    assert len(specs) == 20
    coupling = np.array([s.params["coupling"] for s in specs])
    rating = np.array([s.rating for s in specs])
    assert np.all((rating >= 0) & (rating <= 100))
    # the rating shares a latent attunement with the true coupling, loosely (rating noise)
    r = np.corrcoef(coupling, rating)[0, 1]
    assert 0.4 < r < 0.95
    # every dyad has positive and non-positive segments, so concordance can be compared within dyads
    for s in specs:
        tones = {seg[2] for seg in s.params["segments"]}
        assert "positive" in tones and ({"neutral", "conflict"} & tones)


def test_session_csv_round_trips_through_the_format():
    spec = teaching_specs()[0]
    session = spec.simulate()
    blob = data.session_to_csv(session)
    frame = pd.read_csv(io.BytesIO(blob))
    np.testing.assert_allclose(frame["eda_patient"], session.pair("eda")[0], atol=5e-5)
    np.testing.assert_allclose(frame["hr_clinician"], session.pair("hr")[1], atol=5e-3)
