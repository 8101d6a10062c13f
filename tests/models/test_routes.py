"""Fast and slow routes: published timings, a loop reference, validation and speed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from empathy_explorer.models import fast_slow_routes
from tests.support.checks import assert_parameter_error


def _reference(
    *,
    expression="happy",
    face_duration_ms=500.0,
    masked=False,
    trace_ms=300.0,
    fast_delay_ms=250.0,
    tau_fast_ms=150.0,
    slow_delay_ms=350.0,
    tau_slow_ms=300.0,
    awareness_threshold=0.3,
    emg_gain_uv=1.0,
    emg_criterion_uv=0.4,
    window_ms=1500.0,
):
    """Plain per-millisecond loop: the same exponential-Euler equations, written out."""
    valence = {"happy": 1.0, "angry": -1.0, "neutral": 0.0}[expression]
    n = math.ceil(window_ms)
    face, visible = [], []
    for i in range(n):
        t = float(i)
        if t < face_duration_ms:
            value, seen = 1.0, 1.0
        else:
            value = math.exp(-(t - face_duration_ms) / trace_ms)
            seen = 0.0 if masked else value
        face.append(value)
        visible.append(seen)
    a_f, a_s = math.exp(-1.0 / tau_fast_ms), math.exp(-1.0 / tau_slow_ms)
    d_f, d_s = round(fast_delay_ms), round(slow_delay_ms)
    fast, slow = [], []
    r_f = r_s = 0.0
    onset = awareness = None
    for i in range(n):
        u_f = face[i - d_f] if i - d_f >= 0 else 0.0
        u_s = visible[i - d_s] if i - d_s >= 0 else 0.0
        r_f = a_f * r_f + (1 - a_f) * u_f
        r_s = a_s * r_s + (1 - a_s) * u_s
        fast.append(r_f)
        slow.append(r_s)
        if onset is None and valence != 0 and emg_gain_uv * r_f >= emg_criterion_uv:
            onset = float(i)
        if awareness is None and r_s >= awareness_threshold:
            awareness = float(i)
    return np.array(fast), np.array(slow), valence, onset, awareness


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"face_duration_ms": 30.0, "masked": True},
        {"face_duration_ms": 30.0},
        {"expression": "angry", "tau_fast_ms": 80.0, "fast_delay_ms": 0.0},
        {"expression": "neutral", "slow_delay_ms": 600.0, "window_ms": 700.0},
    ],
)
def test_matches_plain_loop_reference(kwargs):
    result = fast_slow_routes(**kwargs)
    fast, slow, valence, onset, awareness = _reference(**kwargs)
    np.testing.assert_allclose(result.fast_route, fast, rtol=0, atol=1e-12)
    np.testing.assert_allclose(result.slow_route, slow, rtol=0, atol=1e-12)
    gain = kwargs.get("emg_gain_uv", 1.0)
    np.testing.assert_allclose(result.emg_difference_uv, valence * gain * fast, atol=1e-12)
    np.testing.assert_allclose(result.zygomaticus_uv, -result.corrugator_uv, atol=1e-15)
    assert result.emg_onset_ms == onset
    assert result.awareness_time_ms == awareness


def test_default_emg_diverges_300_to_400_ms_after_the_face():
    # Dimberg & Thunberg (1998): zygomaticus vs corrugator differ after 300–400 ms of exposure.
    result = fast_slow_routes()
    assert 300.0 <= result.emg_onset_ms <= 400.0
    before = result.times_ms < 300.0
    assert np.all(result.emg_difference_uv[before] < result.parameters["emg_criterion_uv"])
    assert result.reached_awareness
    assert result.awareness_time_ms > result.emg_onset_ms  # the muscles move before awareness


def test_masked_30_ms_face_moves_the_emg_without_awareness():
    # Dimberg, Thunberg & Elmehed (2000): 30 ms faces masked by neutral faces still gave congruent EMG.
    masked = fast_slow_routes(face_duration_ms=30.0, masked=True)
    assert masked.emg_onset_ms is not None and 300.0 <= masked.emg_onset_ms <= 400.0
    assert not masked.reached_awareness and masked.awareness_time_ms is None
    assert masked.peak_slow < masked.parameters["awareness_threshold"]
    unmasked_brief = fast_slow_routes(face_duration_ms=30.0, masked=False)
    assert unmasked_brief.reached_awareness
    unmasked_long = fast_slow_routes(face_duration_ms=500.0, masked=False)
    assert unmasked_long.reached_awareness


def test_angry_face_gives_the_mirror_image_and_neutral_gives_none():
    happy, angry, neutral = (fast_slow_routes(expression=e) for e in ("happy", "angry", "neutral"))
    np.testing.assert_allclose(angry.emg_difference_uv, -happy.emg_difference_uv)
    assert angry.corrugator_uv.max() > 0 and happy.zygomaticus_uv.max() > 0
    assert angry.emg_onset_ms == happy.emg_onset_ms
    assert neutral.emg_onset_ms is None and np.all(neutral.emg_difference_uv == 0)


def test_mask_only_affects_the_slow_route():
    plain = fast_slow_routes(face_duration_ms=30.0)
    masked = fast_slow_routes(face_duration_ms=30.0, masked=True)
    np.testing.assert_array_equal(plain.fast_route, masked.fast_route)
    assert masked.peak_slow < plain.peak_slow


def test_slower_cortex_or_higher_threshold_delays_or_removes_awareness():
    base = fast_slow_routes()
    slower = fast_slow_routes(tau_slow_ms=600.0)
    assert slower.awareness_time_ms > base.awareness_time_ms
    assert not fast_slow_routes(awareness_threshold=0.9, face_duration_ms=100.0).reached_awareness
    later = fast_slow_routes(fast_delay_ms=400.0)
    assert later.emg_onset_ms == pytest.approx(base.emg_onset_ms + 150.0, abs=1.0)


def test_to_frame_is_tidy_and_labelled_simulated():
    result = fast_slow_routes(window_ms=200.0)
    frame = result.to_frame()
    assert list(frame.columns) == ["time_ms", "series", "value", "unit", "simulated"]
    assert len(frame) == 7 * result.times_ms.size
    assert frame["simulated"].all() and result.simulated
    emg = frame[frame["series"] == "zygomaticus − corrugator"]
    np.testing.assert_array_equal(emg["value"].to_numpy(), result.emg_difference_uv)
    assert set(frame.loc[frame["series"] == "corrugator", "unit"]) == {"µV"}


def test_result_is_frozen():
    result = fast_slow_routes()
    with pytest.raises(AttributeError):
        result.emg_onset_ms = 1.0
    with pytest.raises(ValueError):
        result.fast_route[0] = 1.0


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"tau_fast_ms": -5.0}, ["tau_fast_ms", "greater than 0", "-5"]),
        ({"tau_slow_ms": 0.0}, ["tau_slow_ms", "greater than 0"]),
        ({"fast_delay_ms": -1.0}, ["fast_delay_ms", "cannot be negative"]),
        ({"face_duration_ms": 0}, ["face_duration_ms", "greater than 0"]),
        ({"awareness_threshold": 1.5}, ["awareness_threshold", "at most 1"]),
        ({"awareness_threshold": float("nan")}, ["awareness_threshold", "finite"]),
        ({"expression": "sad"}, ["expression", "'happy'"]),
        ({"masked": "yes"}, ["masked", "True or False"]),
        ({"emg_criterion_uv": 2.0}, ["emg_criterion_uv", "smaller than emg_gain_uv"]),
        ({"window_ms": 50.0}, ["window_ms", "at least 100"]),
        ({"trace_ms": "300"}, ["trace_ms", "must be a number"]),
    ],
)
def test_invalid_parameters_raise_clear_parameter_error(kwargs, words):
    assert_parameter_error(fast_slow_routes, kwargs, words)
