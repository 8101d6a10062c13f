"""Inferring an intention from a movement and its context: "to cure" or "to hurt"?

An illustrative teaching model, **not fitted to data**, after Kilner, Friston & Frith (2007). They describe
action understanding as inference in a hierarchy (kinematics → goal → intention → context) in which the brain
finds the cause of an observed movement by minimising prediction error at every level. Their example is
clinical: the same movement of a hand holding a scalpel fits both "to cure" and "to hurt", and the context (an
operating theatre) settles which.

We keep the top of that hierarchy as exact Bayesian inference over two intentions:

    P(intention | kinematics, context) ∝ P(intention | context) · N(kinematics; μ_intention, σ²)

with the typical "to cure" movement at ``−separation/2`` and the typical "to hurt" movement at
``+separation/2`` on one kinematic feature (arbitrary units), and σ the kinematic noise (how variable or how
poorly seen the movement is). Predictive coding approximates this posterior by minimising precision-weighted
prediction errors; for one Gaussian level the two agree, so we compute the posterior directly and report
the prediction errors each hypothesis leaves.

For teaching: when the movement is ambiguous or noisy, the prior (the context, or our expectation that a
patient is "difficult") decides what we perceive; only clear kinematics can overrule it. This is a model of
how expectations *could* bias perception, not evidence that they do in a given clinic. Whether mirror
responses are the mechanism of such inference is disputed (Hickok 2009).

References
----------
Kilner, J. M., Friston, K. J., & Frith, C. D. (2007). Predictive coding: an account of the mirror neuron
system. Cognitive Processing, 8(3), 159–166. https://doi.org/10.1007/s10339-007-0170-2

Hickok, G. (2009). Eight problems for the mirror neuron theory of action understanding in monkeys and
humans. Journal of Cognitive Neuroscience, 21(7), 1229–1243. https://doi.org/10.1162/jocn.2009.21189
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from empathy_explorer.validation import ReadOnlyArrays, as_name_pair, as_number, as_probability

__all__ = ["IntentionResult", "infer_intention"]

_GRID = np.linspace(-5.0, 5.0, 401)
_GRID.flags.writeable = False


@dataclass(frozen=True, eq=False)
class IntentionResult(ReadOnlyArrays):
    """Posterior over two intentions from :func:`infer_intention` (a model, not data).

    Attributes
    ----------
    intentions : tuple of str
        The two candidate intentions, e.g. ("to cure", "to hurt").
    prior, likelihood, posterior : ndarray, shape (2,)
        Prior from the context, likelihood of the observed kinematics (relative; sums to 1), posterior.
    posterior_first : float
        Posterior probability of the first intention ("to cure").
    most_likely : str
        The intention with the higher posterior (the first one on a tie).
    prediction_errors : ndarray, shape (2,)
        (kinematics − typical movement) / σ under each intention: the precision-weighted prediction error
        each hypothesis leaves.
    decision_boundary : float or None
        Kinematic value at which both intentions are equally likely given this prior; None when the
        prior is 0 or 1 or the two movements are identical (the kinematics then cannot change the answer).
    kinematics_grid : ndarray
        Kinematic values from −5 to 5 for the curves below.
    likelihood_curves : ndarray, shape (2, n_grid)
        Density of each intention's movements over the grid.
    posterior_curve : ndarray
        P(first intention | kinematics, this context) over the grid.
    flat_prior_curve : ndarray
        The same with a 50/50 prior: what the movement alone says.
    parameters : Mapping
        The parameter values used.
    """

    intentions: tuple[str, str]
    prior: np.ndarray
    likelihood: np.ndarray
    posterior: np.ndarray
    posterior_first: float
    most_likely: str
    prediction_errors: np.ndarray
    decision_boundary: float | None
    kinematics_grid: np.ndarray
    likelihood_curves: np.ndarray
    posterior_curve: np.ndarray
    flat_prior_curve: np.ndarray
    parameters: Mapping[str, object] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """Prior and posterior per intention, tidy: columns ``intention``, ``stage`` (``"prior"``,
        ``"posterior"``), ``probability``."""
        return pd.DataFrame(
            {
                "intention": list(self.intentions) * 2,
                "stage": ["prior"] * 2 + ["posterior"] * 2,
                "probability": np.concatenate([self.prior, self.posterior]),
            }
        )

    def curves_frame(self) -> pd.DataFrame:
        """Curves over kinematics, tidy: columns ``kinematics``, ``series`` (``"likelihood: <intention>"``,
        ``"P(<first> | movement, context)"``, ``"P(<first> | movement alone)"``), ``value``."""
        first = self.intentions[0]
        series = {
            f"likelihood: {self.intentions[0]}": self.likelihood_curves[0],
            f"likelihood: {self.intentions[1]}": self.likelihood_curves[1],
            f"P({first} | movement, context)": self.posterior_curve,
            f"P({first} | movement alone)": self.flat_prior_curve,
        }
        n = self.kinematics_grid.size
        return pd.DataFrame(
            {
                "kinematics": np.tile(self.kinematics_grid, len(series)),
                "series": np.repeat(list(series), n),
                "value": np.concatenate(list(series.values())),
            }
        )


def _posterior_first(log_prior: np.ndarray, z_first: np.ndarray, z_second: np.ndarray) -> np.ndarray:
    """P(first | x) from log priors and standardised distances, without overflow or 0/0."""
    a = log_prior[0] - 0.5 * z_first**2
    b = log_prior[1] - 0.5 * z_second**2
    top = np.maximum(a, b)
    ea, eb = np.exp(a - top), np.exp(b - top)
    return ea / (ea + eb)


@dataclass(frozen=True)
class _Parameters:
    """The checked parameters of :func:`infer_intention`, in order (its ``parameters``)."""

    prior_cure: float
    kinematics: float
    separation: float
    kinematic_noise: float
    intentions: tuple[str, str]


def _infer(p: _Parameters) -> IntentionResult:
    """Bayes' rule on one kinematic feature, for the observed movement and along the kinematics grid."""
    prior = np.array([p.prior_cure, 1.0 - p.prior_cure])
    with np.errstate(divide="ignore"):
        log_prior = np.log(prior)  # −inf for a prior of exactly 0: handled by the max-shift below
    means = np.array([-p.separation / 2.0, p.separation / 2.0])
    errors = (p.kinematics - means) / p.kinematic_noise

    flat = np.log(np.array([0.5, 0.5]))
    lik_first = float(_posterior_first(flat, errors[0], errors[1]))
    likelihood = np.array([lik_first, 1.0 - lik_first])
    post_first = float(_posterior_first(log_prior, errors[0], errors[1]))
    posterior = np.array([post_first, 1.0 - post_first])

    z = (_GRID[None, :] - means[:, None]) / p.kinematic_noise
    curves = np.exp(-0.5 * z**2) / (p.kinematic_noise * math.sqrt(2.0 * math.pi))
    posterior_curve = _posterior_first(log_prior, z[0], z[1])
    flat_curve = _posterior_first(flat, z[0], z[1])

    if p.separation == 0.0 or p.prior_cure in (0.0, 1.0):
        boundary = None
    else:
        boundary = p.kinematic_noise**2 * math.log(p.prior_cure / (1.0 - p.prior_cure)) / p.separation

    return IntentionResult(
        intentions=p.intentions,
        prior=prior,
        likelihood=likelihood,
        posterior=posterior,
        posterior_first=post_first,
        most_likely=p.intentions[0] if post_first >= 0.5 else p.intentions[1],
        prediction_errors=errors,
        decision_boundary=boundary,
        kinematics_grid=_GRID,
        likelihood_curves=curves,
        posterior_curve=posterior_curve,
        flat_prior_curve=flat_curve,
        parameters=MappingProxyType(dataclasses.asdict(p)),
    )


