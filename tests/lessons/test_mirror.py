"""lessons.mirror: notebook 02's demos follow their sliders as the models predict; quiz feedback explains."""

from __future__ import annotations

import numpy as np
import pytest

from empathy_explorer.errors import ParameterError
from empathy_explorer.lessons import mirror
from empathy_explorer.models import associative_sequence_learning, hebbian_mirror_learning
from tests.lessons.demo_checks import (
    assert_answers_quickly,
    assert_every_control_end_gives_a_finite_chart,
    assert_quiz_feedback_explains,
    assert_rows_within_limit,
)


def _series(frame, column, name, value_column):
    return frame.loc[frame[column] == name, value_column].to_numpy()


def test_contingency_slider_redraws_the_training_curve_in_place():
    demo = mirror.hebbian_training_demo()
    history = demo.panel.datasets["history"]
    predicts, same = mirror.LINK_SERIES
    assert _series(history, "link", predicts, "weight")[-1] > 0.4  # default: the next-phase link grows
    assert _series(history, "link", same, "weight")[-1] < 0.02  # ... and the same-phase link does not
    demo.controls["contingency"].value = 0.0
    history = demo.panel.datasets["history"]
    np.testing.assert_array_equal(history["weight"], 0.0)  # never seeing your action teaches nothing
    assert demo.panel.datasets["marker"]["weight"].tolist() == [0.0, 0.0]
    assert "0%" in demo.takeaway.value and "almost no link (0.00)" in demo.takeaway.value
    demo.controls["contingency"].value = 0.5
    expected = hebbian_mirror_learning(contingency=0.5)
    np.testing.assert_allclose(
        _series(demo.panel.datasets["history"], "link", predicts, "weight"), expected.link_history(1)
    )
    assert 0 < demo.output.extra["next_link"] < mirror.hebbian_training(contingency=1.0).extra["next_link"]


def test_trials_and_learning_rate_sliders_follow_the_model():
    demo = mirror.hebbian_training_demo()
    demo.controls["n_trials"].value = 50
    history = demo.panel.datasets["history"]
    assert sorted(set(history["trial"])) == list(range(51)) and len(history) == 2 * 51
    demo.controls["learning_rate"].value = 0.0
    np.testing.assert_array_equal(demo.panel.datasets["history"]["weight"], 0.0)
    demo.controls["learning_rate"].value = 0.2
    fast = hebbian_mirror_learning(learning_rate=0.2, n_trials=50)
    assert demo.output.extra["next_link"] == pytest.approx(fast.link_history(1)[-1])
    assert "After 50 trials" in demo.takeaway.value and "simulated" in demo.takeaway.value


def test_timing_slider_moves_the_learned_links_and_the_premotor_lead():
    demo = mirror.hebbian_timing_demo()
    matrix = demo.panel.datasets["matrix"]
    strongest = matrix.loc[matrix.groupby("seen_phase")["weight"].idxmax()]
    # At +200 ms the strongest link of each seen phase (but the last) is the NEXT motor phase.
    assert (strongest["motor_phase"] - strongest["seen_phase"]).tolist()[:-1] == [1, 1, 1]
    assert demo.output.extra["link_offset"] == 1 and 150 <= demo.output.extra["pm_lead_ms"] <= 250
    assert "NEXT phase" in demo.takeaway.value and "BEFORE the sight" in demo.takeaway.value
    onsets = sorted(demo.panel.datasets["onsets"]["time_ms"])
    assert onsets[1] - onsets[0] == pytest.approx(demo.output.extra["pm_lead_ms"])
    demo.controls["sight_delay_ms"].value = 0
    matrix = demo.panel.datasets["matrix"]
    strongest = matrix.loc[matrix.groupby("seen_phase")["weight"].idxmax()]
    assert (strongest["motor_phase"] == strongest["seen_phase"]).all()  # on the diagonal
    assert abs(demo.output.extra["pm_lead_ms"]) < 50
    assert "SAME phase" in demo.takeaway.value and "does not predict" in demo.takeaway.value


