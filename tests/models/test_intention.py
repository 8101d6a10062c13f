"""Intention inference: the context prior flips the posterior; reference Bayes, validation and speed."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from empathy_explorer.models import infer_intention
from tests.support.checks import assert_parameter_error


def _reference_posterior(prior, k, separation, sigma):
    """Bayes' rule written out with scipy's normal density."""
    a = prior * norm.pdf(k, loc=-separation / 2, scale=sigma)
    b = (1 - prior) * norm.pdf(k, loc=separation / 2, scale=sigma)
    return a / (a + b)


@pytest.mark.parametrize(
    ("prior", "k", "separation", "sigma"),
    [
        (0.9, 0.0, 1.0, 1.0),
        (0.3, 0.7, 2.0, 0.5),
        (0.5, -1.2, 0.5, 2.0),
        (0.05, 2.0, 3.0, 1.5),
        (0.99, -4, 1, 3),
    ],
)
def test_matches_bayes_rule(prior, k, separation, sigma):
    result = infer_intention(prior_cure=prior, kinematics=k, separation=separation, kinematic_noise=sigma)
    assert result.posterior_first == pytest.approx(
        _reference_posterior(prior, k, separation, sigma), abs=1e-12
    )
    assert result.posterior.sum() == pytest.approx(1.0)
    assert result.likelihood[0] == pytest.approx(_reference_posterior(0.5, k, separation, sigma), abs=1e-12)
    for i, x in enumerate(result.kinematics_grid[::40]):
        expected = _reference_posterior(prior, x, separation, sigma)
        assert result.posterior_curve[::40][i] == pytest.approx(expected, abs=1e-12)
    np.testing.assert_allclose(
        result.likelihood_curves[0], norm.pdf(result.kinematics_grid, -separation / 2, sigma), atol=1e-12
    )


def test_posterior_flips_with_the_context_prior():
    # Kilner, Friston & Frith (2007): the same movement, an operating theatre says "to cure".
    theatre = infer_intention(prior_cure=0.9)
    street = infer_intention(prior_cure=0.1)
    assert theatre.most_likely == "to cure" and theatre.posterior_first > 0.5
    assert street.most_likely == "to hurt" and street.posterior_first < 0.5
    priors = np.linspace(0.01, 0.99, 25)
    posts = [infer_intention(prior_cure=float(p)).posterior_first for p in priors]
    assert np.all(np.diff(posts) > 0)


def test_identical_movements_leave_the_prior_unchanged():
    result = infer_intention(prior_cure=0.7, separation=0.0, kinematics=2.5)
    assert result.posterior_first == pytest.approx(0.7)
    assert result.decision_boundary is None


def test_clear_kinematics_overrule_the_context_but_noise_hands_it_back():
    clear = infer_intention(prior_cure=0.9, kinematics=3.0, separation=4.0, kinematic_noise=0.5)
    assert clear.most_likely == "to hurt" and clear.posterior_first < 0.01
    noisy = infer_intention(prior_cure=0.9, kinematics=3.0, separation=4.0, kinematic_noise=10.0)
    assert noisy.most_likely == "to cure"
    noises = [0.5, 1, 2, 4, 8]
    posts = [
        infer_intention(prior_cure=0.9, kinematics=1.0, kinematic_noise=s).posterior_first for s in noises
    ]
    assert np.all(np.diff(posts) > 0) and posts[-1] < 0.9


def test_decision_boundary_is_where_the_posterior_curve_crosses_one_half():
    result = infer_intention(prior_cure=0.8, separation=2.0, kinematic_noise=1.0)
    boundary = result.decision_boundary
    assert boundary == pytest.approx(math.log(4.0) / 2.0)
    at = infer_intention(prior_cure=0.8, separation=2.0, kinematic_noise=1.0, kinematics=boundary)
    assert at.posterior_first == pytest.approx(0.5)
    crossing = result.kinematics_grid[np.argmin(np.abs(result.posterior_curve - 0.5))]
    assert crossing == pytest.approx(boundary, abs=0.03)


def test_extreme_priors_and_far_kinematics_give_no_warnings_or_nans():
    for prior in (0.0, 1.0):
        result = infer_intention(prior_cure=prior, kinematics=5.0, separation=10.0, kinematic_noise=0.01)
        assert result.posterior_first == prior
        assert np.all(np.isfinite(result.posterior_curve))
        assert result.decision_boundary is None
    far = infer_intention(prior_cure=0.5, kinematics=5.0, separation=10.0, kinematic_noise=0.01)
    assert far.posterior_first == 0.0 and np.isfinite(far.prediction_errors).all()


def test_prediction_errors_are_standardised_distances():
    result = infer_intention(kinematics=1.0, separation=2.0, kinematic_noise=0.5)
    np.testing.assert_allclose(result.prediction_errors, [4.0, 0.0])


def test_frames_are_tidy():
    result = infer_intention(intentions=("to help", "to harm"))
    frame = result.to_frame()
    assert list(frame.columns) == ["intention", "stage", "probability"]
    post = frame[frame["stage"] == "posterior"]
    np.testing.assert_allclose(post["probability"], result.posterior)
    curves = result.curves_frame()
    assert set(curves["series"]) == {
        "likelihood: to help",
        "likelihood: to harm",
        "P(to help | movement, context)",
        "P(to help | movement alone)",
    }
    assert len(curves) == 4 * result.kinematics_grid.size


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"prior_cure": 1.2}, ["prior_cure", "between 0 and 1"]),
        ({"prior_cure": -0.5}, ["prior_cure", "between 0 and 1"]),
        ({"kinematic_noise": 0.0}, ["kinematic_noise", "greater than 0"]),
        ({"kinematic_noise": -1.0}, ["kinematic_noise", "greater than 0"]),
        ({"separation": -1.0}, ["separation", "cannot be negative"]),
        ({"kinematics": 50.0}, ["kinematics", "at most 5"]),
        ({"intentions": ("to cure",)}, ["intentions", "two different"]),
    ],
)
def test_invalid_parameters_raise_clear_parameter_error(kwargs, words):
    assert_parameter_error(infer_intention, kwargs, words)
