"""Demos and questions for notebook 03, "Fast smile, slow thought" (simulated, illustrative models).

Four demos, each a plain ``compute`` function returning a :class:`~empathy_explorer.app.widgets.DemoOutput`
and a builder returning a :class:`~empathy_explorer.app.widgets.Demo` (controls + a chart updated in place):

- :func:`emg_timing` / :func:`emg_timing_demo` -- the facial EMG after a happy or angry face: the
  smile-minus-frown difference appears within 300–400 ms (Dimberg & Thunberg 1998).
- :func:`masked_face` / :func:`masked_face_demo` -- a 30 ms face followed by a mask moves the fast route
  (and the EMG) but the slow route never reaches awareness (Dimberg, Thunberg & Elmehed 2000).
- :func:`intention_posterior` / :func:`intention_demo` -- the same movement "to cure" or "to hurt",
  settled by the context prior (Kilner, Friston & Frith 2007).
- :func:`difficult_patient` / :func:`difficult_patient_demo` -- the same inference applied, by analogy,
  to an ambiguous expression of pain when we expect a "difficult" patient to exaggerate.

:data:`QUESTIONS` (written in :mod:`~empathy_explorer.lessons.fast_slow_quiz`, re-exported here) holds the
notebook's "check your understanding" questions (keyword arguments for
:func:`empathy_explorer.app.widgets.quiz`), so their feedback is tested with the package.

The models are illustrative and **not fitted to data**; every chart and takeaway says "simulated".
The fast/slow split is a teaching simplification: whether a subcortical "low road" matters is disputed
(Pessoa & Adolphs 2010).

References
----------
Full entries in ``docs/references.bib``: ``dimberg1998rapid``, ``dimberg2000unconscious``,
``pessoa2010emotion`` and ``kilner2007predictive``.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd

from empathy_explorer.app.charts import OKABE_ITO, line_chart
from empathy_explorer.app.widgets import Demo, DemoOutput, choice, labelled_slider, toggle
from empathy_explorer.lessons._page import lesson_demo, long_frame, ms_slider, share_slider, two_bars_chart
from empathy_explorer.lessons.fast_slow_quiz import QUESTIONS
from empathy_explorer.models import fast_slow_routes, infer_intention

__all__ = [
    "EMG_SERIES",
    "INTENTION_SERIES",
    "PAIN_BARS",
    "PAIN_INTENTIONS",
    "PUBLISHED_EMG_WINDOW_MS",
    "QUESTIONS",
    "ROUTE_SERIES",
    "difficult_patient",
    "difficult_patient_demo",
    "emg_timing",
    "emg_timing_demo",
    "intention_demo",
    "intention_posterior",
    "masked_face",
    "masked_face_demo",
]

#: Dimberg & Thunberg (1998): the EMG difference is detectable after 300–400 ms of exposure.
PUBLISHED_EMG_WINDOW_MS = (300.0, 400.0)
#: Display step of the time courses, ms (the model runs on a 1 ms grid; timings use the full grid).
_DISPLAY_STEP_MS = 5
_WINDOW_MS = 1500.0

EMG_SERIES = (
    "zygomaticus (smile muscle)",
    "corrugator (frown muscle)",
    "zygomaticus − corrugator",
)
ROUTE_SERIES = (
    "fast route (drives the face)",
    "slow route (awareness)",
    "awareness threshold (slow route)",
)


def _every(values: np.ndarray) -> np.ndarray:
    return np.asarray(values)[::_DISPLAY_STEP_MS]


# --------------------------------------------------------------------------------------------------
# 1. Facial EMG within 300–400 ms
# --------------------------------------------------------------------------------------------------


def emg_timing(
    expression: str = "happy", fast_delay_ms: float = 250.0, tau_fast_ms: float = 150.0
) -> DemoOutput:
    """Simulated facial EMG after a face appears, and when it counts as a response.

    Parameters
    ----------
    expression : {"happy", "angry", "neutral"}, default "happy"
        The face shown (for 500 ms, unmasked).
    fast_delay_ms : float, default 250
        Delay of the fast route, ms (illustrative, tuned to Dimberg & Thunberg 1998).
    tau_fast_ms : float, default 150
        Time constant of the fast route, ms (illustrative).

    Returns
    -------
    DemoOutput
        Dataset ``emg`` (``time_ms``, ``emg_uv``, ``series``; every 5 ms) with the three
        :data:`EMG_SERIES`, and ``onset`` (``time_ms`` of the EMG response; no row if there is none);
        ``extra["emg_onset_ms"]`` (None if no response).

    Examples
    --------
    >>> 300 <= emg_timing("happy").extra["emg_onset_ms"] <= 400
    True
    >>> emg_timing("neutral").extra["emg_onset_ms"] is None
    True

    References
    ----------
    Dimberg & Thunberg (1998), Scand J Psychol 39:39–45.
    """
    result = fast_slow_routes(expression=expression, fast_delay_ms=fast_delay_ms, tau_fast_ms=tau_fast_ms)
    curves = (result.zygomaticus_uv, result.corrugator_uv, result.emg_difference_uv)
    emg = long_frame(
        "time_ms",
        _every(result.times_ms),
        "emg_uv",
        "series",
        dict(zip(EMG_SERIES, map(_every, curves), strict=True)),
    )
    onset_ms = result.emg_onset_ms
    onset = pd.DataFrame({"time_ms": [] if onset_ms is None else [onset_ms]}, dtype=float)
    low, high = PUBLISHED_EMG_WINDOW_MS
    if onset_ms is None:
        takeaway = (
            f"A {expression} face gives no differential EMG response in {_WINDOW_MS:.0f} ms: "
            "the smile and frown muscles have nothing to mirror (simulated)."
        )
    else:
        where = "inside" if low <= onset_ms <= high else "outside"
        takeaway = (
            f"The facial muscles respond to the {expression} face {onset_ms:.0f} ms after it appears, "
            f"{where} the {low:.0f}–{high:.0f} ms Dimberg & Thunberg (1998) measured (simulated)."
        )
    return DemoOutput({"emg": emg, "onset": onset}, takeaway, {"emg_onset_ms": onset_ms})


def emg_timing_demo() -> Demo:
    """Notebook 03, section 1: expression and the fast route's delay and speed → facial EMG over time."""
    return lesson_demo(
        emg_timing,
        line_chart(
            "emg",
            x="time_ms",
            y="emg_uv",
            series="series",
            series_title="Facial EMG",
            colors=dict(
                zip(EMG_SERIES, (OKABE_ITO["orange"], OKABE_ITO["blue"], OKABE_ITO["black"]), strict=True)
            ),
            title="Your face answers a face: facial muscle activity after the picture appears",
            subtitle="Fast-route model · simulated · dashed line: EMG response onset (measured: 300–400 ms)",
            x_title="Time after the face appears (ms)",
            y_title="EMG change from baseline (µV)",
            x_domain=(0, _WINDOW_MS),
            y_domain=(-1.05, 1.05),
            vline="onset",
        ),
        filename="facial-emg",
        title="Model settings",
        expression=choice(
            "Face shown", {"Happy": "happy", "Angry": "angry", "Neutral": "neutral"}, value="happy"
        ),
        fast_delay_ms=ms_slider("Delay of the fast route", low=0, high=500, step=10, value=250),
        tau_fast_ms=ms_slider("Time constant of the fast route", low=20, high=500, step=10, value=150),
    )


