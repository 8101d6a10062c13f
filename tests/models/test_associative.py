"""Associative sequence learning: published anchors, a matrix-form reference, validation and speed."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from empathy_explorer.models import associative_sequence_learning as asl
from tests.support.checks import assert_parameter_error


def _reference(
    *,
    self_view=1.0,
    imitated=0.0,
    unpaired_sight=0.0,
    n_development=200,
    training="none",
    n_training=200,
    training_contingency=1.0,
    learning_rate=0.1,
    seed=0,
):
    """Textbook Rescorla–Wagner in matrix form: V += α·outer(x, λ − xᵀV), one event at a time."""
    if training == "none":
        n_training = 0
    n = n_development + n_training
    rng = np.random.default_rng(seed)
    action = rng.integers(0, 2, size=n)
    sight_draw = rng.random(n)
    unpaired_draw = rng.random(n)
    unpaired_action = rng.integers(0, 2, size=n)
    V = np.zeros((3, 2))
    history = [V.copy()]
    p_see = 1 - (1 - self_view) * (1 - imitated)
    for k in range(n):
        x = np.array([0.0, 0.0, 1.0])
        if k < n_development:
            if sight_draw[k] < p_see:
                x[action[k]] = 1.0
        elif sight_draw[k] < training_contingency:
            x[action[k] if training == "mirror" else 1 - action[k]] = 1.0
        outcome = np.zeros(2)
        outcome[action[k]] = 1.0
        V = V + learning_rate * np.outer(x, outcome - x @ V)
        if unpaired_draw[k] < unpaired_sight:
            x = np.array([0.0, 0.0, 1.0])
            x[unpaired_action[k]] = 1.0
            V = V + learning_rate * np.outer(x, np.zeros(2) - x @ V)
        history.append(V.copy())
    return np.array(history)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"self_view": 0.0, "imitated": 0.4, "seed": 2},
        {"training": "counter-mirror", "training_contingency": 0.7, "unpaired_sight": 0.3},
        {"training": "mirror", "n_development": 0, "n_training": 50, "learning_rate": 0.5},
        {"self_view": 0.2, "unpaired_sight": 1.0, "n_development": 30, "seed": 11},
    ],
)
def test_matches_matrix_form_reference(kwargs):
    result = asl(**kwargs)
    history = _reference(**kwargs)
    np.testing.assert_allclose(result.link_history, history[:, :2, :], rtol=0, atol=1e-12)
    np.testing.assert_allclose(result.context_history, history[:, 2, :], rtol=0, atol=1e-12)


def test_seeing_your_own_hand_builds_mirror_links():
    result = asl(self_view=1.0)
    assert result.mirror_index_after > 0.5
    assert result.links_after[0, 0] > result.links_after[0, 1]
    assert result.links_after[1, 1] > result.links_after[1, 0]
    assert result.mirror_index_history[0] == 0.0


def test_being_imitated_mirrors_an_opaque_action_where_self_observation_cannot():
    # Catmur, Walsh & Heyes (2009): we cannot see our own face; being imitated supplies the contingency.
    alone = asl(self_view=0.0, imitated=0.0)
    np.testing.assert_array_equal(alone.link_history, 0.0)
    assert alone.mirror_index_after == 0.0
    imitated = asl(self_view=0.0, imitated=0.8)
    assert imitated.mirror_index_after > 0.5
    # More imitation, faster learning (averaged over seeds).
    early = [
        np.mean([asl(self_view=0.0, imitated=p, seed=s).mirror_index_history[20] for s in range(5)])
        for p in (0.1, 0.4, 0.8)
    ]
    assert early[0] < early[1] < early[2]


def test_counter_mirror_training_reverses_the_mapping():
    # Catmur et al. (2007), reviewed in Catmur, Walsh & Heyes (2009).
    result = asl(training="counter-mirror")
    assert result.mirror_index_before_training > 0.5
    assert result.mirror_index_after < -0.5
    after = result.links_after
    assert after[0, 1] > after[0, 0] and after[1, 0] > after[1, 1]
    training = result.mirror_index_history[result.phase == "training"]
    assert training[-1] < training[0]
    crossing = int(np.argmax(training < 0))
    assert 0 < crossing < training.size


def test_extra_mirror_training_keeps_the_mapping():
    result = asl(training="mirror")
    assert result.mirror_index_after >= result.mirror_index_before_training - 1e-9


def test_unpaired_sight_lowers_the_links_contingency_not_just_pairing():
    # Same paired trials, more sight without action: weaker links ("not purely Hebbian").
    indices = [asl(unpaired_sight=p).mirror_index_after for p in (0.0, 0.3, 0.6, 1.0)]
    assert all(b < a for a, b in itertools.pairwise(indices))


def test_frame_is_tidy_and_labelled():
    result = asl(n_development=5, labels=("smile", "frown"))
    frame = result.to_frame()
    assert list(frame.columns) == ["trial", "phase", "link", "kind", "strength", "simulated"]
    assert len(frame) == 4 * 6
    assert "see smile → do smile" in set(frame["link"])
    mirror = frame[frame["link"] == "see frown → do smile"]
    assert set(mirror["kind"]) == {"counter-mirror"}
    np.testing.assert_array_equal(mirror["strength"].to_numpy(), result.link_history[:, 1, 0])
    assert frame["simulated"].all()


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"self_view": 1.5}, ["self_view", "between 0 and 1"]),
        ({"imitated": -0.2}, ["imitated", "between 0 and 1"]),
        ({"learning_rate": 0.0}, ["learning_rate", "greater than 0"]),
        ({"n_development": 0}, ["no trials"]),
        ({"n_development": -3}, ["n_development", "at least 0"]),
        ({"training": "reverse"}, ["training", "'counter-mirror'"]),
        ({"labels": ("smile", "smile")}, ["labels", "two different"]),
        ({"training_contingency": float("inf")}, ["training_contingency", "between 0 and 1"]),
    ],
)
def test_invalid_parameters_raise_clear_parameter_error(kwargs, words):
    assert_parameter_error(asl, kwargs, words)
