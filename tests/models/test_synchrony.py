"""Coupled agents measured with empathy_explorer.synchrony (simulated, illustrative model).

- Synchrony rises monotonically with the clinician's coupling (averaged over seeds), for the lagged
  measures (windowed cross-correlation peak, r at the true delay) and for lag-0 rolling correlation;
  lowering attention (a "distant" clinician, Marci & Orr 2006) lowers it again.
- A shared driver with coupling 0 is *not* flagged as coupling by the honest test: pseudo-pairs across
  dyads that went through the same outside events (same ``driver_seed``). A within-dyad surrogate test
  (circular shift) *does* flag it: shifting one person's signal destroys the timing of the shared events
  as well as of any coupling, so it cannot tell the two apart (module notes of
  empathy_explorer.models.coupled_agents). Pseudo-pairs from dyads with *different* event schedules
  mislead in the same way.

A finding worth teaching (checked below): the Marci concordance index (lag-0 correlation of 5-s slopes)
does *not* rise with coupling when the clinician follows 2 s later in this model; it falls (about -0.05
at coupling 0 to -0.7 at 0.95, 8 seeds). The follower's slope tracks the leader's *level* 2 s earlier,
and a mean-reverting level predicts a falling slope, so lag-0 slopes anti-correlate. With a delay of one
sample (0.25 s) concordance rises with coupling (-0.2 -> 0.3). Which measure is used matters.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from empathy_explorer.models import shared_driver_dyads, simulate_coupled_agents
from empathy_explorer.synchrony import concordance_index, rolling_correlation, windowed_xcorr
from empathy_explorer.synchrony.surrogate import pseudo_pairs, surrogate_test

COUPLINGS = (0.0, 0.2, 0.4, 0.6, 0.8, 0.95)
SEEDS = range(8)


def lag0_r(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a, b)[0, 1])


def mean_peak_r(a: np.ndarray, b: np.ndarray, fs: float = 4.0) -> float:
    return windowed_xcorr(a, b, fs, window_s=30.0, step_s=5.0, max_lag_s=5.0).mean_peak_r


def measures(result) -> dict[str, float]:
    x, y, fs = result.patient, result.clinician, result.fs
    wcc = windowed_xcorr(x, y, fs, window_s=30.0, step_s=5.0, max_lag_s=5.0)
    at_delay = int(np.argmin(np.abs(wcc.lags_s - result.parameters["delay_s"])))
    return {
        "mean_peak_r": wcc.mean_peak_r,
        "r_at_delay": float(np.nanmean(wcc.r[:, at_delay])),
        "rolling_r": float(np.nanmean(rolling_correlation(x, y, fs, window_s=30.0).r)),
        "concordance": concordance_index(x, y, fs).index,
    }


@pytest.fixture(scope="module")
def by_coupling():
    return {
        c: [measures(simulate_coupled_agents(coupling=c, delay_s=2.0, seed=s)) for s in SEEDS]
        for c in COUPLINGS
    }


@pytest.mark.parametrize("measure", ["mean_peak_r", "r_at_delay", "rolling_r"])
def test_synchrony_rises_monotonically_with_coupling(by_coupling, measure):
    means = np.array([np.mean([m[measure] for m in by_coupling[c]]) for c in COUPLINGS])
    assert np.all(np.diff(means) > 0), f"{measure}: {np.round(means, 3)}"
    assert means[-1] - means[0] > 0.08


def test_the_lag_profile_shows_who_leads():
    """The clinician follows 2 s later and then relaxes with τ = 5 s, so the average lag profile peaks
    at or after +2 s (the follower's own slowness adds to the delay) and is higher at +2 s than at -2 s."""
    result = simulate_coupled_agents(coupling=0.9, delay_s=2.0, seed=3)
    wcc = windowed_xcorr(
        result.patient, result.clinician, result.fs, window_s=30.0, step_s=5.0, max_lag_s=5.0
    )
    assert wcc.share_x_leads > wcc.share_y_leads  # the patient leads, the clinician follows
    profile = np.nanmean(wcc.r, axis=0)
    plus, minus = (int(np.argmin(np.abs(wcc.lags_s - lag))) for lag in (2.0, -2.0))
    assert wcc.lags_s[int(np.argmax(profile))] >= 1.75
    assert profile[plus] > profile[minus] + 0.1


def test_lag0_slope_concordance_falls_with_lagged_coupling_but_rises_without_delay(by_coupling):
    lagged = np.array([np.mean([m["concordance"] for m in by_coupling[c]]) for c in COUPLINGS])
    assert np.all(np.diff(lagged) < 0), np.round(lagged, 2)
    prompt = [
        np.mean(
            [
                concordance_index(r.patient, r.clinician, r.fs).index
                for r in (simulate_coupled_agents(coupling=c, delay_s=0.25, seed=s) for s in SEEDS)
            ]
        )
        for c in (0.0, 0.5, 0.9)
    ]
    assert np.all(np.diff(prompt) > 0), np.round(prompt, 2)


def test_lower_attention_lowers_synchrony():
    means = []
    for attention in (1.0, 0.6, 0.3, 0.0):
        runs = [measures(simulate_coupled_agents(coupling=0.9, attention=attention, seed=s)) for s in SEEDS]
        means.append(np.mean([m["mean_peak_r"] for m in runs]))
    assert np.all(np.diff(means) < 0), np.round(means, 3)


# ---------------------------------------------------------------------------------------------------
# the shared driver: which surrogate test is honest
# ---------------------------------------------------------------------------------------------------


def _pairs(dyads) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(d.patient, d.clinician) for d in dyads]