# --------------------------------------------------------------------------------------------------
# 2. Masked faces: EMG without awareness
# --------------------------------------------------------------------------------------------------


def masked_face(
    face_duration_ms: float = 30.0,
    masked: bool = True,
    awareness_threshold: float = 0.3,
    slow_delay_ms: float = 350.0,
    tau_slow_ms: float = 300.0,
) -> DemoOutput:
    """Fast and slow routes after a brief (optionally masked) happy face (simulated).

    Parameters
    ----------
    face_duration_ms : float, default 30
        How long the happy face is shown, ms (30 ms as in Dimberg, Thunberg & Elmehed 2000).
    masked : bool, default True
        Whether a neutral face follows at once (backward mask); it cuts the trace for the slow route only.
    awareness_threshold : float, default 0.3
        Slow-route level (0–1) at which the face is consciously seen (illustrative).
    slow_delay_ms, tau_slow_ms : float, default 350 and 300
        Delay and time constant of the slow route, ms (illustrative).

    Returns
    -------
    DemoOutput
        Dataset ``routes`` (``time_ms``, ``activation``, ``series``; every 5 ms) with the
        :data:`ROUTE_SERIES` (the threshold as a flat line), and ``events`` (``time_ms`` of the EMG onset
        and of awareness, when they happen); ``extra`` has ``emg_onset_ms``, ``awareness_time_ms``,
        ``reached_awareness`` and ``peak_slow``.

    Examples
    --------
    >>> out = masked_face(30, masked=True)
    >>> out.extra["emg_onset_ms"] is not None, out.extra["reached_awareness"]
    (True, False)

    References
    ----------
    Dimberg, Thunberg & Elmehed (2000), Psychol Sci 11:86–89.
    """
    result = fast_slow_routes(
        face_duration_ms=face_duration_ms,
        masked=masked,
        awareness_threshold=awareness_threshold,
        slow_delay_ms=slow_delay_ms,
        tau_slow_ms=tau_slow_ms,
    )
    curves = (_every(result.fast_route), _every(result.slow_route), float(awareness_threshold))
    routes = long_frame(
        "time_ms",
        _every(result.times_ms),
        "activation",
        "series",
        dict(zip(ROUTE_SERIES, curves, strict=True)),
    )
    events = [t for t in (result.emg_onset_ms, result.awareness_time_ms) if t is not None]
    mask_txt = "masked" if masked else "unmasked"
    face = f"A {face_duration_ms:g} ms {mask_txt} happy face"
    if result.emg_onset_ms is None:
        emg_txt = "does not move the facial muscles enough to count as a response"
    else:
        emg_txt = f"moves the facial muscles at {result.emg_onset_ms:.0f} ms"
    if result.reached_awareness:
        aware_txt = (
            f"the slow route crosses the model's awareness threshold at {result.awareness_time_ms:.0f} ms "
            "(an assumed threshold, not a measured time)"
        )
    else:
        aware_txt = (
            f"the slow route peaks at {result.peak_slow:.2f}, below the model's assumed awareness threshold "
            f"of {awareness_threshold:.2f}"
        )
    takeaway = f"{face} {emg_txt}; {aware_txt} (simulated, a model, not a measurement)."
    return DemoOutput(
        {"routes": routes, "events": pd.DataFrame({"time_ms": events}, dtype=float)},
        takeaway,
        {
            "emg_onset_ms": result.emg_onset_ms,
            "awareness_time_ms": result.awareness_time_ms,
            "reached_awareness": result.reached_awareness,
            "peak_slow": result.peak_slow,
        },
    )


