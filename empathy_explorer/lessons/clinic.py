"""Measuring clinical empathy with patient ratings: how many CARE ratings a doctor's score needs.

The CARE measure (Consultation And Relational Empathy) is a 10-item patient questionnaire, each item
scored 1–5, total 10–50. Mercer et al. (2005; ``mercer2005`` in ``docs/references.bib``) reported that
about 50 patients per general practitioner are needed for a reliable average, and CARE scores show a
ceiling effect (in one study 48% of ratings were the maximum).

This module is a **simulation for teaching**, not a model fitted to Mercer's data:

- :func:`care_reliability` -- the Spearman–Brown reliability of a doctor's mean CARE score as the
  number of rating patients grows. The default single-rating reliability, 0.075, is an *illustrative*
  value chosen so that about 50 ratings reach a reliability of 0.8; the paper's own variance components
  and criterion are not reproduced here.
- :func:`simulate_care_scores` -- simulated doctors, each with a "true" CARE score, rated by ``k``
  simulated patients whose answers are noisy and cut off at 50 (the ceiling).

Both return a :class:`~empathy_explorer.app.widgets.DemoOutput` for the notebook demos, which
:func:`care_reliability_demo` and :func:`care_scores_demo` build.

References
----------
Full entries in ``docs/references.bib``: ``mercer2005`` (CARE in general practice) and ``riess2012``
(empathy training for residents).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from empathy_explorer.app.charts import line_chart, scatter_chart
from empathy_explorer.app.widgets import Demo, DemoOutput, labelled_slider
from empathy_explorer.errors import ParameterError
from empathy_explorer.lessons._page import lesson_demo
from empathy_explorer.stats import ratings_needed, spearman_brown, spearman_rho, t_quantile

__all__ = [
    "CARE_MAX",
    "CARE_MIN",
    "DEFAULT_SINGLE_RELIABILITY",
    "care_reliability",
    "care_reliability_demo",
    "care_scores_demo",
    "simulate_care_scores",
]

#: CARE total score range: 10 items scored 1–5.
CARE_MIN, CARE_MAX = 10, 50

#: Illustrative reliability of one patient's CARE rating (about 50 ratings then reach 0.8).
DEFAULT_SINGLE_RELIABILITY = 0.075

_TARGET = 0.8
_K_MAX = 150


def care_reliability(
    patients_per_doctor: int = 10,
    single_reliability: float = DEFAULT_SINGLE_RELIABILITY,
    target: float = _TARGET,
) -> DemoOutput:
    """Reliability of a doctor's mean CARE score from ``patients_per_doctor`` ratings (Spearman–Brown).

    Parameters
    ----------
    patients_per_doctor : int, default 10
        Ratings averaged per doctor (1–150).
    single_reliability : float, default 0.075
        Reliability of one patient's rating (illustrative, see the module notes).
    target : float, default 0.8
        Reliability wanted for the average (a common rule of thumb, not Mercer's exact criterion).

    Returns
    -------
    DemoOutput
        Datasets ``curve`` (``patients``, ``reliability``), ``marker`` (the current choice) and a
        takeaway sentence.

    Examples
    --------
    >>> out = care_reliability(50)
    >>> round(float(out.datasets["marker"]["reliability"][0]), 2)
    0.8
    """
    if int(patients_per_doctor) != patients_per_doctor or not 1 <= patients_per_doctor <= _K_MAX:
        raise ParameterError(f"patients_per_doctor must be a whole number from 1 to {_K_MAX}.")
    if not 0.0 < float(single_reliability) < 1.0:
        raise ParameterError("The reliability of one rating must be between 0 and 1 (not 0 or 1).")
    k = np.arange(1, _K_MAX + 1)
    curve = pd.DataFrame(
        {
            "patients": k,
            "reliability": spearman_brown(single_reliability, k),
            "line": "Reliability of the mean",
        }
    )
    rel = float(spearman_brown(single_reliability, int(patients_per_doctor)))
    marker = pd.DataFrame(
        {"patients": [int(patients_per_doctor)], "reliability": [rel], "line": ["Reliability of the mean"]}
    )
    need = ratings_needed(single_reliability, target)
    verdict = "enough" if rel >= target else "not enough"
    takeaway = (
        f"With {int(patients_per_doctor)} patients per doctor the average CARE score has reliability "
        f"{rel:.2f}: {verdict} for {target:.1f}; about {need} patients are needed when one rating has "
        f"reliability {float(single_reliability):.3f} (illustrative value)."
    )
    return DemoOutput({"curve": curve, "marker": marker}, takeaway, {"reliability": rel, "needed": need})


def care_reliability_demo() -> Demo:
    """The notebook demo: patients per doctor and one rating's reliability → reliability curve."""
    return lesson_demo(
        care_reliability,
        line_chart(
            "curve",
            x="patients",
            y="reliability",
            title="How reliable is a doctor's average CARE score?",
            subtitle="Spearman–Brown formula; dashed line: reliability 0.8 (a common rule of thumb)",
            x_title="Patients whose ratings are averaged (count)",
            y_title="Reliability of the average (0–1)",
            x_domain=(0, _K_MAX),
            y_domain=(0, 1),
            points="marker",
            hline=_TARGET,
        ),
        filename="care-reliability",
        patients_per_doctor=labelled_slider(
            "Patients rating each doctor", min=1, max=_K_MAX, step=1, value=5, integer=True, unit="patients"
        ),
        single_reliability=labelled_slider(
            "Reliability of ONE patient's rating",
            min=0.02,
            max=0.5,
            step=0.005,
            value=DEFAULT_SINGLE_RELIABILITY,
            readout_format=".3f",
            unit="0–1",
        ),
    )


def simulate_care_scores(
    patients_per_doctor: int = 5,
    single_reliability: float = DEFAULT_SINGLE_RELIABILITY,
    *,
    n_doctors: int = 12,
    between_doctor_sd: float = 2.0,
    mean_score: float = 42.0,
    seed: int = 0,
) -> DemoOutput:
    """Simulated doctors rated by ``patients_per_doctor`` simulated patients each (CARE 10–50, ceiling).

    Each doctor has a true score drawn from N(mean_score, between_doctor_sd); each patient's total is the
    true score plus noise whose size makes one rating's reliability ``single_reliability``, rounded and
    clipped to 10–50. The observed average and its 95% t-interval are compared with the true score.

    Parameters
    ----------
    patients_per_doctor : int, default 5
        Ratings per doctor (2–150).
    single_reliability : float, default 0.075
        Share of the variance of one rating that is due to the doctor (illustrative).
    n_doctors : int, default 12
    between_doctor_sd : float, default 2.0
        Spread of the doctors' true scores (CARE points; illustrative).
    mean_score : float, default 42.0
        Average true score (CARE points; illustrative, near the ceiling as CARE scores tend to be).
    seed : int, default 0
        The same seed gives the same simulated doctors; the patients change with ``patients_per_doctor``
        only by adding more of them.

    Returns
    -------
    DemoOutput
        Dataset ``doctors`` with columns ``doctor`` (rank of the true score, 1 = lowest), ``score``,
        ``low``, ``high`` and ``kind`` ("True score (simulated)" or "Average of patients (simulated)").

    Examples
    --------
    >>> out = simulate_care_scores(40)
    >>> sorted(out.datasets["doctors"]["kind"].unique())
    ['Average of patients (simulated)', 'True score (simulated)']
    """
    if int(patients_per_doctor) != patients_per_doctor or not 2 <= patients_per_doctor <= _K_MAX:
        raise ParameterError(f"patients_per_doctor must be a whole number from 2 to {_K_MAX}.")
    if not 0.0 < float(single_reliability) < 1.0:
        raise ParameterError("The reliability of one rating must be between 0 and 1 (not 0 or 1).")
    if int(n_doctors) != n_doctors or not 2 <= n_doctors <= 200:
        raise ParameterError("n_doctors must be a whole number from 2 to 200.")
    k = int(patients_per_doctor)
    rho = float(single_reliability)
    within_sd = between_doctor_sd * math.sqrt((1.0 - rho) / rho)
    rng = np.random.default_rng(seed)
    true = np.sort(mean_score + between_doctor_sd * rng.standard_normal(n_doctors))
    noise = rng.standard_normal((n_doctors, _K_MAX))[:, :k]  # more patients extend the same doctors
    ratings = np.clip(np.rint(true[:, None] + within_sd * noise), CARE_MIN, CARE_MAX)
    mean = ratings.mean(axis=1)
    sem = ratings.std(axis=1, ddof=1) / math.sqrt(k)
    half = t_quantile(0.975, k - 1) * sem
    doctor = np.arange(1, n_doctors + 1)
    frame = pd.concat(
        [
            pd.DataFrame(
                {"doctor": doctor, "score": true, "low": true, "high": true, "kind": "True score (simulated)"}
            ),
            pd.DataFrame(
                {
                    "doctor": doctor,
                    "score": mean,
                    "low": np.maximum(mean - half, CARE_MIN),
                    "high": np.minimum(mean + half, CARE_MAX),
                    "kind": "Average of patients (simulated)",
                }
            ),
        ],
        ignore_index=True,
    )
    rank_r = spearman_rho(true, mean) if np.ptp(mean) > 0 else 0.0
    at_ceiling = float((ratings == CARE_MAX).mean())
    takeaway = (
        f"With {k} patients each, the 95% intervals are ±{np.mean(half):.1f} points on average and the "
        f"ranking of the doctors agrees with their true ranking at Spearman ρ = {rank_r:.2f}; "
        f"{at_ceiling:.0%} of the simulated ratings sit at the ceiling of 50."
    )
    return DemoOutput(
        {"doctors": frame}, takeaway, {"rank_r": rank_r, "mean_halfwidth": float(np.mean(half))}
    )


def care_scores_demo() -> Demo:
    """The notebook demo: 12 simulated doctors, their true scores and what k patient ratings show."""
    from empathy_explorer.app.charts import OKABE_ITO

    return lesson_demo(
        simulate_care_scores,
        scatter_chart(
            "doctors",
            x="doctor",
            y="score",
            series="kind",
            colors={
                "True score (simulated)": OKABE_ITO["black"],
                "Average of patients (simulated)": OKABE_ITO["blue"],
            },
            error_low="low",
            error_high="high",
            title="Twelve simulated doctors: true CARE score and what their patients' ratings show",
            subtitle="Simulated data; bars: 95% interval of each doctor's average (cut at the 10–50 range)",
            x_title="Doctor (ordered by true score)",
            y_title="CARE score (points, 10–50)",
            x_domain=(0, 13),
            y_domain=(25, 50),
        ),
        filename="care-scores",
        patients_per_doctor=labelled_slider(
            "Patients rating each doctor", min=2, max=_K_MAX, step=1, value=5, integer=True, unit="patients"
        ),
    )
