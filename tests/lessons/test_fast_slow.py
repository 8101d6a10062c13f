"""lessons.fast_slow: notebook 03's demos follow their controls as the models predict; quiz feedback
explains."""

from __future__ import annotations

import numpy as np
import pytest

from empathy_explorer.errors import ParameterError
from empathy_explorer.lessons import fast_slow
from empathy_explorer.models import fast_slow_routes, infer_intention
from tests.lessons.demo_checks import (
    assert_answers_quickly,
    assert_every_control_end_gives_a_finite_chart,
    assert_quiz_feedback_explains,
    assert_rows_within_limit,
)

DEMOS = (
    fast_slow.emg_timing_demo,
    fast_slow.masked_face_demo,
    fast_slow.intention_demo,
    fast_slow.difficult_patient_demo,
)


def _series(frame, name, value_column, column="series"):
    return frame.loc[frame[column] == name, value_column].to_numpy()


def test_default_emg_onset_is_in_the_published_window_and_the_marker_sits_there():
    demo = fast_slow.emg_timing_demo()
    onset = demo.panel.datasets["onset"]["time_ms"].tolist()
    assert len(onset) == 1 and 300 <= onset[0] <= 400  # Dimberg & Thunberg 1998
    assert "inside the 300–400 ms" in demo.takeaway.value and "simulated" in demo.takeaway.value
    emg = demo.panel.datasets["emg"]
    diff = _series(emg, "zygomaticus − corrugator", "emg_uv")
    assert diff.max() > 0 and diff.min() >= 0  # happy face: smile muscle up, frown muscle down


def test_expression_control_flips_the_muscles_and_neutral_removes_the_onset():
    demo = fast_slow.emg_timing_demo()
    demo.controls["expression"].value = "angry"
    emg = demo.panel.datasets["emg"]
    assert _series(emg, "zygomaticus − corrugator", "emg_uv").min() < 0
    assert _series(emg, "corrugator (frown muscle)", "emg_uv").max() > 0
    demo.controls["expression"].value = "neutral"
    assert demo.panel.datasets["onset"].empty
    np.testing.assert_array_equal(demo.panel.datasets["emg"]["emg_uv"], 0.0)
    assert "no differential EMG response" in demo.takeaway.value


def test_a_slower_fast_route_moves_the_onset_later_as_the_model_says():
    demo = fast_slow.emg_timing_demo()
    before = demo.output.extra["emg_onset_ms"]
    demo.controls["fast_delay_ms"].value = 400
    after = demo.panel.datasets["onset"]["time_ms"].iloc[0]
    assert after == fast_slow_routes(fast_delay_ms=400).emg_onset_ms
    assert after == pytest.approx(before + 150)  # a pure delay shifts the onset by the same amount
    assert "outside the 300–400 ms" in demo.takeaway.value
    emg = demo.panel.datasets["emg"]
    np.testing.assert_allclose(
        _series(emg, "zygomaticus (smile muscle)", "emg_uv"),
        fast_slow_routes(fast_delay_ms=400).zygomaticus_uv[::5],
    )


def test_masked_face_moves_the_emg_without_awareness_and_unmasking_brings_awareness():
    demo = fast_slow.masked_face_demo()
    assert demo.output.extra["emg_onset_ms"] is not None
    assert demo.output.extra["reached_awareness"] is False  # Dimberg, Thunberg & Elmehed 2000
    r = demo.panel.datasets["routes"]
    slow = _series(r, fast_slow.ROUTE_SERIES[1], "activation")
    threshold = _series(r, fast_slow.ROUTE_SERIES[2], "activation")
    assert slow.max() < threshold[0] == pytest.approx(0.3)
    assert len(demo.panel.datasets["events"]) == 1  # only the EMG onset
    assert (
        "below the model&#x27;s assumed awareness threshold" in demo.takeaway.value
    )  # labelled an assumption
    demo.controls["masked"].value = False
    r = demo.panel.datasets["routes"]
    assert _series(r, fast_slow.ROUTE_SERIES[1], "activation").max() > 0.3
    events = demo.panel.datasets["events"]["time_ms"].tolist()
    expected = fast_slow_routes(face_duration_ms=30, masked=False)
    assert events == [expected.emg_onset_ms, expected.awareness_time_ms]
    assert "crosses the model&#x27;s awareness threshold at" in demo.takeaway.value
    assert "not a measured time" in demo.takeaway.value


