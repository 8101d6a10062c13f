"""Movement and tapping analysis of game rounds, against known ground truth and plain references."""

from __future__ import annotations

import time

import numpy as np
import pytest

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.games.analysis import (
    analyse_movement,
    analyse_tapping,
    band_power,
    movement_summary_table,
    pair_taps,
    peak_xcorr,
)
from empathy_explorer.games.capture import round_from_capture
from empathy_explorer.games.rounds import make_round, round_from_taps
from empathy_explorer.games.virtual import leader_path, simulate_taps, simulated_round, virtual_tapper
from tests.support.rounds import key_log


def captured(kind: str, ev_a: list, ev_b: list, dur_ms: float = 30_000):
    payload = {"kind": kind, "elapsed_ms": dur_ms, "planned_ms": dur_ms, "events_a": ev_a, "events_b": ev_b}
    return round_from_capture(payload).round


# ---------------------------------------------------------------------------------------------- movement


@pytest.mark.parametrize("seed", range(4))
def test_b_copies_a_300_ms_late(seed):
    ev = key_log(seed)
    rnd = captured("mirror_a_leads", ev, [[t + 300.0, k, v] for t, k, v in ev])
    res = analyse_movement(rnd)
    assert res.leader == "A" and abs(res.lag_ms - 300.0) <= 40.0
    assert res.p_value < 0.05 and res.mean_peak_r > 0.8


def test_a_copies_b_gives_a_negative_lag():
    ev = key_log(9)
    res = analyse_movement(captured("mirror_b_leads", [[t + 200.0, k, v] for t, k, v in ev], ev))
    assert res.leader == "B" and abs(res.lag_ms + 200.0) <= 40.0


def test_lag_profile_peak_matches_a_plain_loop_reference():
    ev = key_log(3)
    rnd = captured("mirror_a_leads", ev, [[t + 300.0, k, v] for t, k, v in ev])
    res = analyse_movement(rnd, window_s=5.0, step_s=1.0, max_lag_s=1.5)
    va, vb = res.velocity["player_a"].to_numpy(), res.velocity["player_b"].to_numpy()
    w, s, L = 250, 50, 75
    prof = np.zeros(2 * L + 1)
    starts = range(L, va.size - w - L + 1, s)
    for k, lag in enumerate(range(-L, L + 1)):  # plain reference: a loop over lags and windows
        rs = [np.corrcoef(va[a : a + w], vb[a + lag : a + lag + w])[0, 1] for a in starts]
        prof[k] = np.nanmean(rs)
    np.testing.assert_allclose(res.lag_profile["r"].to_numpy(), prof, atol=1e-9)
    assert res.lag_profile["lag_ms"].to_numpy()[np.argmax(prof)] == 300.0


def test_independent_players_are_not_significant_and_false_positives_are_rare():
    ps = []
    for seed in range(60):
        rnd = captured("mirror_joint", key_log(seed, 60_000), key_log(seed + 500, 60_000), 60_000)
        ps.append(analyse_movement(rnd, n_surrogates=99, seed=seed).p_value)
    ps = np.array(ps)
    # 60-s rounds: measured 3 of 60 (5 %) below 0.05; allow binomial noise but catch a broken test
    assert (ps < 0.05).mean() <= 0.12, f"false-positive rate {(ps < 0.05).mean():.0%}"
    assert np.median(ps) > 0.3


def test_virtual_follower_lag_matches_the_set_lag():
    for delay in (150, 300, 450):
        res = analyse_movement(simulated_round("mirror_solo_lead", duration_s=40, delay_ms=delay, seed=4))
        assert abs(res.lag_ms - delay) <= 20.0 and res.leader == "A"


def test_follower_jitter_is_in_the_follower():
    res = analyse_movement(simulated_round("mirror_a_leads", duration_s=60, jitter_sd=0.006, seed=1))
    assert res.jitter_share_b > 5 * res.jitter_share_a  # B (the simulated human follower) wobbles
    assert res.jitter_share > 0.5


def test_band_power_matches_parseval():
    t = np.arange(3000) / 50
    x = 0.3 * np.sin(2 * np.pi * 3 * t) + np.sin(2 * np.pi * 0.3 * t)
    power, share = band_power(x, 50)
    assert power == pytest.approx(0.3**2 / 2, rel=1e-9)
    assert share == pytest.approx(0.045 / (0.045 + 0.5), rel=1e-9)


def test_peak_xcorr_against_numpy_correlate():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(500), rng.standard_normal(500)
    r, lag = peak_xcorr(x, y, 10)
    xc, yc = x - x.mean(), y - y.mean()
    full = np.correlate(yc, xc, mode="full")[499 - 10 : 499 + 11] / (500 * x.std() * y.std())
    assert r == pytest.approx(full.max()) and lag == int(np.argmax(full)) - 10


