"""What every model promises the pages: docstring examples that run, and an answer to a slider change
within the 20 ms budget (median of 20 runs, with a margin for a noisy 2-core machine)."""

from __future__ import annotations

import pytest

from empathy_explorer.models import (
    associative,
    associative_sequence_learning,
    coupled_agents,
    fast_slow_routes,
    hebbian,
    hebbian_mirror_learning,
    infer_intention,
    intention,
    routes,
    simulate_coupled_agents,
)
from tests.support.checks import assert_doctests_pass, median_s


@pytest.mark.parametrize("module", [associative, coupled_agents, hebbian, intention, routes])
def test_docstring_examples_run(module):
    assert_doctests_pass(module)


@pytest.mark.parametrize(
    ("model", "kwargs", "margin"),
    [
        (associative_sequence_learning, {}, 4),
        (associative_sequence_learning, {"training": "counter-mirror", "imitated": 0.5}, 4),
        (simulate_coupled_agents, {}, 4),
        (simulate_coupled_agents, {"coupling": 0.3, "driver_strength": 1.0}, 4),
        (hebbian_mirror_learning, {}, 2),
        (hebbian_mirror_learning, {"contingency": 0.37, "seed": 4, "n_trials": 500}, 2),
        (infer_intention, {}, 4),
        (infer_intention, {"prior_cure": 0.2, "kinematic_noise": 2.0}, 4),
        (fast_slow_routes, {}, 4),
        (fast_slow_routes, {"face_duration_ms": 30.0, "masked": True}, 4),
    ],
)
def test_a_slider_change_is_answered_in_under_20_ms(model, kwargs, margin):
    assert median_s(lambda: model(**kwargs)) < 0.020 / margin
