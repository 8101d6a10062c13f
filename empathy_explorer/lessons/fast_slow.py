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

:data:`QUESTIONS` holds the notebook's "check your understanding" questions (keyword arguments for
:func:`empathy_explorer.app.widgets.quiz`), so their feedback is tested with the package.

The models are illustrative and **not fitted to data**; every chart and takeaway says "simulated".
The fast/slow split is a teaching simplification: whether a subcortical "low road" matters is disputed
(Pessoa & Adolphs 2010).

References
----------
Dimberg, U., & Thunberg, M. (1998). Rapid facial reactions to emotional facial expressions.
Scandinavian Journal of Psychology, 39(1), 39–45. https://doi.org/10.1111/1467-9450.00054

Dimberg, U., Thunberg, M., & Elmehed, K. (2000). Unconscious facial reactions to emotional facial
expressions. Psychological Science, 11(1), 86–89. https://doi.org/10.1111/1467-9280.00221

Pessoa, L., & Adolphs, R. (2010). Emotion processing and the amygdala: from a "low road" to "many roads"
of evaluating biological significance. Nature Reviews Neuroscience, 11(11), 773–783.
https://doi.org/10.1038/nrn2920

Kilner, J. M., Friston, K. J., & Frith, C. D. (2007). Predictive coding: an account of the mirror neuron
system. Cognitive Processing, 8(3), 159–166. https://doi.org/10.1007/s10339-007-0170-2
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from empathy_explorer.app.charts import OKABE_ITO, bar_chart, line_chart
from empathy_explorer.app.widgets import Demo, DemoOutput, choice, labelled_slider, slider_group, toggle
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
    times = _every(result.times_ms)
    curves = (result.zygomaticus_uv, result.corrugator_uv, result.emg_difference_uv)
    emg = pd.DataFrame(
        {
            "time_ms": np.tile(times, len(curves)),
            "emg_uv": np.concatenate([_every(c) for c in curves]),
            "series": np.repeat(EMG_SERIES, times.size),
        }
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
    controls = slider_group(
        "Model settings",
        expression=choice(
            "Face shown", {"Happy": "happy", "Angry": "angry", "Neutral": "neutral"}, value="happy"
        ),
        fast_delay_ms=labelled_slider(
            "Delay of the fast route", min=0, max=500, step=10, value=250, integer=True, unit="ms"
        ),
        tau_fast_ms=labelled_slider(
            "Time constant of the fast route", min=20, max=500, step=10, value=150, integer=True, unit="ms"
        ),
    )
    chart = line_chart(
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
    )
    return Demo(controls, emg_timing, chart, filename="facial-emg")


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
    times = _every(result.times_ms)
    curves = (
        _every(result.fast_route),
        _every(result.slow_route),
        np.full(times.size, float(awareness_threshold)),
    )
    routes = pd.DataFrame(
        {
            "time_ms": np.tile(times, len(curves)),
            "activation": np.concatenate(curves),
            "series": np.repeat(ROUTE_SERIES, times.size),
        }
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
    controls = slider_group(
        "Model settings",
        face_duration_ms=labelled_slider(
            "How long the happy face is shown", min=10, max=500, step=10, value=30, integer=True, unit="ms"
        ),
        masked=toggle("A neutral face follows at once (backward mask)", value=True),
        awareness_threshold=labelled_slider(
            "Awareness threshold", min=0.05, max=0.95, step=0.05, value=0.3, unit="0–1"
        ),
        slow_delay_ms=labelled_slider(
            "Delay of the slow route", min=0, max=800, step=25, value=350, integer=True, unit="ms"
        ),
        tau_slow_ms=labelled_slider(
            "Time constant of the slow route", min=50, max=800, step=25, value=300, integer=True, unit="ms"
        ),
    )
    chart = line_chart(
        "routes",
        x="time_ms",
        y="activation",
        series="series",
        series_title="Route",
        colors=dict(
            zip(ROUTE_SERIES, (OKABE_ITO["vermillion"], OKABE_ITO["blue"], OKABE_ITO["black"]), strict=True)
        ),
        dashed=ROUTE_SERIES[2],
        title="A face you never saw: fast and slow routes after a brief happy face",
        subtitle="Two-route model · simulated · lines: EMG onset, then crossing of the assumed threshold",
        x_title="Time after the face appears (ms)",
        y_title="Activation (0–1, relative)",
        x_domain=(0, _WINDOW_MS),
        y_domain=(0, 1),
        vline="events",
    )
    return Demo(controls, masked_face, chart, filename="masked-face")


# --------------------------------------------------------------------------------------------------
# 3. To cure or to hurt: context and kinematics
# --------------------------------------------------------------------------------------------------

INTENTION_SERIES = ("P(to cure | movement and context)", "P(to cure | movement alone)")


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
    grid = result.kinematics_grid
    curves = pd.DataFrame(
        {
            "kinematics": np.tile(grid, 2),
            "probability": np.concatenate([result.posterior_curve, result.flat_prior_curve]),
            "series": np.repeat(INTENTION_SERIES, grid.size),
        }
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
    controls = slider_group(
        "Model settings",
        prior_cure=labelled_slider(
            "Context: P(to cure) before you see the movement",
            min=0.0,
            max=1.0,
            step=0.05,
            value=0.9,
            unit="0–1",
        ),
        kinematics=labelled_slider(
            "Observed movement (− curing-like, + hurting-like)",
            min=-3.0,
            max=3.0,
            step=0.1,
            value=0.0,
            unit="a.u.",
            readout_format=".1f",
        ),
        kinematic_noise=labelled_slider(
            "How blurred or variable the movement is", min=0.2, max=3.0, step=0.1, value=1.0, unit="a.u."
        ),
    )
    chart = line_chart(
        "curves",
        x="kinematics",
        y="probability",
        series="series",
        series_title="Inference",
        colors=dict(zip(INTENTION_SERIES, (OKABE_ITO["blue"], OKABE_ITO["orange"]), strict=True)),
        dashed=INTENTION_SERIES[1],
        title="To cure or to hurt? The same movement read in its context",
        subtitle="Bayesian model after Kilner, Friston & Frith 2007 · simulated · dots: the movement you saw",
        x_title="Observed movement (arbitrary units)",
        y_title="P(to cure) (probability, 0–1)",
        x_domain=(-5, 5),
        y_domain=(0, 1),
        points="marker",
        hline=0.5,
    )
    return Demo(controls, intention_posterior, chart, filename="to-cure-or-to-hurt")


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
    controls = slider_group(
        "Model settings",
        expect_exaggerating=labelled_slider(
            "Your expectation that this patient exaggerates",
            min=0.05,
            max=0.95,
            step=0.05,
            value=0.5,
            unit="0–1",
        ),
        pain_evidence=labelled_slider(
            "How clearly the face shows real pain (0 = ambiguous)",
            min=-3.0,
            max=3.0,
            step=0.1,
            value=0.0,
            unit="a.u.",
            readout_format=".1f",
        ),
        blur=labelled_slider(
            "How poorly you look (a brief glance, a busy shift)",
            min=0.2,
            max=3.0,
            step=0.1,
            value=1.0,
            unit="a.u.",
        ),
    )
    chart = bar_chart(
        "bars",
        x="view",
        y="probability",
        series="view",
        colors=dict(zip(PAIN_BARS, (OKABE_ITO["bluish_green"], OKABE_ITO["reddish_purple"]), strict=True)),
        title="The 'difficult' patient: is this grimace real pain?",
        subtitle="Bayesian model by analogy with Kilner, Friston & Frith 2007 · simulated",
        x_title="",
        y_title="P(real pain) (probability, 0–1)",
        y_domain=(0, 1),
        horizontal_categories=True,
        height=120,
    )
    return Demo(controls, difficult_patient, chart, filename="difficult-patient")


# --------------------------------------------------------------------------------------------------
# Check-your-understanding questions (keyword arguments for widgets.quiz)
# --------------------------------------------------------------------------------------------------

QUESTIONS: dict[str, dict] = {
    "masked": {
        "question": (
            "Look at the masked-face chart at its starting settings (a 30 ms happy face, masked). What does "
            "it show, and what can the model NOT tell you about Dimberg, Thunberg & Elmehed's (2000) "
            "finding?"
        ),
        "options": [
            "EMG responds, the slow route stays below threshold; whether people truly saw nothing depends "
            "on the awareness check, not on the model.",
            "The slow route crosses the awareness threshold, but only after the EMG response, so the face "
            "is seen too late to be reported.",
            "The EMG responds although the slow route never crosses its threshold, which shows that the "
            "participants were unaware of the faces.",
        ],
        "correct": 0,
        "explanations": [
            "In the model the mask cuts the input of the slow route only. The threshold is a model "
            "assumption; whether people were unaware is an empirical question about the awareness check: "
            "with signal-detection measures, 64% of participants in Pessoa, Japee & Ungerleider (2005) "
            "reliably detected 33 ms masked fearful faces.",
            "Read the blue curve: with the mask it peaks well below the dashed threshold, and only one "
            "vertical line (the EMG onset) is drawn.",
            "The model's awareness threshold is an assumption we chose, so the model shows only that a "
            "response without awareness is possible in principle. Whether participants were unaware depends "
            "on how awareness was tested; signal-detection checks found that many people can detect 33 ms "
            "masked faces (Pessoa, Japee & Ungerleider 2005).",
        ],
    },
    "low_road": {
        "question": (
            "A lecture slide says: 'Fearful faces reach the amygdala by a fast subcortical low road that "
            "bypasses the cortex.' What is the fairest summary of the human evidence?"
        ),
        "options": [
            "Debated: a pulvinar–amygdala pathway was found in people (McFadyen et al. 2019); Pessoa & "
            "Adolphs (2010) argue it plays no prominent part.",
            "Settled in favour: LeDoux's fear-conditioning work in rats showed the route, so human face "
            "perception must work the same way.",
            "Settled against: studies have shown that no subcortical pathway to the amygdala exists in "
            "people.",
        ],
        "correct": 0,
        "explanations": [
            "Both sides have human data: diffusion imaging of 622 people found the pathway and tied its "
            "fibre density to fear recognition (McFadyen et al. 2019); Pessoa & Adolphs (2010) review "
            "anatomical and physiological data against a prominent role. The model's 'fast route' is a "
            "timing idea and takes no side.",
            "LeDoux's 'low road' comes from fear conditioning in rats (reviewed in LeDoux 2000); whether the "
            "same route does the work for faces in people is exactly what is disputed.",
            "McFadyen et al. (2019) reconstructed such a pathway in people; the dispute is about how much it "
            "matters, not whether any fibres exist.",
        ],
    },
    "context": {
        "question": (
            "In the 'to cure or to hurt' demo, set the context to 0.9 (an operating theatre) and the "
            "movement to +1.5 (hurting-like). Now move the blur from 3.0 down to 0.5. What happens to "
            "the conclusion?"
        ),
        "options": [
            "Blurred, the context wins ('to cure', P about 88%); seen clearly, the movement overrules the "
            "context ('to hurt', P(to cure) about 2%).",
            "It stays 'to hurt' at every blur: a hurting-like movement always overrules the context.",
            "It stays 'to cure' at every blur: in an operating theatre the context always wins.",
        ],
        "correct": 0,
        "explanations": [
            "The prior (context) dominates when the likelihood is flat (a blurred movement); a sharp "
            "likelihood can outweigh it. Kilner, Friston & Frith (2007) use the scalpel example, which they "
            "borrow from Jacob & Jeannerod (2005), to make the same point about context.",
            "At blur 3.0 the dot on the blue curve sits near 0.88: the movement is too uncertain to "
            "overrule a strong context.",
            "At blur 0.5 the blue curve drops steeply and the dot falls near 0.02: a clear movement can "
            "overrule even a strong context.",
        ],
    },
    "difficult": {
        "question": (
            "The handover says a patient 'exaggerates' (expectation 0.8). Their grimace shows some evidence "
            "of pain (+1.0) but you only glance at it (blur 3.0). In the model, which change lets the "
            "patient's face count most?"
        ),
        "options": [
            "Looking closely: the label decides while evidence is weak; at blur 0.5 perceived P(real pain) "
            "rises from about 22% to about 93%.",
            "Trusting the label a little less (0.8 → 0.6) while still glancing: perceived P(real pain) rises "
            "to about 43%, more than a careful look would give.",
            "Neither helps much: once a label is given, the model's perception follows it whatever the "
            "evidence.",
        ],
        "correct": 0,
        "explanations": [
            "Both changes help, but the careful look helps most: with clear evidence the likelihood "
            "overrules the prior. This is a model of how bias could work, not a measurement in a clinic.",
            "Try both: doubting the label raises the bar to about 43%, a careful look to about 93%. Doing "
            "both is better still.",
            "Move the blur slider: with a clear view the evidence wins even against a strong prior.",
        ],
    },
}