def test_timing_matches_the_model_every_5_ms():
    out = mirror.hebbian_timing(sight_delay_ms=300)
    res = hebbian_mirror_learning(sight_delay_ms=300)
    watching = out.datasets["watching"]
    k = res.shown_phase
    np.testing.assert_allclose(
        _series(watching, "series", f"premotor: program of phase {k + 1}", "activity"),
        res.premotor_watching[k][::5],
    )
    np.testing.assert_allclose(out.datasets["matrix"]["weight"], res.weights.ravel())
    assert out.extra["link_offset"] == res.link_offset


def test_timing_chart_has_both_panels_titled_and_marked_simulated():
    spec = mirror.hebbian_timing_demo().panel.current_spec()
    matrix, course = spec["vconcat"]
    for panel in (matrix, course):
        assert panel["title"]["text"] and "simulated" in panel["title"]["subtitle"]
    enc = matrix["layer"][0]["encoding"]
    assert "(" in enc["x"]["title"] and "(" in enc["y"]["title"]
    enc = course["layer"][0]["encoding"]
    assert "(ms)" in enc["x"]["title"] and "(" in enc["y"]["title"]


def test_being_imitated_builds_the_mirror_link_for_an_opaque_smile():
    demo = mirror.being_imitated_demo()
    links = demo.panel.datasets["links"]
    mirror_link, counter_link = "see smile → do smile", "see smile → do frown"
    np.testing.assert_array_equal(links["strength"], 0.0)  # a face you never see is never mirrored
    demo.controls["imitated"].value = 0.8
    links = demo.panel.datasets["links"]
    expected = associative_sequence_learning(self_view=0.0, imitated=0.8, labels=("smile", "frown"))
    np.testing.assert_allclose(
        _series(links, "link", mirror_link, "strength"), expected.link_history[:, 0, 0]
    )
    np.testing.assert_allclose(
        _series(links, "link", counter_link, "strength"), expected.link_history[:, 0, 1]
    )
    assert _series(links, "link", mirror_link, "strength")[-1] > 0.5
    assert "strongly triggers your own smile" in demo.takeaway.value
    # seeing expressions while not making one lowers the contingency and the learned link
    before = demo.output.extra["smile_link"]
    demo.controls["unpaired_sight"].value = 0.8
    assert demo.output.extra["smile_link"] < before - 0.2
    assert demo.output.extra["smile_link"] == pytest.approx(
        demo.panel.datasets["links"]["strength"].iloc[200]
    )


def test_counter_mirror_training_reverses_and_mirror_training_does_not():
    demo = mirror.counter_mirror_demo()
    index = demo.panel.datasets["index"]["index"].to_numpy()
    assert index[200] > 0.5 and index[-1] < -0.5  # development builds it, counter-mirror reverses it
    assert demo.panel.datasets["training_start"]["trial"].tolist() == [200]
    assert "reversed" in demo.takeaway.value
    demo.controls["training"].value = "mirror"
    assert demo.panel.datasets["index"]["index"].iloc[-1] > 0.5
    demo.controls["training"].value = "none"
    assert len(demo.panel.datasets["index"]) == 201
    assert "Without training" in demo.takeaway.value
    demo.controls["training"].value = "counter-mirror"
    demo.controls["n_training"].value = 400
    expected = associative_sequence_learning(
        training="counter-mirror", n_training=400, labels=("action A", "action B")
    )
    np.testing.assert_allclose(demo.panel.datasets["index"]["index"], expected.mirror_index_history)


def test_weak_counter_mirror_training_only_partly_reverses():
    out = mirror.counter_mirror(n_training=20)
    assert out.extra["index_before"] > 0.5 and -0.5 < out.extra["index_after"] < 0.5
    assert "partly reversed" in out.takeaway or "still triggers" in out.takeaway


@pytest.mark.parametrize(
    ("builder", "name", "value"),
    [
        (mirror.hebbian_training_demo, "n_trials", 500),
        (mirror.hebbian_timing_demo, "sight_delay_ms", 600),
        (mirror.counter_mirror_demo, "n_training", 400),
    ],
)
def test_extreme_slider_values_stay_under_the_chart_row_limit(builder, name, value):
    assert_rows_within_limit(builder(), name, value)