def infer_intention(
    *,
    prior_cure: float = 0.9,
    kinematics: float = 0.0,
    separation: float = 1.0,
    kinematic_noise: float = 1.0,
    intentions: tuple[str, str] = ("to cure", "to hurt"),
) -> IntentionResult:
    """Posterior probability that an observed movement is meant "to cure" or "to hurt".

    Parameters
    ----------
    prior_cure : float, default 0.9
        P(first intention | context) before the movement is seen, 0–1. 0.9 stands for an operating
        theatre, 0.1 for a street fight (Kilner, Friston & Frith 2007's example; the numbers are
        illustrative). Also the "expectation" slider: what we expect of this patient.
    kinematics : float, default 0.0
        The observed movement on one kinematic feature, arbitrary units, −5 to 5. 0 is exactly halfway
        between a typical curing and a typical hurting movement: the ambiguous incision. Illustrative.
    separation : float, default 1.0
        Distance between the typical curing (at −separation/2) and hurting (+separation/2) movements,
        0–10 (0 = identical movements, as in Kilner's example). Illustrative.
    kinematic_noise : float, default 1.0
        σ, spread of movements around their typical value, > 0 up to 10 (higher = a blurrier view or a more
        variable movement). Illustrative.
    intentions : tuple of two str, default ("to cure", "to hurt")
        Names of the two intentions.

    Returns
    -------
    IntentionResult
        ``prior``, ``likelihood``, ``posterior``, ``posterior_first``, ``most_likely``,
        ``prediction_errors``, ``decision_boundary`` and curves over kinematics; ``.to_frame()`` and
        ``.curves_frame()`` for charts.

    Raises
    ------
    ParameterError
        If the prior is outside [0, 1], the noise is not positive, the separation is negative, or the
        intentions are not two different names.

    Examples
    --------
    >>> from empathy_explorer.models import infer_intention
    >>> infer_intention(prior_cure=0.9).most_likely  # operating theatre
    'to cure'
    >>> infer_intention(prior_cure=0.1).most_likely  # same movement, street context
    'to hurt'
    >>> round(infer_intention(prior_cure=0.5, kinematics=0.0).posterior_first, 3)
    0.5

    References
    ----------
    Kilner, Friston & Frith (2007), Cogn Process 8:159–166. Hickok (2009), J Cogn Neurosci 21:1229–1243.
    """
    p = _Parameters(
        prior_cure=as_probability(prior_cure, "prior_cure", meaning="P(to cure | context)"),
        kinematics=as_number(kinematics, "kinematics", meaning="the observed movement", low=-5, high=5),
        separation=as_number(
            separation, "separation", meaning="distance between the typical movements", low=0, high=10
        ),
        kinematic_noise=as_number(
            kinematic_noise,
            "kinematic_noise",
            meaning="σ, spread of the movements",
            low=0,
            low_inclusive=False,
            high=10,
        ),
        intentions=as_name_pair(intentions, "intentions", example=("to cure", "to hurt")),
    )
    return _infer(p)
