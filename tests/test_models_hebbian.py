"""Hebbian mirror learning: published anchors, a loop reference, validation and speed."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from empathy_explorer.models import hebbian as hebbian_module
from empathy_explorer.models import hebbian_mirror_learning
from tests.support.checks import assert_doctests_pass, assert_parameter_error, median_s


def _reference(
    *,
    contingency=1.0,
    sight_delay_ms=200.0,
    plasticity_delay_ms=200.0,
    learning_rate=0.05,
    decay=0.02,
    n_trials=200,
    action_ms=100.0,
    tau_ms=20.0,
    seed=0,
):
    """Plain loops: simulate one doing-and-seeing trial ms by ms on a long grid, integrate s(t)·m(t − d),
    then apply the soft-bounded weight rule trial by trial."""
    a = math.exp(-1.0 / tau_ms)
    t0, t1 = -3000, 4000

    def unit(onset):
        rates, r = {}, 0.0
        for t in range(t0, t1):
            drive = 1.0 if onset <= t < onset + action_ms else 0.0
            r = a * r + (1 - a) * drive
            rates[t] = r
        return rates

    m = unit(0)
    s = unit(round(sight_delay_ms))
    s_matched = unit(round(plasticity_delay_ms))
    d = round(plasticity_delay_ms)
    overlap = sum(s[t] * m.get(t - d, 0.0) for t in range(t0, t1))
    best = sum(s_matched[t] * m.get(t - d, 0.0) for t in range(t0, t1))
    efficacy = overlap / best
    seen = np.random.default_rng(seed).random(n_trials) < contingency
    w, weights = 0.0, [0.0]
    for k in range(n_trials):
        dw = learning_rate * efficacy * (1 - w) if seen[k] else 0.0
        w = w + dw - decay * w
        weights.append(w)
    # Premotor response to watching alone: rate unit driven by w·STS, peak over the trial.
    r_sts = r_pm = peak = 0.0
    for t in range(0, 2000):
        drive = 1.0 if t < action_ms else 0.0
        r_sts = a * r_sts + (1 - a) * drive
        r_pm = a * r_pm + (1 - a) * w * r_sts
        peak = max(peak, r_pm)
    action_peak = max(m.values())
    return efficacy, np.array(weights), peak, action_peak


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"contingency": 0.5, "seed": 3},
        {"sight_delay_ms": 120.0, "n_trials": 50},
        {"sight_delay_ms": 260.0, "tau_ms": 35.0, "action_ms": 60.0, "learning_rate": 0.3, "decay": 0.1},
        {"sight_delay_ms": -200.0},
    ],
)
def test_matches_plain_loop_reference(kwargs):
    result = hebbian_mirror_learning(**kwargs)
    efficacy, weights, peak, action_peak = _reference(**kwargs)
    assert result.pairing_efficacy == pytest.approx(efficacy, abs=1e-9)
    np.testing.assert_allclose(result.weight_history, weights, rtol=0, atol=1e-9)
    assert result.mirror_response_after == pytest.approx(peak, abs=1e-9)
    assert result.action_response == pytest.approx(action_peak, abs=1e-9)
    assert result.mirror_ratio == pytest.approx(peak / action_peak, abs=1e-9)


def test_contingency_one_gives_a_strong_mirror_response():
    # Keysers & Gazzola (2014): reliable doing-then-seeing makes STS drive premotor cortex.
    result = hebbian_mirror_learning(contingency=1.0)
    assert result.mirror_response_before == 0.0
    assert result.mirror_response_after >= 0.5 * result.action_response
    assert result.mirror_ratio >= 0.5
    assert np.all(np.diff(result.weight_history) >= 0)  # always seen, perfectly timed: only grows


def test_no_contingency_gives_almost_no_mirror_response():
    result = hebbian_mirror_learning(contingency=0.0)
    assert result.mirror_ratio < 0.10
    assert not result.seen.any()


def test_reversed_timing_gives_almost_no_mirror_response():
    # Sight before action: STS activity never follows PM activity by the plasticity delay.
    result = hebbian_mirror_learning(sight_delay_ms=-200.0)
    assert result.mirror_ratio < 0.10
    assert result.pairing_efficacy < 0.01


def test_mirror_response_grows_with_contingency_on_average():
    ratios = [
        np.mean([hebbian_mirror_learning(contingency=p, seed=s).mirror_ratio for s in range(5)])
        for p in (0.0, 0.1, 0.3, 0.6, 1.0)
    ]
    assert all(b > a for a, b in itertools.pairwise(ratios))


def test_timing_window_peaks_at_the_plasticity_delay():
    delays = np.arange(-300, 601, 50)
    efficacy = [hebbian_mirror_learning(sight_delay_ms=float(d), n_trials=1).pairing_efficacy for d in delays]
    assert delays[int(np.argmax(efficacy))] == 200
    assert max(efficacy) == pytest.approx(1.0)
    shifted = hebbian_mirror_learning(sight_delay_ms=100.0, plasticity_delay_ms=100.0, n_trials=1)
    assert shifted.pairing_efficacy == pytest.approx(1.0)


def test_random_trials_are_reproducible_from_the_seed():
    a = hebbian_mirror_learning(contingency=0.4, seed=7)
    b = hebbian_mirror_learning(contingency=0.4, seed=7)
    c = hebbian_mirror_learning(contingency=0.4, seed=8)
    np.testing.assert_array_equal(a.weight_history, b.weight_history)
    assert not np.array_equal(a.seen, c.seen)
    assert 0.25 < a.seen.mean() < 0.55


def test_time_courses_show_premotor_before_sts_and_watching_after_training():
    result = hebbian_mirror_learning()
    t_pm = result.times_ms[np.argmax(result.premotor_doing)]
    t_sts = result.times_ms[np.argmax(result.sts_doing)]
    assert t_sts - t_pm == pytest.approx(200.0)
    assert np.all(result.premotor_watching_before == 0)
    assert result.premotor_watching_after.max() == pytest.approx(result.mirror_response_after)


def test_frames_are_tidy_and_labelled_simulated():
    result = hebbian_mirror_learning(n_trials=10)
    frame = result.to_frame()
    assert list(frame.columns) == ["trial", "quantity", "value", "seen", "simulated"]
    assert len(frame) == 2 * 11 and frame["simulated"].all()
    weights = frame[frame["quantity"] == "weight"]["value"].to_numpy()
    np.testing.assert_array_equal(weights, result.weight_history)
    course = result.time_course_frame()
    assert set(course["area"]) == {"premotor", "STS"}
    assert len(course) == 6 * result.times_ms.size


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"contingency": 1.2}, ["contingency", "between 0 and 1"]),
        ({"contingency": -0.1}, ["contingency", "between 0 and 1"]),
        ({"n_trials": 0}, ["n_trials", "at least 1"]),
        ({"n_trials": 2.5}, ["n_trials", "whole number"]),
        ({"tau_ms": -20.0}, ["tau_ms", "at least 1"]),
        ({"learning_rate": 2.0}, ["learning_rate", "at most 1"]),
        ({"decay": -0.1}, ["decay", "cannot be negative"]),
        ({"sight_delay_ms": 5000.0}, ["sight_delay_ms", "at most 1000"]),
        ({"seed": -1}, ["seed", "at least 0"]),
        ({"contingency": None}, ["contingency", "number"]),
    ],
)
def test_invalid_parameters_raise_clear_parameter_error(kwargs, words):
    assert_parameter_error(hebbian_mirror_learning, kwargs, words)


def test_docstring_examples_run():
    assert_doctests_pass(hebbian_module)


def test_a_slider_change_is_answered_in_under_20_ms():
    # Median of 20 runs, with a 4x margin under the 20 ms budget for a noisy 2-core machine.
    assert median_s(hebbian_mirror_learning) < 0.020 / 4
    assert median_s(lambda: hebbian_mirror_learning(contingency=0.37, seed=4)) < 0.020 / 4