def test_every_compute_answers_a_slider_within_the_budget():
    # The fastest run is the code's own cost: on the shared 2-core machine (load ~13 seen) other
    # processes only ever add time, which made the median of 5 flaky (1.5 ms alone, 24-55 ms loaded).
    computes = (mirror.hebbian_training, mirror.hebbian_timing, mirror.being_imitated, mirror.counter_mirror)
    assert_answers_quickly(computes, runs=7, summary=min)


def test_bad_values_give_the_package_error():
    with pytest.raises(ParameterError):
        mirror.hebbian_training(contingency=1.5)
    with pytest.raises(ParameterError):
        mirror.counter_mirror(training="backwards")
    with pytest.raises(ParameterError):
        mirror.being_imitated(imitated=-0.1)


@pytest.mark.parametrize("key", sorted(mirror.QUESTIONS))
def test_quiz_feedback_explains_right_and_wrong_answers(key):
    assert_quiz_feedback_explains(mirror.QUESTIONS[key])


def test_quiz_answers_agree_with_the_models():
    qs = mirror.QUESTIONS
    # "timing": at the realistic delay the next-phase link grows (the prediction the page asks for)
    assert "phase n+1" in qs["timing"]["options"][qs["timing"]["correct"]].split(":")[0]
    assert mirror.hebbian_timing(sight_delay_ms=200).extra["link_offset"] == 1
    # "matrix": at 0 ms the links sit on the diagonal and premotor no longer leads
    assert "diagonal" in qs["matrix"]["options"][qs["matrix"]["correct"]]
    zero = mirror.hebbian_timing(sight_delay_ms=0).extra
    assert zero["link_offset"] == 0 and abs(zero["pm_lead_ms"]) < 50
    # "opaque": being imitated builds the mirror; watching others without doing does not
    assert "imitated" in qs["opaque"]["options"][qs["opaque"]["correct"]]
    assert mirror.being_imitated(imitated=0.8).extra["mirror_index"] > 0.5
    assert abs(mirror.being_imitated(unpaired_sight=1.0).extra["mirror_index"]) < 0.01
    # "counter": training reverses the mapping
    assert "reversed" in qs["counter"]["options"][qs["counter"]["correct"]]
    assert mirror.counter_mirror().extra["index_after"] < 0


@pytest.mark.parametrize(
    "builder",
    [
        mirror.hebbian_training_demo,
        mirror.being_imitated_demo,
        mirror.counter_mirror_demo,
    ],
)
def test_charts_are_titled_labelled_with_units_and_marked_simulated(builder):
    spec = builder().panel.current_spec()
    assert spec["title"]["text"] and "simulated" in spec["title"]["subtitle"]
    encoding = spec["layer"][0]["encoding"]
    for axis in ("x", "y"):
        assert "(" in encoding[axis]["title"], f"{axis} axis title needs its unit"


@pytest.mark.parametrize(
    "builder",
    [
        mirror.hebbian_training_demo,
        mirror.hebbian_timing_demo,
        mirror.being_imitated_demo,
        mirror.counter_mirror_demo,
    ],
)
def test_every_control_at_its_ends_gives_a_finite_chart_and_no_error(builder):
    assert_every_control_end_gives_a_finite_chart(builder())


def test_contingency_slider_of_the_timing_demo_empties_the_matrix():
    demo = mirror.hebbian_timing_demo()
    demo.controls["contingency"].value = 0.0
    np.testing.assert_array_equal(demo.panel.datasets["matrix"]["weight"], 0.0)
    watching = demo.panel.datasets["watching"]
    assert _series(watching, "series", "premotor: program of phase 3", "activity").max() == 0.0
    assert len(demo.panel.datasets["onsets"]) == 1  # only the sight's onset: premotor never responds
    assert demo.output.extra["link_offset"] is None
    assert "nothing was learned (you never saw your own action)" in demo.takeaway.value