def masked_face_demo() -> Demo:
    """Notebook 03, section 2: face duration, mask and the slow route → both routes over time."""
    return lesson_demo(
        masked_face,
        line_chart(
            "routes",
            x="time_ms",
            y="activation",
            series="series",
            series_title="Route",
            colors=dict(
                zip(
                    ROUTE_SERIES,
                    (OKABE_ITO["vermillion"], OKABE_ITO["blue"], OKABE_ITO["black"]),
                    strict=True,
                )
            ),
            dashed=ROUTE_SERIES[2],
            title="A face you never saw: fast and slow routes after a brief happy face",
            subtitle="Two-route model · simulated · lines: EMG onset, then crossing of the assumed threshold",
            x_title="Time after the face appears (ms)",
            y_title="Activation (0–1, relative)",
            x_domain=(0, _WINDOW_MS),
            y_domain=(0, 1),
            vline="events",
        ),
        filename="masked-face",
        title="Model settings",
        face_duration_ms=ms_slider("How long the happy face is shown", low=10, high=500, step=10, value=30),
        masked=toggle("A neutral face follows at once (backward mask)", value=True),
        awareness_threshold=share_slider("Awareness threshold", 0.3, low=0.05, high=0.95),
        slow_delay_ms=ms_slider("Delay of the slow route", low=0, high=800, step=25, value=350),
        tau_slow_ms=ms_slider("Time constant of the slow route", low=50, high=800, step=25, value=300),
    )