def test_threshold_slider_moves_the_dashed_line_and_can_let_a_masked_face_through():
    demo = fast_slow.masked_face_demo()
    peak = demo.output.extra["peak_slow"]
    demo.controls["awareness_threshold"].value = 0.05
    threshold = _series(demo.panel.datasets["routes"], fast_slow.ROUTE_SERIES[2], "activation")
    np.testing.assert_allclose(threshold, 0.05)
    assert peak > 0.05 and demo.output.extra["reached_awareness"] is True
    demo.controls["face_duration_ms"].value = 500
    demo.controls["awareness_threshold"].value = 0.3
    assert demo.output.extra["reached_awareness"] is True  # a long face is seen even when masked


def test_context_slider_flips_the_reading_of_the_same_movement():
    demo = fast_slow.intention_demo()
    marker = demo.panel.datasets["marker"]
    assert marker["probability"].tolist() == pytest.approx([0.9, 0.5])
    assert "read as 'to cure'" in demo.output.takeaway
    demo.controls["prior_cure"].value = 0.1
    marker = demo.panel.datasets["marker"]
    assert marker["probability"].tolist() == pytest.approx([0.1, 0.5])
    assert "read as 'to hurt'" in demo.output.takeaway
    curves = demo.panel.datasets["curves"]
    np.testing.assert_allclose(
        _series(curves, fast_slow.INTENTION_SERIES[0], "probability"),
        infer_intention(prior_cure=0.1).posterior_curve,
    )


def test_clear_movement_seen_well_overrules_the_context():
    demo = fast_slow.intention_demo()  # operating theatre, P(to cure) = 0.9 beforehand
    demo.controls["kinematic_noise"].value = 0.3
    demo.controls["kinematics"].value = 2.0  # clearly a hurting movement
    assert demo.output.extra["most_likely"] == "to hurt"
    p = demo.panel.datasets["marker"]["probability"].iloc[0]
    assert p == pytest.approx(
        infer_intention(prior_cure=0.9, kinematics=2.0, kinematic_noise=0.3).posterior_first
    )
    assert p < 0.01


def test_expectation_pulls_an_ambiguous_grimace_towards_exaggeration():
    demo = fast_slow.difficult_patient_demo()
    bars = demo.panel.datasets["bars"]
    assert bars["probability"].tolist() == pytest.approx([0.5, 0.5])  # no expectation, ambiguous face
    demo.controls["expect_exaggerating"].value = 0.8
    bars = demo.panel.datasets["bars"]
    assert bars["probability"].tolist() == pytest.approx([0.5, 0.2])
    assert "pulls it down by 30 percentage points" in demo.takeaway.value
    # a clear expression, looked at carefully, lets the face count again
    demo.controls["pain_evidence"].value = 2.0
    demo.controls["blur"].value = 0.3
    perceived = demo.panel.datasets["bars"]["probability"].iloc[1]
    assert perceived > 0.99
    # a blurred look leaves the expectation in charge
    demo.controls["blur"].value = 3.0
    assert demo.panel.datasets["bars"]["probability"].iloc[1] < 0.35


@pytest.mark.parametrize(
    ("builder", "name", "value"),
    [
        (fast_slow.emg_timing_demo, "tau_fast_ms", 500),
        (fast_slow.masked_face_demo, "tau_slow_ms", 800),
        (fast_slow.intention_demo, "kinematics", -3.0),
    ],
)
def test_extreme_values_stay_under_the_chart_row_limit(builder, name, value):
    assert_rows_within_limit(builder(), name, value)


