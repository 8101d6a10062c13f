"""Coupled agents: loop reference, coupling/attention/driver behaviour, validation and speed.

Synchrony-module tests (monotonic synchrony with coupling, the honest shared-driver surrogate test) are in
the second half and use ``empathy_explorer.synchrony``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from empathy_explorer.errors import ParameterError
from empathy_explorer.models import coupled_agents as ca_module
from empathy_explorer.models import shared_driver_dyads, simulate_coupled_agents
from empathy_explorer.models.coupled_agents import _driver
from tests.support.checks import assert_parameter_error, median_s


def _reference(
    *,
    coupling=0.5,
    patient_coupling=0.0,
    attention=1.0,
    delay_s=2.0,
    tau_s=5.0,
    noise=1.0,
    driver_strength=0.0,
    driver_rate_per_min=2.0,
    driver_event_s=5.0,
    duration_s=600.0,
    fs=4.0,
    seed=0,
    driver_seed=0,
):
    """The two difference equations, sample by sample, with the same random numbers."""
    n = round(duration_s * fs)
    lag = max(1, round(delay_s * fs))
    burn = math.ceil(10 * tau_s * fs) + 2 * lag
    total = burn + n
    a = math.exp(-1 / (fs * tau_s))
    eps = np.random.default_rng(seed).standard_normal((2, total))
    driver, _ = _driver(driver_seed, total, fs, driver_rate_per_min, driver_event_s)
    k_c, k_p = coupling * attention, patient_coupling * attention
    s = noise * math.sqrt(1 - a * a)
    x = [0.0] * total
    y = [0.0] * total
    for i in range(total):
        xp = x[i - 1] if i else 0.0
        yp = y[i - 1] if i else 0.0
        y_lag = y[i - lag] if i >= lag else 0.0
        x_lag = x[i - lag] if i >= lag else 0.0
        x[i] = a * xp + (1 - a) * (k_p * y_lag + driver_strength * driver[i]) + s * eps[0, i]
        y[i] = a * yp + (1 - a) * (k_c * x_lag + driver_strength * driver[i]) + s * eps[1, i]
    return np.array(x[burn:]), np.array(y[burn:])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"duration_s": 120.0},
        {"coupling": 0.9, "patient_coupling": 0.7, "delay_s": 0.0, "duration_s": 90.0},  # one-sample lag
        {
            "coupling": 0.8,
            "patient_coupling": 0.5,
            "delay_s": 1.0,
            "driver_strength": 3.0,
            "duration_s": 100.0,
        },
        {"coupling": 0.9, "patient_coupling": 0.9, "delay_s": 10.0, "fs": 8.0, "duration_s": 120.0},  # blocks
        {"coupling": 0.6, "attention": 0.3, "delay_s": 7.0, "fs": 10.0, "duration_s": 90.0, "tau_s": 2.0},
    ],
)
def test_matches_sample_by_sample_reference(kwargs):
    result = simulate_coupled_agents(**kwargs)
    x, y = _reference(**kwargs)
    scale = max(np.abs(x).max(), 1.0)
    np.testing.assert_allclose(result.patient, x, rtol=0, atol=1e-9 * scale)
    np.testing.assert_allclose(result.clinician, y, rtol=0, atol=1e-9 * scale)


def test_block_and_closed_form_solutions_agree():
    kwargs = {"coupling": 0.9, "patient_coupling": 0.8, "delay_s": 6.0, "fs": 10.0, "duration_s": 200.0}
    lag = 60
    assert lag > ca_module._CLOSED_FORM_MAX_LAG
    block = simulate_coupled_agents(**kwargs)
    old = ca_module._CLOSED_FORM_MAX_LAG
    try:
        ca_module._CLOSED_FORM_MAX_LAG = 1000
        closed = simulate_coupled_agents(**kwargs)
    finally:
        ca_module._CLOSED_FORM_MAX_LAG = old
    np.testing.assert_allclose(block.patient, closed.patient, atol=1e-9)
    np.testing.assert_allclose(block.clinician, closed.clinician, atol=1e-9)


def test_uncoupled_undriven_signals_are_independent_with_sd_noise():
    rs = []
    for seed in range(5):
        result = simulate_coupled_agents(coupling=0.0, noise=2.0, seed=seed, duration_s=1200.0)
        assert result.patient.std() == pytest.approx(2.0, rel=0.15)
        assert result.clinician.std() == pytest.approx(2.0, rel=0.15)
        rs.append(result.lag0_correlation)
    assert abs(np.mean(rs)) < 0.05


def _xcorr_peak_lag_s(x, y, fs, max_lag):
    """Lag (s) at which corr(x[t], y[t + lag]) peaks: positive means y follows x."""
    x = (x - x.mean()) / x.std()
    y = (y - y.mean()) / y.std()
    lags = np.arange(-max_lag, max_lag + 1)
    r = [np.mean(x[max(0, -k) : x.size - max(0, k)] * y[max(0, k) : y.size - max(0, -k)]) for k in lags]
    return lags[int(np.argmax(r))] / fs, max(r)


def test_clinician_follows_the_patient_after_the_delay():
    result = simulate_coupled_agents(coupling=0.9, delay_s=3.0, tau_s=2.0, duration_s=1200.0, seed=3)
    lag_s, _ = _xcorr_peak_lag_s(result.patient, result.clinician, result.fs, max_lag=40)
    assert 3.0 <= lag_s <= 4.5  # the delay, plus the follower's own integration time


def test_attention_turns_coupling_down():
    peaks = []
    for attention in (1.0, 0.5, 0.1):
        values = [
            _xcorr_peak_lag_s(r.patient, r.clinician, r.fs, 40)[1]
            for r in (simulate_coupled_agents(coupling=0.9, attention=attention, seed=s) for s in range(4))
        ]
        peaks.append(np.mean(values))
    assert peaks[0] > peaks[1] > peaks[2]
    distant = simulate_coupled_agents(coupling=0.9, attention=0.1)
    assert distant.effective_coupling_clinician == pytest.approx(0.09)


def test_shared_driver_creates_synchrony_without_coupling():
    # Boucsein 2012: common events trigger both people's responses; synchrony with zero coupling.
    driven = [
        simulate_coupled_agents(coupling=0.0, driver_strength=4.0, seed=s).lag0_correlation for s in range(4)
    ]
    alone = [
        simulate_coupled_agents(coupling=0.0, driver_strength=0.0, seed=s).lag0_correlation for s in range(4)
    ]
    assert np.mean(driven) > 0.3 > 0.1 > abs(np.mean(alone))


def test_driver_schedule_is_shared_across_seeds_and_events_are_reported():
    a = simulate_coupled_agents(driver_strength=2.0, seed=1, driver_seed=5)
    b = simulate_coupled_agents(driver_strength=2.0, seed=2, driver_seed=5)
    c = simulate_coupled_agents(driver_strength=2.0, seed=1, driver_seed=6)
    np.testing.assert_array_equal(a.driver, b.driver)
    assert not np.array_equal(a.patient, b.patient)
    assert not np.array_equal(a.driver, c.driver)
    # every reported event start has the driver on
    idx = np.round(a.driver_events_s * a.fs).astype(int)
    assert idx.size > 5 and np.all(a.driver[idx] == 1.0)
    # about driver_rate_per_min events per minute
    assert 0.5 * 2.0 * 10 < a.driver_events_s.size < 2.0 * 2.0 * 10


def test_shared_driver_dyads_share_the_driver_and_differ_in_noise():
    dyads = shared_driver_dyads(4, coupling=0.0, driver_strength=3.0, first_seed=10)
    assert [d.parameters["seed"] for d in dyads] == [10, 11, 12, 13]
    for d in dyads[1:]:
        np.testing.assert_array_equal(d.driver, dyads[0].driver)
        assert not np.array_equal(d.patient, dyads[0].patient)
    with pytest.raises(ParameterError, match="first_seed"):
        shared_driver_dyads(3, seed=1)
    with pytest.raises(ParameterError, match="Unknown parameter"):
        shared_driver_dyads(3, coupleing=0.5)
    with pytest.raises(ParameterError, match="n_dyads"):
        shared_driver_dyads(1)


def test_frame_is_tidy_and_labelled_simulated():
    result = simulate_coupled_agents(duration_s=60.0)
    frame = result.to_frame()
    assert list(frame.columns) == ["time_s", "series", "value", "simulated"]
    assert len(frame) == 3 * 240 and frame["simulated"].all() and result.simulated
    np.testing.assert_array_equal(frame[frame["series"] == "clinician"]["value"].to_numpy(), result.clinician)
    assert result.times_s[1] == pytest.approx(0.25)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"coupling": 1.0}, ["coupling", "at most 0.95"]),
        ({"coupling": -0.1}, ["coupling", "cannot be negative"]),
        ({"attention": 1.5}, ["attention", "between 0 and 1"]),
        ({"tau_s": -5.0}, ["tau_s", "at least 0.5"]),
        ({"noise": 0.0}, ["noise", "greater than 0"]),
        ({"delay_s": -1.0}, ["delay_s", "cannot be negative"]),
        ({"fs": 0.0}, ["fs", "at least 1"]),
        ({"duration_s": 10.0}, ["duration_s", "at least 60"]),
        ({"driver_strength": float("nan")}, ["driver_strength", "finite"]),
        ({"seed": 1.5}, ["seed", "whole number"]),
    ],
)
def test_invalid_parameters_raise_clear_parameter_error(kwargs, words):
    assert_parameter_error(simulate_coupled_agents, kwargs, words)


def test_the_slowest_settings_the_app_allows_stay_under_20_ms():
    """16 Hz, 20 minutes, long delay (the ordinary slider cases are in test_every_model.py)."""
    slowest = median_s(
        lambda: simulate_coupled_agents(
            fs=16.0, duration_s=1200.0, delay_s=3.0, coupling=0.9, patient_coupling=0.9
        ),
        runs=5,
    )
    assert slowest < 0.020