# --------------------------------------------------------------------------------------------------
# 3. To cure or to hurt: context and kinematics
# --------------------------------------------------------------------------------------------------

INTENTION_SERIES = ("P(to cure | movement and context)", "P(to cure | movement alone)")


def _inference_controls(
    *, prior: tuple[str, widgets.ValueWidget], evidence: tuple[str, str], blur: tuple[str, str]
) -> dict[str, widgets.ValueWidget]:
    """The Bayesian model's three controls: a prior, the evidence seen (−3 to 3) and how blurred it is.

    Each argument is (parameter name, slider or slider label); the two inference demos differ only in
    what the three stand for.
    """
    return {
        prior[0]: prior[1],
        evidence[0]: labelled_slider(
            evidence[1], min=-3.0, max=3.0, step=0.1, value=0.0, unit="a.u.", readout_format=".1f"
        ),
        blur[0]: labelled_slider(blur[1], min=0.2, max=3.0, step=0.1, value=1.0, unit="a.u."),
    }


def intention_posterior(
    prior_cure: float = 0.9, kinematics: float = 0.0, kinematic_noise: float = 1.0
) -> DemoOutput:
    """P("to cure") over observed movements, with this context and with no context (Bayesian model).

    Parameters
    ----------
    prior_cure : float, default 0.9
        P(to cure) from the context before the movement is seen, 0–1 (0.9: an operating theatre;
        illustrative).
    kinematics : float, default 0.0
        The observed movement, arbitrary units (−5 to 5; negative looks like curing, positive like
        hurting, 0 is ambiguous).
    kinematic_noise : float, default 1.0
        How variable or poorly seen the movement is (σ, > 0 to 10).

    Returns
    -------
    DemoOutput
        Dataset ``curves`` (``kinematics``, ``probability``, ``series``: with context / movement alone)
        and ``marker`` (the observed movement on both curves); ``extra`` has ``posterior_cure`` and
        ``most_likely``.

    Examples
    --------
    >>> intention_posterior(prior_cure=0.9).extra["most_likely"]
    'to cure'
    >>> intention_posterior(prior_cure=0.1).extra["most_likely"]
    'to hurt'

    References
    ----------
    Kilner, Friston & Frith (2007), Cogn Process 8:159–166.
    """
    result = infer_intention(prior_cure=prior_cure, kinematics=kinematics, kinematic_noise=kinematic_noise)
    with_context, alone = INTENTION_SERIES
    curves = long_frame(
        "kinematics",
        result.kinematics_grid,
        "probability",
        "series",
        {with_context: result.posterior_curve, alone: result.flat_prior_curve},
    )
    marker = pd.DataFrame(
        {
            "kinematics": [kinematics, kinematics],
            "probability": [result.posterior_first, result.likelihood[0]],
            "series": [with_context, alone],
        }
    )
    takeaway = (
        f"With a context that makes 'to cure' {prior_cure:.0%} likely beforehand, this movement is read "
        f"as '{result.most_likely}' (P(to cure) = {result.posterior_first:.0%}); the movement alone "
        f"would say {result.likelihood[0]:.0%} (simulated)."
    )
    return DemoOutput(
        {"curves": curves, "marker": marker},
        takeaway,
        {"posterior_cure": result.posterior_first, "most_likely": result.most_likely},
    )


def intention_demo() -> Demo:
    """Notebook 03, section 4: context prior, observed movement and noise → P(to cure)."""
    return lesson_demo(
        intention_posterior,
        line_chart(
            "curves",
            x="kinematics",
            y="probability",
            series="series",
            series_title="Inference",
            colors=dict(zip(INTENTION_SERIES, (OKABE_ITO["blue"], OKABE_ITO["orange"]), strict=True)),
            dashed=INTENTION_SERIES[1],
            title="To cure or to hurt? The same movement read in its context",
            subtitle=(
                "Bayesian model after Kilner, Friston & Frith 2007 · simulated · dots: the movement you saw"
            ),
            x_title="Observed movement (arbitrary units)",
            y_title="P(to cure) (probability, 0–1)",
            x_domain=(-5, 5),
            y_domain=(0, 1),
            points="marker",
            hline=0.5,
        ),
        filename="to-cure-or-to-hurt",
        title="Model settings",
        **_inference_controls(
            prior=("prior_cure", share_slider("Context: P(to cure) before you see the movement", 0.9)),
            evidence=("kinematics", "Observed movement (− curing-like, + hurting-like)"),
            blur=("kinematic_noise", "How blurred or variable the movement is"),
        ),
    )


