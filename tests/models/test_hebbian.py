"""Hebbian (STDP) mirror learning: the STDP direction, the model's anchors with default parameters, a
plain-loop reference, validation and speed."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from empathy_explorer.models import hebbian_mirror_learning
from empathy_explorer.models.hebbian import stdp_drive, stdp_window
from tests.support.checks import assert_parameter_error

# --------------------------------------------------------------------------------------------------
# STDP direction on two spikes (Bi & Poo 1998: pre before post strengthens, post before pre weakens)
# --------------------------------------------------------------------------------------------------


def _spike(at_ms: int, n: int = 400) -> np.ndarray:
    train = np.zeros(n)
    train[at_ms] = 1.0
    return train


@pytest.mark.parametrize("gap_ms", [1, 5, 10, 20, 40])
def test_pre_before_post_strengthens_and_post_before_pre_weakens(gap_ms):
    pre_first = stdp_drive(_spike(100), _spike(100 + gap_ms))[0, 0]
    post_first = stdp_drive(_spike(100 + gap_ms), _spike(100))[0, 0]
    assert pre_first > 0 > post_first
    # The exact values of the window: exp(−gap/20) and −0.5·exp(−gap/20).
    assert pre_first == pytest.approx(math.exp(-gap_ms / 20.0))
    assert post_first == pytest.approx(-0.5 * math.exp(-gap_ms / 20.0))


def test_the_window_fades_within_about_a_hundred_ms():
    near = stdp_drive(_spike(100), _spike(110))[0, 0]
    far = stdp_drive(_spike(100), _spike(300))[0, 0]
    assert far < 0.01 * near


def test_stdp_drive_matches_a_double_loop_over_every_pair_of_samples():
    rng = np.random.default_rng(3)
    pre = rng.random((2, 60))
    post = rng.random((3, 60))
    expected = np.zeros((2, 3))
    for i in range(2):
        for k in range(3):
            for t in range(60):
                for u in range(60):  # u = time of the post sample, lag = u − t
                    expected[i, k] += stdp_window(float(u - t)) * pre[i, t] * post[k, u]
    np.testing.assert_allclose(stdp_drive(pre, post), expected, rtol=1e-10, atol=1e-12)


# --------------------------------------------------------------------------------------------------
# Anchors with default parameters (Keysers & Gazzola 2014)
# --------------------------------------------------------------------------------------------------


def _mean_diagonal(weights: np.ndarray, offset: int) -> float:
    return float(np.diagonal(weights, offset=offset).mean())


def test_realistic_sight_delay_learns_links_one_phase_ahead():
    result = hebbian_mirror_learning()  # sight 200 ms after the program, phases of 200 ms
    w = result.weights
    n = result.n_phases
    assert result.parameters["sight_delay_ms"] == 200.0
    assert result.link_offset == 1
    for j in range(n - 1):  # every seen phase links most strongly to the NEXT motor phase
        assert int(np.argmax(w[j])) == j + 1
        assert w[j, j + 1] > 0.4
        assert w[j, j] < 0.02  # the same phase's program ended before its sight: not strengthened
    assert _mean_diagonal(w, 1) > 2 * _mean_diagonal(w, 2)
    assert np.all(np.tril(w) < 0.02)  # nothing links a sight to an earlier phase's program
    assert np.all(result.pairing.diagonal() < 0)  # STS fires after its own program: weakened


def test_sight_delay_near_zero_learns_links_on_the_diagonal():
    result = hebbian_mirror_learning(sight_delay_ms=0.0)
    w = result.weights
    assert result.link_offset == 0
    for j in range(result.n_phases):
        assert int(np.argmax(w[j])) == j
        assert w[j, j] > 0.4
    assert _mean_diagonal(w, 0) > 2 * _mean_diagonal(w, 1)


def test_contingency_zero_learns_nothing():
    result = hebbian_mirror_learning(contingency=0.0)
    assert not result.seen.any()
    assert np.all(result.weight_history == 0.0)
    assert np.all(result.premotor_watching == 0.0)
    assert result.link_offset is None and result.pm_lead_ms is None and result.mirror_ratio == 0.0


def test_watching_after_learning_premotor_leads_the_sight_by_about_one_phase():
    result = hebbian_mirror_learning()
    assert 150.0 <= result.pm_lead_ms <= 250.0
    k = result.shown_phase
    t = result.times_ms
    # The program of phase k peaks while the sight of phase k-1 is on screen, before phase k is seen.
    assert t[np.argmax(result.premotor_watching[k])] < t[np.argmax(result.sts_watching[k])] - 100
    same_time = hebbian_mirror_learning(sight_delay_ms=0.0)
    assert abs(same_time.pm_lead_ms) < 50.0  # no delay while learning: it mirrors, it does not predict


def test_the_learned_offset_follows_the_sight_delay():
    offsets = {d: hebbian_mirror_learning(sight_delay_ms=d).link_offset for d in (-200, 0, 100, 200, 400)}
    assert offsets == {-200: -1, 0: 0, 100: 1, 200: 1, 400: 2}


def test_learning_grows_with_contingency_on_average():
    means = [
        np.mean([hebbian_mirror_learning(contingency=p, seed=s).link_history(1)[-1] for s in range(5)])
        for p in (0.0, 0.1, 0.3, 0.6, 1.0)
    ]
    assert means[0] == 0.0
    assert all(b > a for a, b in itertools.pairwise(means))


# --------------------------------------------------------------------------------------------------
# A plain-loop reference of the whole model (rate units, pairing, trial rule, watching)
# --------------------------------------------------------------------------------------------------


def _reference(
    *,
    contingency=1.0,
    sight_delay_ms=200.0,
    n_phases=3,
    phase_ms=100.0,
    n_trials=30,
    seed=0,
    learning_rate=0.03,
):
    """Everything with explicit loops over time, phases and lags, on the model's own grid."""
    lr, decay, tau, win_tau, dep = learning_rate, 0.03, 20.0, 20.0, 0.5
    a = math.exp(-1.0 / tau)
    start = min(0.0, sight_delay_ms) - 100.0
    stop = n_phases * phase_ms + max(0.0, sight_delay_ms) + 10 * max(tau, win_tau)
    times = np.arange(start, stop, 1.0)

    def unit(onset):
        out, r = [], 0.0
        for t in times:
            drive = 1.0 if onset <= t < onset + phase_ms else 0.0
            r = a * r + (1 - a) * drive
            out.append(r)
        return np.array(out)

    pm = [unit(k * phase_ms) for k in range(n_phases)]
    sts = [unit(j * phase_ms + sight_delay_ms) for j in range(n_phases)]
    lags = np.arange(-(times.size - 1), times.size)  # every lag the grid holds
    kernel = stdp_window(lags.astype(float), tau_plus_ms=win_tau, tau_minus_ms=win_tau, depression=dep)

    def drive(pre, post):
        total = 0.0
        for lag, k in zip(lags, kernel, strict=True):
            if lag >= 0:
                total += k * float(np.dot(pre[: pre.size - lag], post[lag:]))
            else:
                total += k * float(np.dot(pre[-lag:], post[: post.size + lag]))
        return total

    ref = drive(pm[0], pm[0])
    pairing = np.array([[drive(sts[j], pm[k]) / ref for k in range(n_phases)] for j in range(n_phases)])
    seen = np.random.default_rng(seed).random(n_trials) < contingency
    w = np.zeros((n_phases, n_phases))
    for was_seen in seen:
        for j in range(n_phases):
            for k in range(n_phases):
                g = pairing[j, k]
                if was_seen:
                    w[j, k] += lr * (max(g, 0.0) * (1 - w[j, k]) - max(-g, 0.0) * w[j, k])
                w[j, k] = min(max((1 - decay) * w[j, k], 0.0), 1.0)
    return pairing, w


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"sight_delay_ms": 0.0},
        {"sight_delay_ms": -60.0, "contingency": 0.5, "seed": 2},
        {"sight_delay_ms": 40.0, "learning_rate": 1.0},  # η·pairing > 1: the bounds must clip
    ],
)
def test_model_matches_the_plain_loop_reference(kwargs):
    base = {"n_phases": 3, "phase_ms": 100.0, "n_trials": 30}
    pairing, weights = _reference(**{**base, **kwargs})
    result = hebbian_mirror_learning(**{**base, **kwargs})
    np.testing.assert_allclose(result.pairing, pairing, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(result.weights, weights, rtol=1e-6, atol=1e-9)
    assert np.all((result.weight_history >= 0.0) & (result.weight_history <= 1.0))


# --------------------------------------------------------------------------------------------------
# Frames, reproducibility, validation, speed
# --------------------------------------------------------------------------------------------------


def test_random_trials_are_reproducible_from_the_seed():
    a = hebbian_mirror_learning(contingency=0.4, seed=7)
    b = hebbian_mirror_learning(contingency=0.4, seed=7)
    c = hebbian_mirror_learning(contingency=0.4, seed=8)
    np.testing.assert_array_equal(a.weight_history, b.weight_history)
    assert not np.array_equal(a.seen, c.seen)
    assert 0.25 < a.seen.mean() < 0.55


def test_frames_are_tidy_and_labelled_simulated():
    result = hebbian_mirror_learning(n_trials=10)
    frame = result.to_frame()
    assert list(frame.columns) == ["seen_phase", "motor_phase", "weight", "simulated"]
    assert len(frame) == 16 and frame["simulated"].all()
    row = frame[(frame["seen_phase"] == 1) & (frame["motor_phase"] == 2)]
    assert row["weight"].item() == result.weights[0, 1]
    course = result.time_course_frame()
    assert set(course["area"]) == {"premotor", "STS"} and course["simulated"].all()
    assert len(course) == 2 * 4 * result.times_ms.size
    assert result.link_history(1).shape == (11,)
    with pytest.raises(ValueError):
        result.link_history(4)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"contingency": 1.2}, ["contingency", "between 0 and 1"]),
        ({"contingency": -0.1}, ["contingency", "between 0 and 1"]),
        ({"n_trials": 0}, ["n_trials", "at least 1"]),
        ({"n_trials": 2.5}, ["n_trials", "whole number"]),
        ({"n_phases": 1}, ["n_phases", "at least 2"]),
        ({"phase_ms": 10.0}, ["phase_ms", "at least 50"]),
        ({"tau_ms": -20.0}, ["tau_ms", "at least 1"]),
        ({"learning_rate": 2.0}, ["learning_rate", "at most 1"]),
        ({"decay": -0.1}, ["decay", "cannot be negative"]),
        ({"depression": 1.5}, ["depression", "at most 1"]),
        ({"sight_delay_ms": 5000.0}, ["sight_delay_ms", "at most 1000"]),
        ({"seed": -1}, ["seed", "at least 0"]),
        ({"contingency": None}, ["contingency", "number"]),
    ],
)
def test_invalid_parameters_raise_clear_parameter_error(kwargs, words):
    assert_parameter_error(hebbian_mirror_learning, kwargs, words)
