"""Virtual partners: the leader is smooth and stays on the track, the follower's lag is the set delay,
the phase-correcting tapper corrects by alpha, and simulated rounds are labelled simulated."""

from __future__ import annotations

import numpy as np
import pytest

from empathy_explorer.errors import ParameterError
from empathy_explorer.games.rounds import ROUND_KINDS, read_round, round_to_csv
from empathy_explorer.games.virtual import follow, leader_path, simulate_taps, simulated_round, virtual_tapper


def test_leader_is_smooth_in_band_and_reproducible():
    p = leader_path(60.0, 50.0, seed=3)
    assert p.shape == (3000,) and p.min() >= 0.08 - 1e-12 and p.max() <= 0.92 + 1e-12
    spec = np.abs(np.fft.rfft(p - p.mean())) ** 2
    f = np.fft.rfftfreq(p.size, 1 / 50)
    assert spec[f > 0.55].sum() < 1e-9 * spec.sum()  # nothing faster than the band
    np.testing.assert_array_equal(p, leader_path(60.0, 50.0, seed=3))
    assert not np.array_equal(p, leader_path(60.0, 50.0, seed=4))


@pytest.mark.parametrize("delay_ms", [0, 120, 300, 500])
def test_follower_lag_is_the_set_delay(delay_ms):
    p = leader_path(60.0, 50.0, seed=1)
    f = follow(p, 50.0, delay_ms=delay_ms, gain=1.0)
    lags = np.arange(-50, 51)
    # plain reference: Pearson r at every lag by a loop (positive lag: follower after leader)
    r = [np.corrcoef(p[100 - 0 : 2900], f[100 + k : 2900 + k])[0, 1] for k in lags]
    assert lags[int(np.argmax(r))] * 20 == delay_ms


def test_follower_gain_scales_about_the_middle_and_clips():
    f = follow([0.5, 0.7, 0.9, 0.1], 50, delay_ms=0, gain=2.0)
    np.testing.assert_allclose(f, [0.5, 0.9, 1.0, 0.0])
    with pytest.raises(ParameterError, match="delay"):
        follow([0.5], 50, delay_ms=-5)
    with pytest.raises(ParameterError, match="gain"):
        follow([0.5], 50, gain=0)


def test_virtual_tapper_corrects_by_alpha_and_metronome_ignores():
    human = np.arange(1.05, 30, 0.6)  # always 50 ms late against the tapper's first tap
    metro = virtual_tapper(human, period_s=0.6, alpha=0.0, start_s=1.0, duration_s=30)
    np.testing.assert_allclose(np.diff(metro), 0.6)
    taps = virtual_tapper(human, period_s=0.6, alpha=0.5, start_s=1.0, duration_s=30)
    asyn = taps[:20] - human[:20]
    # A[n+1] = (1 - alpha) A[n]: the asynchrony halves each tap
    np.testing.assert_allclose(asyn[1:6], -0.05 * 0.5 ** np.arange(1, 6), atol=1e-12)


def test_simulate_taps_follows_the_recursion():
    a, b = simulate_taps(30, alpha_a=0.4, alpha_b=0.2, timekeeper_sd_s=0.0, period_b_s=0.62)
    asyn = a - b
    np.testing.assert_allclose(asyn[1:], (1 - 0.4 - 0.2) * asyn[:-1] - 0.0 + (0.6 - 0.62), atol=1e-12)


@pytest.mark.parametrize("kind", ROUND_KINDS)
def test_simulated_rounds_are_labelled_and_readable(kind):
    rnd = simulated_round(kind, duration_s=40.0, seed=2, pair="P07")
    assert rnd.simulated and rnd.kind == kind and abs(rnd.duration_s - 40.0) < 1e-9
    back = read_round(round_to_csv(rnd))
    assert back.simulated and back.pair == "P07"
    if kind.startswith("tap"):
        assert back.tap_times_s("a").size > 30 and back.tap_times_s("b").size > 30
    else:
        assert 0 <= back.player_a.min() and back.player_b.max() <= 1