@pytest.fixture(scope="module")
def driven_uncoupled():
    return shared_driver_dyads(20, coupling=0.0, driver_strength=4.0)


@pytest.mark.parametrize("statistic", [lag0_r, mean_peak_r], ids=["lag0_r", "mean_peak_r"])
def test_shared_driver_without_coupling_is_not_flagged_by_pseudo_pairs(driven_uncoupled, statistic):
    # the confound is there: real pairs are strongly in step
    assert np.mean([lag0_r(x, y) for x, y in _pairs(driven_uncoupled)]) > 0.25
    res = pseudo_pairs(_pairs(driven_uncoupled), statistic, seed=0)
    assert res.p_value > 0.1, "pseudo-pairs with the same events must not call the shared driver coupling"
    assert abs(res.effect_size) < 1.5


def test_within_dyad_surrogates_flag_the_shared_driver_as_significant(driven_uncoupled):
    """Why a circular shift cannot control for a shared driver: it is significant with coupling 0."""
    x, y = driven_uncoupled[0].patient, driven_uncoupled[0].clinician
    res = surrogate_test(x, y, driven_uncoupled[0].fs, lag0_r, method="circular_shift", n_surrogates=199)
    assert res.p_value < 0.05


def test_pseudo_pairs_from_different_event_schedules_mislead_too():
    dyads = [
        simulate_coupled_agents(coupling=0.0, driver_strength=4.0, seed=k, driver_seed=100 + k)
        for k in range(20)
    ]
    assert pseudo_pairs(_pairs(dyads), lag0_r).p_value < 0.05


@pytest.mark.parametrize("coupling", [0.5, 0.8])
def test_pseudo_pairs_find_coupling_beyond_the_shared_driver(coupling):
    dyads = shared_driver_dyads(20, coupling=coupling, driver_strength=4.0)
    res = pseudo_pairs(_pairs(dyads), lag0_r, seed=0)
    assert res.p_value < 0.01 and res.effect_size > 2


def test_pseudo_pair_false_positive_rate_with_a_shared_driver_is_nominal():
    """100 cohorts of 20 shared-driver dyads (coupling 0, 5 min each): the number with p <= 0.05 must be a
    plausible Binomial(100, 0.05) outcome (central 99.8 %). Measured over 200 cohorts: 5.0 %."""
    n_cohorts = 100
    hits = 0
    for k in range(n_cohorts):
        dyads = shared_driver_dyads(
            20, coupling=0.0, driver_strength=4.0, first_seed=1000 * k, driver_seed=k, duration_s=300.0
        )
        hits += pseudo_pairs(_pairs(dyads), lag0_r, n_surrogates=199, seed=k).p_value <= 0.05
    low, high = stats.binom.ppf([0.001, 0.999], n_cohorts, 0.05)
    assert low <= hits <= high, f"{hits}/{n_cohorts}"
