"""Page 08's controller: callbacks are plain functions; rounds are kept, analysed, tabled and downloadable."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest

from empathy_explorer.games.rounds import read_round
from empathy_explorer.lessons.mirror_game import mirror_game_page
from tests.support.rounds import key_log


@pytest.fixture(scope="module")
def page():
    return mirror_game_page(pair="P07")


def _payload(kind, ev_a, ev_b, dur_ms=30_000, **extra):
    out = {"type": "ee-round", "kind": kind, "elapsed_ms": dur_ms, "planned_ms": dur_ms}
    out.update(events_a=ev_a, events_b=ev_b, **extra)
    return out


def test_starts_with_labelled_simulated_examples(page):
    assert [r.example and r.round.simulated for r in page.rounds[:2]] == [True, True]
    assert "simulated" in page.result.value and "example (simulated)" in page.table.value
    assert page.move_panel.datasets["note"]["text"][0].startswith("Example round: simulated")


def test_a_played_round_is_analysed_tabled_and_downloadable(page):
    ev = key_log(4)
    page.controls["kind"].value = "mirror_a_leads"
    played = page.on_round(_payload("mirror_a_leads", ev, [[t + 300, k, v] for t, k, v in ev]))
    assert played is not None and abs(played.result.lag_ms - 300) <= 40 and played.result.p_value < 0.05
    assert played.seconds < 1.0
    m = re.search(r"data-lag-ms='([-\d.]+)'", page.result.value)
    assert m and abs(float(m.group(1)) - 300) <= 40
    assert "P07-mirror_a_leads-1" in page.table.value
    assert page.move_panel.datasets["note"]["text"][0] == "Your round: Mirror game: A leads, B follows"
    href = re.search(r'href="data:text/csv;base64,([^"]+)"', page.download_link.value).group(1)
    rnd = read_round(base64.b64decode(href))
    assert rnd.kind == "mirror_a_leads" and rnd.pair == "P07" and not rnd.simulated


def test_bad_rounds_give_messages_and_lose_nothing(page):
    before = len(page.rounds)
    page.on_round(_payload("mirror_joint", [], []))
    assert "Nobody moved" in page.message.value and "ee-error" in page.message.value
    page.on_round(_payload("mirror_joint", key_log(1), [], hidden_ms=4000.0))
    assert "hardly moved" in page.message.value and "background" in page.message.value
    page.on_round(_payload("mirror_joint", key_log(1), key_log(2), 6000, stopped_early=True))
    assert "too short to analyse" in page.message.value
    assert len(page.rounds) == before + 3  # every round kept (and downloadable)
    assert "not analysed" in page.table.value
    assert page.on_round({"type": "ee-round", "kind": "chess"}) is None
    assert "could not be read" in page.message.value and len(page.rounds) == before + 3


def test_virtual_follower_round_measures_the_set_lag(page):
    page.controls["kind"].value = "mirror_solo_lead"
    page.controls["delay_ms"].value = 450
    assert page.capture.follower["delay_ms"] == 450 and page.capture.labels["b"] == "Computer (B)"
    played = page.on_round(_payload("mirror_solo_lead", key_log(8), []))
    assert abs(played.result.lag_ms - 450) <= 20 and played.round.settings["delay_ms"] == 450


def test_follow_the_computer_sends_its_path(page):
    page.controls["kind"].value = "mirror_solo_follow"
    assert len(page.capture.leader_path) == 30 * 50
    lead = np.asarray(page.capture.leader_path)
    ev = [[i * 20.0 + 300.0, "p", float(p)] for i, p in enumerate(lead)]  # the student copies 300 ms late
    played = page.on_round(_payload("mirror_solo_follow", ev, []))
    assert played.result.leader == "B" and abs(played.result.lag_ms + 300) <= 40


def test_tapping_round_and_widget_settings(page):
    page.controls["kind"].value = "tap_metronome"
    assert page.capture.mode == "tap" and page.capture.metronome["period_ms"] == 600
    a = [1000 + 600 * k + 10 * np.sin(k) for k in range(45)]
    b = [1000 + 600 * k - 15 + 10 * np.cos(k) for k in range(45)]
    played = page.on_round({"type": "ee-round", "kind": "tap_metronome", "elapsed_ms": 30_000,
                            "planned_ms": 30_000, "taps_a": a, "taps_b": b})  # fmt: skip
    assert played.result.n_pairs >= 40 and played.result.mean_async_ms == pytest.approx(15, abs=6)
    assert "tap_metronome" in page.tap_table.value or "metronome" in page.tap_table.value
