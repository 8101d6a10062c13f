"""Notebook 04 demos: sliders change the charts as the coupled-agents model and the data predict."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from empathy_explorer.errors import ParameterError
from empathy_explorer.lessons.sync_basics import (
    conflict_demo,
    conflict_vs_rapport,
    coupled_agents_demo,
    coupled_pair,
    lag_profile,
    session_signals,
    shared_driver,
    shared_driver_demo,
    signals_demo,
    teaching_sessions,
)


def test_lag_profile_matches_a_plain_loop_and_finds_a_known_delay():
    rng = np.random.default_rng(5)
    fs, max_lag_s = 4.0, 3.0
    x = np.convolve(rng.standard_normal(1300), np.ones(4) / 4, mode="same")
    y = np.roll(x, 6) + 0.5 * rng.standard_normal(x.size)  # y follows x by 6 samples = 1.5 s
    prof = lag_profile(x, y, fs, max_lag_s=max_lag_s)
    L = round(max_lag_s * fs)
    w = x.size - 2 * L
    ref = [np.corrcoef(x[L : L + w], y[L + tau : L + tau + w])[0, 1] for tau in range(-L, L + 1)]
    np.testing.assert_allclose(prof["r"], ref, atol=1e-9)
    np.testing.assert_allclose(prof["lag_s"], np.arange(-L, L + 1) / fs)
    assert prof.loc[prof["r"].idxmax(), "lag_s"] == pytest.approx(1.5)


def test_signals_demo_follows_session_stretch_and_scale():
    demo = signals_demo()
    first = demo.panel.datasets["signals"].copy()
    assert set(first["person"]) == {"patient", "clinician"}
    assert first["time_s"].max() < 120
    demo.controls["span_s"].value = 600
    longer = demo.panel.datasets["signals"]
    assert longer["time_s"].max() > 590 and len(longer) <= 2000  # downsampled for display
    demo.controls["standardise"].value = True
    z = demo.panel.datasets["signals"]
    assert abs(z["value"].mean()) < 0.5 and "z-score" in demo.takeaway.value
    demo.controls["session_id"].value = "strangers"
    assert "Two strangers" in demo.takeaway.value
    demo.controls["span_s"].value = 120
    demo.controls["start_s"].value = 2940  # beyond this 10-min session: the last 2 minutes are shown
    tail = demo.panel.datasets["signals"]["time_s"]
    assert tail.min() >= 480 and tail.max() > 599
    assert "480–600 s" in demo.takeaway.value


def test_coupled_sessions_move_together_more_than_strangers():
    assert "strangers" in teaching_sessions().values()
    warm = session_signals("warm-rapport", "eda", 0, 600)
    strangers = session_signals("strangers", "eda", 0, 600)
    assert warm.extra["r_lag0"] > 0.4 > abs(strangers.extra["r_lag0"])
    assert warm.extra["unit"] == "µS"


def test_more_coupling_gives_more_synchrony_and_attention_scales_it():
    peaks = [coupled_pair(c).extra["peak_r"] for c in (0.0, 0.3, 0.6, 0.9)]
    assert all(a < b for a, b in itertools.pairwise(peaks)), peaks
    engaged = coupled_pair(0.9, attention=1.0).extra
    distant = coupled_pair(0.9, attention=0.1).extra
    assert distant["effective_coupling"] == pytest.approx(0.09)
    assert distant["peak_r"] < engaged["peak_r"] - 0.2


@pytest.mark.parametrize("delay_s", [1.0, 3.0, 6.0])
def test_the_peak_lag_recovers_the_response_delay(delay_s):
    out = coupled_pair(0.8, delay_s=delay_s)
    # the slow response of each body (2-s time constant) puts the peak at or a little after the delay
    assert delay_s <= out.extra["peak_lag_s"] <= delay_s + 2.0
    assert out.datasets["truth"]["lag_s"].tolist() == [delay_s]


def test_coupled_demo_sliders_update_the_chart_in_place():
    demo = coupled_agents_demo()
    before = demo.panel.datasets["profile"]["r"].max()
    demo.controls["coupling"].value = 0.95
    after = demo.panel.datasets["profile"]["r"].max()
    assert after > before
    demo.controls["attention"].value = 0.0
    assert demo.panel.datasets["profile"]["r"].max() < before
    assert "Effective coupling 0.00" in demo.takeaway.value
    demo.controls["attention"].value = 1.0
    demo.controls["delay_s"].value = 6.0
    assert demo.panel.datasets["truth"]["lag_s"].tolist() == [6.0]
    assert demo.output.extra["peak_lag_s"] >= 6.0


def test_shared_driver_makes_synchrony_without_coupling_and_pseudo_pairs_expose_it():
    confound = shared_driver(coupling=0.0, driver_strength=4.0).extra
    assert confound["real_peak_r"] > 0.3  # looks strongly "in sync"
    assert abs(confound["excess"]) < 0.08  # ...but pseudo-pairs with the same events are just as much
    coupled = shared_driver(coupling=0.8, driver_strength=4.0).extra
    assert coupled["excess"] > 0.1
    nothing = shared_driver(coupling=0.0, driver_strength=0.0).extra
    assert nothing["real_peak_r"] < 0.15


def test_shared_driver_demo_updates_and_refuses_bad_values():
    demo = shared_driver_demo()
    assert "the shared events explain the synchrony" in demo.takeaway.value
    demo.controls["coupling"].value = 0.8
    assert "that excess is the coupling" in demo.takeaway.value
    prof = demo.panel.datasets["profile"]
    assert set(prof["line"]) == {"Real pairs (people who met)", "Pseudo-pairs (never met, same events)"}
    with pytest.raises(ParameterError):
        shared_driver(driver_strength=7.0)


def test_an_argument_can_look_more_in_sync_than_warmth():
    out = conflict_vs_rapport(0.5, 0.8)
    assert out.extra["argument_peak_r"] > out.extra["warm_peak_r"]
    demo = conflict_demo()
    before = demo.panel.datasets["bars"]["peak_r"].tolist()
    demo.controls["argument_coupling"].value = 0.0
    after = demo.panel.datasets["bars"]["peak_r"].tolist()
    assert after[0] == pytest.approx(before[0]) and after[1] < before[1]
    assert "more in sync here" in demo.takeaway.value


def test_bad_parameters_give_plain_errors():
    with pytest.raises(ParameterError):
        session_signals(kind="ecg")
    with pytest.raises(ParameterError):
        coupled_pair(coupling=1.5)
