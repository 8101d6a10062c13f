"""lessons.cohort: notebook 06, the simulated 20-dyad cohort, its r, and how unstable r is.

Reference values are computed here with plain loops (np.corrcoef per resample/prefix) and compared with
the module's vectorised code; the cohort is checked against its known ground truth (true coupling).
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import empathy_explorer.synchrony as synchrony
from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.lessons import cohort, cohort_data
from empathy_explorer.sessions.catalogue import data_dir
from empathy_explorer.stats import r_confidence_interval


def _loop_concordance_index(x, y, fs, *, slope_window_s=5, corr_window_s=15):
    """Marci-style index, one window at a time: ln(sum of positive r / |sum of negative r|)."""
    ws, wc = round(slope_window_s * fs), round(corr_window_s * fs)
    tc = np.arange(ws) / fs
    tc = tc - tc.mean()
    sx = np.array([x[i : i + ws] @ tc for i in range(len(x) - ws + 1)]) / (tc @ tc)
    sy = np.array([y[i : i + ws] @ tc for i in range(len(y) - ws + 1)]) / (tc @ tc)
    r = np.array([np.corrcoef(sx[i : i + wc], sy[i : i + wc])[0, 1] for i in range(0, len(sx) - wc + 1, 4)])
    return SimpleNamespace(index=float(np.log(r[r > 0].sum() / -r[r < 0].sum())), r=r)


@pytest.fixture
def fresh_cache():
    cohort_data._cohort_table.cache_clear()
    yield
    cohort_data._cohort_table.cache_clear()


@pytest.fixture
def loop_concordance(monkeypatch):
    """Run the cohort table on the loop reference above (independent of the synchrony module)."""
    cohort_data._cohort_table.cache_clear()
    monkeypatch.setattr(synchrony, "concordance_index", _loop_concordance_index, raising=False)
    yield
    cohort_data._cohort_table.cache_clear()


def _toy_table(n=20, rho=0.5, seed=3):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    y = 60 + 15 * (rho * x + np.sqrt(1 - rho**2) * rng.standard_normal(n))
    return pd.DataFrame({"id": [f"d{i}" for i in range(n)], "concordance": x, "rating": y})


# -- the cohort ------------------------------------------------------------------------------------


def test_cohort_table_uses_every_cohort_dyad_with_its_simulated_rating(loop_concordance):
    table = cohort.cohort_table()
    catalogue = json.loads((data_dir() / "catalogue.json").read_text(encoding="utf-8"))
    expected = {e["id"]: e for e in catalogue["sessions"] if e["group"] == "cohort"}
    assert list(table["id"]) == sorted(expected) and len(table) == 20
    assert table["simulated"].all()
    np.testing.assert_allclose(table["rating"], [expected[i]["rating"] for i in table["id"]])
    np.testing.assert_allclose(
        table["true_coupling"], [expected[i]["ground_truth"]["coupling"] for i in table["id"]]
    )
    # ground truth: concordance tracks the coupling the simulator put in
    assert np.corrcoef(table["concordance"], table["true_coupling"])[0, 1] > 0.5
    # the re-analysis lands near the published r (the cohort was built for that) and its CI covers 0.47
    res = cohort.cohort_scatter(table=table).extra["result"]
    assert 0.3 < res.r < 0.7 and res.ci_low < cohort.PUBLISHED_R < res.ci_high


def test_cohort_table_with_the_real_concordance_index_matches_the_ground_truth(fresh_cache):
    table = cohort.cohort_table()
    assert np.isfinite(table["concordance"]).all()
    assert np.corrcoef(table["concordance"], table["true_coupling"])[0, 1] > 0.5
    res = cohort.cohort_scatter(table=table).extra["result"]
    assert 0.3 < res.r < 0.7, res.describe()
    assert res.ci_low < cohort.PUBLISHED_R < res.ci_high


def test_scatter_reports_pearson_r_and_fisher_interval():
    t = _toy_table()
    out = cohort.cohort_scatter(table=t)
    res = out.extra["result"]
    assert res.r == pytest.approx(np.corrcoef(t["concordance"], t["rating"])[0, 1])
    assert (res.ci_low, res.ci_high) == pytest.approx(r_confidence_interval(res.r, 20))
    fit = out.datasets["fit"]
    slope = np.diff(fit["rating"])[0] / np.diff(fit["concordance"])[0]
    assert slope == pytest.approx(res.r * t["rating"].std() / t["concordance"].std())
    assert out.datasets["dyads"]["rating"].tolist() == t["rating"].tolist()
    assert "Simulated cohort" in out.takeaway and "r = 0.47" in out.takeaway


def test_scatter_demo_redraws_when_signal_or_window_changes(fresh_cache, monkeypatch):
    calls = []

    def stub(x, y, fs, *, slope_window_s=5, corr_window_s=15):
        calls.append(corr_window_s)
        return SimpleNamespace(index=float(np.mean(x[:50]) * corr_window_s))

    monkeypatch.setattr(synchrony, "concordance_index", stub, raising=False)
    demo = cohort.cohort_scatter_demo()
    before = demo.panel.datasets["dyads"]["concordance"].to_numpy()
    demo.controls["corr_window_s"].value = 30
    after = demo.panel.datasets["dyads"]["concordance"].to_numpy()
    np.testing.assert_allclose(after, 2 * before)
    assert "30 s windows" in demo.takeaway.value and set(calls) == {15.0, 30.0}
    demo.controls["signal"].value = "hr"
    assert not np.allclose(demo.panel.datasets["dyads"]["concordance"], after)
    assert "heart rate" in demo.takeaway.value


# -- r as the dyads come in ------------------------------------------------------------------------


def test_recruitment_path_matches_a_loop_and_ends_at_the_full_r():
    t = _toy_table()
    x, y = t["concordance"].to_numpy(), t["rating"].to_numpy()
    for seed in (0, 7):
        out = cohort.recruitment_path(seed, table=t)
        order = out.extra["order"]
        path = out.datasets["path"]
        r_line = path[path["line"] == "r so far"]
        ref = [np.corrcoef(x[order][:k], y[order][:k])[0, 1] for k in r_line["dyads"]]
        np.testing.assert_allclose(r_line["r"], ref, atol=1e-9)
        low = path[path["line"] == "95% CI lower limit"]["r"].to_numpy()
        high = path[path["line"] == "95% CI upper limit"]["r"].to_numpy()
        assert (low < r_line["r"].to_numpy()).all() and (r_line["r"].to_numpy() < high).all()
        assert r_line["r"].iloc[-1] == pytest.approx(np.corrcoef(x, y)[0, 1])
    assert sorted(cohort.recruitment_path(7, table=t).extra["order"]) == list(range(20))


def test_recruitment_slider_changes_the_path_not_the_end_point(monkeypatch):
    t = _toy_table()
    monkeypatch.setattr(cohort_data, "cohort_table", lambda *a, **k: t.copy())
    demo = cohort.recruitment_demo()
    before = demo.panel.datasets["path"].copy()
    demo.controls["order_seed"].value = 5
    after = demo.panel.datasets["path"]
    assert not np.allclose(before["r"], after["r"])
    assert before["r"].iloc[len(before) // 3 - 1] == pytest.approx(after["r"].iloc[len(after) // 3 - 1])
    assert "shuffled order no. 5" in demo.takeaway.value


# -- resampling ------------------------------------------------------------------------------------


def test_bootstrap_r_matches_a_loop_over_resamples():
    t = _toy_table()
    x, y = t["concordance"].to_numpy(), t["rating"].to_numpy()
    rs = cohort.resample_r("bootstrap", 12, n_resamples=200, x=x, y=y, seed=4)
    idx = np.random.default_rng(4).integers(0, 20, size=(200, 12))
    ref = [np.corrcoef(x[i], y[i])[0, 1] for i in idx]
    np.testing.assert_allclose(rs, ref, atol=1e-12)


def test_smaller_resampled_n_widens_the_spread_of_r():
    t = _toy_table()
    x, y = t["concordance"].to_numpy(), t["rating"].to_numpy()
    sd = {
        n: np.std(cohort.resample_r("bootstrap", n, n_resamples=4000, x=x, y=y, seed=1)) for n in (10, 20, 80)
    }
    assert sd[10] > sd[20] > sd[80]
    assert sd[20] / sd[80] == pytest.approx(2.0, rel=0.25)  # SE of r ~ 1/sqrt(n)
    new = {n: cohort.resample_r("new", n, n_resamples=4000, true_r=0.47, seed=2) for n in (20, 200)}
    assert np.median(new[200]) == pytest.approx(0.47, abs=0.02)
    assert np.std(new[20]) > 2.5 * np.std(new[200])


def test_critical_r_is_where_p_crosses_five_percent():
    from scipy import stats as sps

    for n in (10, 20, 50):
        rc = cohort.critical_r(n)
        t = rc * np.sqrt((n - 2) / (1 - rc**2))
        assert 2 * sps.t.sf(t, n - 2) == pytest.approx(0.05)
    assert cohort.critical_r(20) == pytest.approx(0.444, abs=1e-3)


def test_resampling_summary_counts_and_colours_by_significance():
    rs = np.array([-0.2, 0.1, 0.3, 0.5, 0.6, 0.9])
    out = cohort.resampling_summary(rs, 20, reference_r=0.47, reference_label="true r", method="new")
    hist = out.datasets["hist"]
    assert hist["count"].sum() == 6
    sig = hist[hist["result"].str.startswith("p < 0.05")]
    assert sig["count"].sum() == 3  # 0.5, 0.6, 0.9 are beyond |r| = 0.444
    assert (np.minimum(sig["bin_start"].abs(), sig["bin_end"].abs()) >= cohort.critical_r(20) - 1e-9).all()
    assert out.extra["share_significant"] == pytest.approx(0.5)
    assert out.datasets["marker"]["bin_start"].tolist() == [0.47]
    with pytest.raises(InputError):
        cohort.resampling_summary(np.array([np.nan]), 20, reference_r=0.4, reference_label="r")


def test_resample_button_fills_histogram_progress_and_n_widens_spread():
    t = _toy_table()
    demo = cohort.ResamplingDemo(t["concordance"].to_numpy(), t["rating"].to_numpy(), chunks=5)
    assert demo.panel.datasets["hist"]["count"].sum() == 1  # only the cohort's own r before any press
    seen = []
    demo.progress.observe(lambda ch: seen.append(ch["new"]), names="value")
    demo.controls["n_resamples"].value = 3000
    demo.button.click()
    assert seen[-5:] == [1, 2, 3, 4, 5] and demo.progress.value == demo.progress.max == 5
    assert demo.panel.datasets["hist"]["count"].sum() == 3000
    assert not demo.button.disabled and "3,000 bootstrap resamples" in demo.takeaway.value
    wide20 = demo.output.extra["p97_5"] - demo.output.extra["p2_5"]
    demo.controls["n"].value = 100
    out = demo.run()
    assert out.extra["p97_5"] - out.extra["p2_5"] < wide20 / 1.5
    demo.controls["method"].value = "new"
    demo.controls["true_r"].value = 0.2
    out = demo.run()
    assert demo.panel.datasets["marker"]["bin_start"].tolist() == [0.2]
    assert "true r 0.20" in out.takeaway
    # each press draws other cohorts
    assert not np.array_equal(demo.run().datasets["hist"]["count"], out.datasets["hist"]["count"])


def test_resampling_refuses_bad_settings():
    with pytest.raises(ParameterError):
        cohort.resample_r("jackknife", 20, x=np.arange(5.0), y=np.arange(5.0))
    with pytest.raises(ParameterError):
        cohort.resample_r("bootstrap", 2, x=np.arange(5.0), y=np.arange(5.0))
    with pytest.raises(InputError):
        cohort.resample_r("bootstrap", 20, x=np.array([1.0, np.nan, 2, 3]), y=np.arange(4.0))


# -- significance filter ---------------------------------------------------------------------------


def test_significance_filter_power_rises_and_significant_r_is_inflated_at_small_n():
    out = cohort.significance_filter(0.3, 20)
    curves = out.datasets["curves"]
    power = curves[curves["line"].str.startswith("Share")].set_index("dyads")["value"]
    assert power[150] > 0.9 > power[20]
    assert power.is_monotonic_increasing or np.all(np.diff(power.to_numpy()) > -0.03)
    assert out.extra["power"] == pytest.approx(0.26, abs=0.05)  # analytic power of r=0.3, n=20 is ~0.25
    assert out.extra["mean_sig_r"] > 0.45  # a significant 20-dyad study overstates r = 0.3
    big = cohort.significance_filter(0.3, 150)
    assert big.extra["mean_sig_r"] == pytest.approx(0.3, abs=0.03)


def test_significance_filter_demo_moves_marker_and_takeaway():
    demo = cohort.significance_filter_demo()
    demo.controls["n"].value = 100
    assert set(demo.panel.datasets["here"]["dyads"]) == {100}
    before = demo.output.extra["power"]
    demo.controls["true_r"].value = 0.1
    assert demo.output.extra["power"] < before
    assert "If the true r were 0.10" in demo.takeaway.value
    with pytest.raises(ParameterError):
        cohort.significance_filter(0.95, 20)
