"""The shared widgets: quiz feedback, labelled controls, and demos whose chart follows the sliders."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import pytest

from empathy_explorer.app.charts import with_datasets
from empathy_explorer.app.widgets import (
    Demo,
    DemoOutput,
    choice,
    labelled_slider,
    quiz,
    slider_group,
    toggle,
)
from empathy_explorer.errors import ParameterError


def _q():
    return quiz(
        "Does synchrony prove empathy?",
        ["Yes", "No", "Only for heart rate"],
        correct=1,
        explanations=[
            "It also rises in conflict.",
            "It also rises in conflict (Levenson & Gottman).",
            "Any signal.",
        ],
    )


def test_quiz_check_explains_right_and_wrong_answers():
    q = _q()
    assert q.check(1) == "Correct. It also rises in conflict (Levenson & Gottman)."
    wrong = q.check("Yes")
    assert wrong.startswith("Not quite. It also rises in conflict.")
    assert "“No”" in wrong and "Levenson" in wrong  # names and explains the best answer
    assert q.is_correct is False


def test_quiz_click_shows_feedback_in_the_page():
    q = _q()
    assert q.is_correct is None
    q.choices.value = "No"
    assert "Correct." in q.feedback.value and "✔" in q.feedback.value
    q.choices.value = "Only for heart rate"
    assert "Not quite." in q.feedback.value and "Any signal." in q.feedback.value


@pytest.mark.parametrize(
    ("options", "correct", "explanations"),
    [(["a"], 0, ["x"]), (["a", "a"], 0, ["x", "y"]), (["a", "b"], 2, ["x", "y"]), (["a", "b"], 0, ["x"])],
)
def test_quiz_rejects_malformed_questions(options, correct, explanations):
    with pytest.raises(ParameterError):
        quiz("?", options, correct, explanations)


def test_quiz_rejects_unknown_answers():
    q = _q()
    for bad in (5, "Maybe", True):
        with pytest.raises(ParameterError):
            q.check(bad)


def test_controls_carry_units_and_values():
    s = labelled_slider("Delay", min=0, max=500, step=10, value=200, unit="ms", integer=True)
    assert s.description == "Delay (ms)" and s.value == 200 and s.continuous_update is False
    f = labelled_slider("Noise", min=0.0, max=1.0, step=0.05, value=0.3)
    assert f.description == "Noise" and f.value == pytest.approx(0.3)
    g = slider_group(
        "Model", delay_ms=s, noise=f, mask=toggle("Mask", value=True), kind=choice("Signal", ["eda", "hr"])
    )
    assert g.values == {"delay_ms": 200, "noise": pytest.approx(0.3), "mask": True, "kind": "eda"}
    with pytest.raises(ParameterError):
        labelled_slider("Bad", min=1, max=0, step=1, value=0)
    with pytest.raises(ParameterError):
        labelled_slider("Bad", min=0, max=1, step=0.1, value=2)


def _sine_demo():
    def compute(freq_hz: float, amplitude: float) -> DemoOutput:
        if amplitude < 0:
            raise ParameterError("amplitude must be >= 0")
        t = np.linspace(0, 1, 50)
        frame = pd.DataFrame({"t_s": t, "value": amplitude * np.sin(2 * np.pi * freq_hz * t)})
        return DemoOutput({"wave": frame}, f"Peak {amplitude:.1f} at {freq_hz:.1f} Hz (simulated).")

    def make_chart(datasets):
        base = alt.Chart(alt.NamedData("wave")).mark_line().encode(x="t_s:Q", y="value:Q")
        return with_datasets(base, datasets)

    controls = slider_group(
        freq_hz=labelled_slider("Frequency", min=1, max=5, step=1, value=1, unit="Hz"),
        amplitude=labelled_slider("Amplitude", min=-1, max=3, step=0.5, value=1),
    )
    return Demo(controls, compute, make_chart)


def test_demo_slider_updates_chart_data_and_takeaway():
    demo = _sine_demo()
    before = demo.panel.datasets["wave"]["value"].to_numpy().copy()
    assert np.abs(before).max() == pytest.approx(1.0, abs=0.01)
    demo.controls["amplitude"].value = 2.5  # like a student releasing the slider
    after = demo.panel.datasets["wave"]["value"].to_numpy()
    np.testing.assert_allclose(after, 2.5 * before)
    assert "Peak 2.5" in demo.takeaway.value
    assert demo.panel.chart_widget._ee_version >= 1  # rows were sent to the browser in place


def test_demo_shows_refused_parameters_instead_of_a_traceback():
    demo = _sine_demo()
    demo.controls["amplitude"].value = -1.0
    assert "cannot be used" in demo.takeaway.value and "amplitude" in demo.takeaway.value
    assert np.abs(demo.panel.datasets["wave"]["value"]).max() == pytest.approx(1.0, abs=0.01)


def test_histogram_bars_reach_down_to_zero():
    """Ranged-x bars (x, x_end) once rendered as thin ticks; their heights must be proportional to counts."""
    import re

    import vl_convert as vlc

    from empathy_explorer.app.charts import bar_chart

    counts = [5.0, 10.0, 2.5]
    frame = pd.DataFrame({"start": [0.0, 1.0, 2.0], "end": [1.0, 2.0, 3.0], "n": counts})
    chart = bar_chart("hist", x="start", x_end="end", y="n", title="t", x_title="x (s)", y_title="count")(
        {"hist": frame}
    )
    svg = vlc.vegalite_to_svg(chart.to_json())
    heights = [float(h) for h in re.findall(r'role="graphics-symbol"[^>]*d="M[^h]*h[-\d.]+v([-\d.]+)', svg)]
    assert len(heights) == 3, svg[:500]
    assert np.allclose(np.array(heights) / heights[1], np.array(counts) / counts[1], rtol=1e-6)