def test_result_within_one_second_of_the_round_end():
    rnd = captured("mirror_joint", key_log(1, 60_000), key_log(2, 60_000), 60_000)
    start = time.perf_counter()
    analyse_movement(rnd)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("ev_a", "ev_b", "dur", "words"),
    [
        ([], [], 30_000, "Nobody moved"),
        ([[0, "v", 1], [100, "v", 0]] * 1, key_log(1), 30_000, "Player A hardly moved"),
        (key_log(1), [], 30_000, "Player B hardly moved"),
        (key_log(1), key_log(2), 10_000, "at least 15 s"),
    ],
)
def test_bad_rounds_get_a_plain_message(ev_a, ev_b, dur, words):
    with pytest.raises(InputError, match=words):
        analyse_movement(captured("mirror_joint", ev_a, ev_b, dur))


def test_summary_table_has_one_row_per_round():
    res = [
        analyse_movement(simulated_round(k, duration_s=30, seed=2))
        for k in ("mirror_a_leads", "mirror_joint")
    ]
    table = movement_summary_table(res)
    assert table["round"].tolist() == ["mirror_a_leads", "mirror_joint"]
    assert table["leader"].tolist() == ["A", "nobody"]


def test_tapping_round_is_refused_by_movement_analysis():
    with pytest.raises(ParameterError):
        analyse_movement(simulated_round("tap_mutual", duration_s=30))


# ----------------------------------------------------------------------------------------------- tapping


@pytest.mark.parametrize(("alpha_a", "alpha_b"), [(0.5, 0.0), (0.3, 0.3), (0.8, 0.2)])
def test_phase_correction_is_recovered_from_synthetic_taps(alpha_a, alpha_b):
    est = []
    for seed in range(20):
        a, b = simulate_taps(50, alpha_a=alpha_a, alpha_b=alpha_b, timekeeper_sd_s=0.02, seed=seed)
        rnd = round_from_taps("tap_mutual", a, b, 32.0)  # through the 10-ms round file
        res = analyse_tapping(rnd)
        est.append((res.alpha_a, res.alpha_b))
    est = np.array(est)
    assert abs(est[:, 0].mean() - alpha_a) < 0.06 and abs(est[:, 1].mean() - alpha_b) < 0.06


def test_virtual_tapper_alpha_is_recovered_from_its_taps():
    rng = np.random.default_rng(5)
    human = 1.0 + np.cumsum(0.6 + 0.03 * rng.standard_normal(60))
    b = virtual_tapper(human, period_s=0.6, alpha=0.7, start_s=1.0, duration_s=human[-1])
    res = analyse_tapping((human, b))
    assert res.alpha_b == pytest.approx(0.7, abs=0.02)


def test_mutual_adaptation_shows_in_both_lag1_cross_correlations():
    mutual = [analyse_tapping(simulate_taps(60, alpha_a=0.4, alpha_b=0.4, seed=s)) for s in range(10)]
    one_way = [analyse_tapping(simulate_taps(60, alpha_a=0.6, metronome_b=True, seed=s)) for s in range(10)]
    assert np.mean([m.b_follows_a for m in mutual]) > 0.1 and np.mean([m.a_follows_b for m in mutual]) > 0.1
    # a metronome's intervals are constant: no cross-correlation either way; A's correction shows in alpha
    assert all(np.isnan(m.b_follows_a) and np.isnan(m.a_follows_b) for m in one_way)
    assert np.mean([m.alpha_a for m in one_way]) == pytest.approx(0.6, abs=0.06)


def test_asynchrony_and_intervals_against_hand_computed_values():
    a = np.array([1.00, 1.61, 2.20, 2.80, 3.41, 4.00, 4.62, 5.20, 5.80, 6.40])
    b = a + np.array([0.02, -0.01, 0.03, 0.0, 0.01, 0.02, -0.02, 0.0, 0.01, 0.02])
    res = analyse_tapping((a, b))
    assert res.n_pairs == 10
    assert res.mean_async_ms == pytest.approx(-1000 * np.mean(b - a))
    assert res.mean_iti_a_ms == pytest.approx(1000 * np.mean(np.diff(a)))


def test_pairing_skips_missed_taps():
    ia, ib = pair_taps([1.0, 1.6, 2.2, 2.8], [1.01, 2.21, 2.79])
    assert ia.tolist() == [0, 2, 3] and ib.tolist() == [0, 1, 2]


def test_too_few_taps_get_a_plain_message():
    with pytest.raises(InputError, match="Player B tapped 2 times"):
        analyse_tapping(([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2]))
    with pytest.raises(InputError, match="had a tap of B close by"):
        analyse_tapping((np.arange(10) * 0.6, np.arange(10) * 0.6 + 0.3))


def test_positions_round_trip_through_make_round():
    rnd = make_round("mirror_joint", leader_path(20, seed=1), leader_path(20, seed=2), 50)
    assert analyse_movement(rnd).kind == "mirror_joint"
