"""clinic: CARE reliability (Spearman-Brown) and the simulated doctors of notebook 01."""

from __future__ import annotations

import numpy as np
import pytest

from empathy_explorer.errors import ParameterError
from empathy_explorer.lessons.clinic import (
    CARE_MAX,
    CARE_MIN,
    care_reliability,
    care_reliability_demo,
    care_scores_demo,
    simulate_care_scores,
)


def test_about_fifty_ratings_reach_point_eight_with_the_default():
    # About 50 patients per GP for a reliable CARE mean (Mercer 2005); the default matches it.
    out = care_reliability(49)
    assert out.extra["needed"] == 50
    assert out.extra["reliability"] < 0.8 <= care_reliability(50).extra["reliability"]
    curve = out.datasets["curve"]
    k, rho = curve["patients"].to_numpy(), 0.075
    np.testing.assert_allclose(curve["reliability"], [kk * rho / (1 + (kk - 1) * rho) for kk in k])


def test_reliability_slider_moves_the_marker_and_the_takeaway():
    demo = care_reliability_demo()
    demo.controls["patients_per_doctor"].value = 100
    marker = demo.panel.datasets["marker"]
    assert marker["patients"].tolist() == [100]
    assert marker["reliability"][0] == pytest.approx(100 * 0.075 / (1 + 99 * 0.075))
    assert "With 100 patients" in demo.takeaway.value and "enough for 0.8" in demo.takeaway.value
    demo.controls["single_reliability"].value = 0.3
    assert "about 10 patients are needed" in demo.takeaway.value


def test_simulated_ratings_respect_the_scale_and_narrow_with_more_patients():
    few = simulate_care_scores(5)
    many = simulate_care_scores(120)
    for out in (few, many):
        d = out.datasets["doctors"]
        assert d["low"].min() >= CARE_MIN and d["high"].max() <= CARE_MAX
        assert (d["low"] <= d["score"] + 1e-9).all() and (d["score"] <= d["high"] + 1e-9).all()
    assert many.extra["mean_halfwidth"] < few.extra["mean_halfwidth"] / 3
    # averaged over seeds, more ratings rank the doctors more faithfully
    r_few = np.mean([simulate_care_scores(5, seed=s).extra["rank_r"] for s in range(20)])
    r_many = np.mean([simulate_care_scores(120, seed=s).extra["rank_r"] for s in range(20)])
    assert r_many > r_few + 0.3
    # the true scores do not change with the number of patients (same simulated doctors)
    true_few = few.datasets["doctors"].query("kind == 'True score (simulated)'")["score"].to_numpy()
    true_many = many.datasets["doctors"].query("kind == 'True score (simulated)'")["score"].to_numpy()
    np.testing.assert_array_equal(true_few, true_many)


def test_scores_demo_updates_in_place():
    demo = care_scores_demo()
    before = demo.panel.datasets["doctors"].copy()
    demo.controls["patients_per_doctor"].value = 150
    after = demo.panel.datasets["doctors"]
    assert not np.allclose(before["score"], after["score"])
    assert "With 150 patients each" in demo.takeaway.value


@pytest.mark.parametrize(
    "kwargs", [{"patients_per_doctor": 0}, {"single_reliability": 1.0}, {"patients_per_doctor": 2.5}]
)
def test_bad_parameters_are_refused(kwargs):
    with pytest.raises(ParameterError):
        care_reliability(**kwargs)
    with pytest.raises(ParameterError):
        simulate_care_scores(**{"patients_per_doctor": 1, **kwargs})