# --------------------------------------------------------------------------------------------------
# 4. The "difficult" patient: expectation biases perception (by analogy)
# --------------------------------------------------------------------------------------------------

PAIN_INTENTIONS = ("in real pain", "exaggerating")
PAIN_BARS = ("The face alone", "You, with your expectation")


def difficult_patient(
    expect_exaggerating: float = 0.5, pain_evidence: float = 0.0, blur: float = 1.0
) -> DemoOutput:
    """How an expectation about a patient shifts what an ambiguous expression is perceived as (model).

    The Bayesian intention model of :func:`intention_posterior`, applied by analogy to a grimace that may
    show real pain or exaggeration. This shows how expectations *could* bias perception; it is not
    evidence that they do in a particular clinic.

    Parameters
    ----------
    expect_exaggerating : float, default 0.5
        Your expectation, before looking, that this patient exaggerates, 0–1 (e.g. after being told the
        patient is "difficult").
    pain_evidence : float, default 0.0
        How clearly the face shows real pain, arbitrary units (−3 to 3; 0 = ambiguous, + = clearly in
        pain, − = looks put on).
    blur : float, default 1.0
        How poorly you see it (a brief glance, a busy shift), > 0 to 10.

    Returns
    -------
    DemoOutput
        Dataset ``bars`` (``view``, ``probability`` of real pain, ``view`` as colour); ``extra`` has
        ``perceived_pain`` and ``evidence_pain``.

    Examples
    --------
    >>> out = difficult_patient(expect_exaggerating=0.8, pain_evidence=0.0)
    >>> round(out.extra["evidence_pain"], 2), round(out.extra["perceived_pain"], 2)
    (0.5, 0.2)

    References
    ----------
    Kilner, Friston & Frith (2007), Cogn Process 8:159–166 (the inference; the clinical analogy is ours).
    """
    result = infer_intention(
        prior_cure=1.0 - float(expect_exaggerating),
        kinematics=-float(pain_evidence),
        kinematic_noise=blur,
        intentions=PAIN_INTENTIONS,
    )
    evidence, perceived = float(result.likelihood[0]), float(result.posterior_first)
    bars = pd.DataFrame({"view": list(PAIN_BARS), "probability": [evidence, perceived]})
    gap = perceived - evidence
    if abs(gap) < 0.05:
        shift = "your expectation hardly changes what you perceive"
    elif gap < 0:
        shift = f"your expectation pulls it down by {-gap * 100:.0f} percentage points"
    else:
        shift = f"your expectation pushes it up by {gap * 100:.0f} percentage points"
    takeaway = (
        f"The face alone says P(real pain) = {evidence:.0%}; you perceive {perceived:.0%}: {shift} "
        "(simulated; a model of how bias could work, not a measurement)."
    )
    return DemoOutput({"bars": bars}, takeaway, {"perceived_pain": perceived, "evidence_pain": evidence})


def difficult_patient_demo() -> Demo:
    """Notebook 03, section 5: expectation, clarity of the face and blur → perceived P(real pain)."""
    return lesson_demo(
        difficult_patient,
        two_bars_chart(
            "view",
            "probability",
            PAIN_BARS,
            title="The 'difficult' patient: is this grimace real pain?",
            subtitle="Bayesian model by analogy with Kilner, Friston & Frith 2007 · simulated",
            x_title="",
            y_title="P(real pain) (probability, 0–1)",
        ),
        filename="difficult-patient",
        title="Model settings",
        **_inference_controls(
            prior=(
                "expect_exaggerating",
                share_slider("Your expectation that this patient exaggerates", 0.5, low=0.05, high=0.95),
            ),
            evidence=("pain_evidence", "How clearly the face shows real pain (0 = ambiguous)"),
            blur=("blur", "How poorly you look (a brief glance, a busy shift)"),
        ),
    )