def test_every_compute_answers_a_slider_within_the_budget():
    computes = (
        fast_slow.emg_timing,
        fast_slow.masked_face,
        fast_slow.intention_posterior,
        fast_slow.difficult_patient,
    )
    assert_answers_quickly(computes, runs=5, summary=np.median)


def test_bad_values_give_the_package_error():
    with pytest.raises(ParameterError):
        fast_slow.emg_timing(expression="sad")
    with pytest.raises(ParameterError):
        fast_slow.masked_face(face_duration_ms=-30)
    with pytest.raises(ParameterError):
        fast_slow.difficult_patient(expect_exaggerating=1.5)


@pytest.mark.parametrize("key", sorted(fast_slow.QUESTIONS))
def test_quiz_feedback_explains_right_and_wrong_answers(key):
    assert_quiz_feedback_explains(fast_slow.QUESTIONS[key])


def test_quiz_answers_agree_with_the_models():
    qs = fast_slow.QUESTIONS
    assert "slow route" in qs["masked"]["options"][qs["masked"]["correct"]]
    masked = fast_slow.masked_face(30, masked=True).extra
    assert masked["emg_onset_ms"] is not None and not masked["reached_awareness"]
    assert "context" in qs["context"]["options"][qs["context"]["correct"]].lower()
    assert fast_slow.intention_posterior(prior_cure=0.1).extra["most_likely"] == "to hurt"
    assert "label decides" in qs["difficult"]["options"][qs["difficult"]["correct"]]
    blurred = fast_slow.difficult_patient(expect_exaggerating=0.8, pain_evidence=1.0, blur=3.0).extra
    assert abs(blurred["perceived_pain"] - 0.2) < 0.05  # blurred: the prior decides


@pytest.mark.parametrize("builder", DEMOS)
def test_charts_are_titled_labelled_with_units_and_marked_simulated(builder):
    spec = builder().panel.current_spec()
    assert spec["title"]["text"] and "simulated" in spec["title"]["subtitle"]
    encoding = spec["layer"][0]["encoding"]
    value_axis = "x" if builder is fast_slow.difficult_patient_demo else "y"  # horizontal bars
    assert "(" in encoding[value_axis]["title"]
    if builder is not fast_slow.difficult_patient_demo:
        assert "(" in encoding["x"]["title"]


@pytest.mark.parametrize("builder", DEMOS)
def test_every_control_at_its_ends_gives_a_finite_chart_and_no_error(builder):
    assert_every_control_end_gives_a_finite_chart(builder())


def test_the_numbers_quoted_in_the_quiz_feedback_are_what_the_demos_show():
    """The 'context' and 'difficult' questions ask students to read the chart; their numbers must match."""
    blurred = fast_slow.intention_posterior(prior_cure=0.9, kinematics=1.5, kinematic_noise=3.0).extra
    sharp = fast_slow.intention_posterior(prior_cure=0.9, kinematics=1.5, kinematic_noise=0.5).extra
    assert blurred["most_likely"] == "to cure" and round(blurred["posterior_cure"], 2) == 0.88
    assert sharp["most_likely"] == "to hurt" and round(sharp["posterior_cure"], 2) == 0.02
    context = fast_slow.QUESTIONS["context"]["options"][0]
    assert "88%" in context and "2%" in context
    glance = fast_slow.difficult_patient(expect_exaggerating=0.8, pain_evidence=1.0, blur=3.0).extra
    look = fast_slow.difficult_patient(expect_exaggerating=0.8, pain_evidence=1.0, blur=0.5).extra
    doubt = fast_slow.difficult_patient(expect_exaggerating=0.6, pain_evidence=1.0, blur=3.0).extra
    assert [round(x["perceived_pain"], 2) for x in (glance, look, doubt)] == [0.22, 0.93, 0.43]
    options = fast_slow.QUESTIONS["difficult"]["options"]
    assert "22%" in options[0] and "93%" in options[0] and "43%" in options[1]
    # "masked": the feedback cites the awareness-check criticism instead of dismissing it
    explanations = " ".join(fast_slow.QUESTIONS["masked"]["explanations"])
    assert "Pessoa, Japee & Ungerleider (2005)" in explanations
