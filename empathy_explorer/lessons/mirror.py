"""Demos and questions for notebook 02, "Could mirror neurons be learned?" (simulated, illustrative models).

Four demos, each a plain ``compute`` function returning a :class:`~empathy_explorer.app.widgets.DemoOutput`
and a builder returning a :class:`~empathy_explorer.app.widgets.Demo` (sliders + a chart updated in place):

- :func:`hebbian_training` / :func:`hebbian_training_demo` -- how often you see your own action
  (contingency), the learning rate and the number of trials decide which STS→premotor links grow under
  spike-timing-dependent plasticity: with a 200 ms sight delay, links to the NEXT phase of the action
  (Keysers & Gazzola 2014).
- :func:`hebbian_timing` / :func:`hebbian_timing_demo` -- the sight delay decides where the learned links
  sit in the seen-phase × motor-phase matrix (one step off the diagonal at ~200 ms, on it at ~0 ms) and
  whether premotor cortex runs ahead of the sight when watching someone else.
- :func:`being_imitated` / :func:`being_imitated_demo` -- a smile is "perceptually opaque": it becomes
  mirrored only if others imitate you (associative sequence learning; Catmur, Walsh & Heyes 2009).
- :func:`counter_mirror` / :func:`counter_mirror_demo` -- counter-mirror training reverses the mapping
  (Catmur, Walsh & Heyes 2007: muscle-specific TMS responses during watching were reversed).

:data:`QUESTIONS` holds the notebook's "check your understanding" questions (keyword arguments for
:func:`empathy_explorer.app.widgets.quiz`), so their feedback is tested with the package.

All numbers come from teaching models that are **not fitted to data**: they are labelled "simulated" in
every chart and takeaway.

References
----------
Keysers, C., & Gazzola, V. (2014). Hebbian learning and predictive mirror neurons for actions, sensations
and emotions. Phil. Trans. R. Soc. B, 369, 20130175. https://doi.org/10.1098/rstb.2013.0175

Bi, G., & Poo, M. (1998). Synaptic modifications in cultured hippocampal neurons: dependence on spike
timing, synaptic strength, and postsynaptic cell type. J. Neurosci., 18(24), 10464–10472.
https://doi.org/10.1523/JNEUROSCI.18-24-10464.1998

Catmur, C., Walsh, V., & Heyes, C. (2007). Sensorimotor learning configures the human mirror system.
Current Biology, 17(17), 1527–1531. https://doi.org/10.1016/j.cub.2007.08.006

Catmur, C., Walsh, V., & Heyes, C. (2009). Associative sequence learning: the role of experience in the
development of imitation and the mirror system. Phil. Trans. R. Soc. B, 364, 2369–2380.
https://doi.org/10.1098/rstb.2009.0048

Hickok, G. (2009). Eight problems for the mirror neuron theory of action understanding in monkeys and
humans. Journal of Cognitive Neuroscience, 21(7), 1229–1243. https://doi.org/10.1162/jocn.2009.21189
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from empathy_explorer.app.charts import OKABE_ITO, line_chart
from empathy_explorer.app.widgets import Demo, DemoOutput, choice, labelled_slider, slider_group
from empathy_explorer.models import associative_sequence_learning, hebbian_mirror_learning

__all__ = [
    "COUNTER_MIRROR_LABELS",
    "FACE_LABELS",
    "INDEX_SERIES",
    "LINK_SERIES",
    "QUESTIONS",
    "being_imitated",
    "being_imitated_demo",
    "counter_mirror",
    "counter_mirror_demo",
    "hebbian_timing",
    "hebbian_timing_demo",
    "hebbian_training",
    "hebbian_training_demo",
]

#: The two facial actions of the "being imitated" demo.
FACE_LABELS = ("smile", "frown")
#: The two hand actions of the counter-mirror demo.
COUNTER_MIRROR_LABELS = ("action A", "action B")
#: Display step of the within-trial time courses, ms (the model runs on a 1 ms grid).
_DISPLAY_STEP_MS = 5
_MAX_TRIALS = 500


# --------------------------------------------------------------------------------------------------
# 1. Hebbian training: contingency, learning rate, trials
# --------------------------------------------------------------------------------------------------

#: The two kinds of learned link the training chart follows (mean over the phases of the action).
LINK_SERIES = (
    "sight of phase n → program of phase n+1 (predicts)",
    "sight of phase n → program of phase n (same phase)",
)


def _strength(weight: float) -> str:
    if weight >= 0.3:
        return "a strong link"
    if weight >= 0.1:
        return "a weak link"
    return "almost no link"


def hebbian_training(
    contingency: float = 1.0, learning_rate: float = 0.03, n_trials: int = 200
) -> DemoOutput:
    """Learned STS→PM links over training trials in the STDP model, sight delay 200 ms (simulated).

    Parameters
    ----------
    contingency : float, default 1.0
        P(see | do), 0–1: how often you see your own action when you do it.
    learning_rate : float, default 0.03
        Fraction of the remaining distance to the maximum gained per seen trial, 0–1 (illustrative).
    n_trials : int, default 200
        Training trials, 1–500.

    Returns
    -------
    DemoOutput
        Datasets ``history`` (``trial``, ``weight``, ``link``): the mean "next phase" and "same phase"
        links (:data:`LINK_SERIES`) after each trial, and ``marker`` (their values at the last trial);
        ``extra`` has ``next_link``, ``same_link`` and ``mirror_ratio`` (peak premotor activity when
        watching ÷ when doing).

    Examples
    --------
    >>> hebbian_training(contingency=0.0).extra["next_link"]
    0.0
    >>> out = hebbian_training(contingency=1.0)
    >>> out.extra["next_link"] > 0.3 > out.extra["same_link"]
    True

    References
    ----------
    Keysers & Gazzola (2014), Phil Trans R Soc B 369:20130175.
    """
    result = hebbian_mirror_learning(contingency=contingency, learning_rate=learning_rate, n_trials=n_trials)
    next_history, same_history = result.link_history(1), result.link_history(0)
    trials = result.trials
    history = pd.DataFrame(
        {
            "trial": np.tile(trials, 2),
            "weight": np.concatenate([next_history, same_history]),
            "link": np.repeat(LINK_SERIES, trials.size),
        }
    )
    next_link, same_link = float(next_history[-1]), float(same_history[-1])
    marker = pd.DataFrame(
        {"trial": [int(trials[-1])] * 2, "weight": [next_link, same_link], "link": list(LINK_SERIES)}
    )
    takeaway = (
        f"After {result.parameters['n_trials']} trials in which you see your own action "
        f"{contingency:.0%} of the time, the sight of each phase drives the program of the NEXT phase "
        f"with {_strength(next_link)} ({next_link:.2f}) and of the same phase with {_strength(same_link)} "
        f"({same_link:.2f}) (simulated, a model, not a measurement)."
    )
    return DemoOutput(
        {"history": history, "marker": marker},
        takeaway,
        {"next_link": next_link, "same_link": same_link, "mirror_ratio": result.mirror_ratio},
    )


def hebbian_training_demo() -> Demo:
    """Notebook 02, going further: contingency, learning rate and trials → learned links over training."""
    controls = slider_group(
        "Model settings",
        contingency=labelled_slider(
            "How often you see your own action, P(see | do)",
            min=0.0,
            max=1.0,
            step=0.05,
            value=1.0,
            unit="0–1",
        ),
        learning_rate=labelled_slider(
            "Learning rate η",
            min=0.0,
            max=0.2,
            step=0.005,
            value=0.03,
            unit="per trial",
            readout_format=".3f",
        ),
        n_trials=labelled_slider(
            "Training trials", min=1, max=_MAX_TRIALS, step=1, value=200, integer=True, unit="count"
        ),
    )
    chart = line_chart(
        "history",
        x="trial",
        y="weight",
        series="link",
        series_title="Learned link",
        colors=dict(zip(LINK_SERIES, (OKABE_ITO["blue"], OKABE_ITO["vermillion"]), strict=True)),
        title="Learning while you act: which STS→premotor links grow?",
        subtitle="STDP model after Keysers & Gazzola 2014 · sight 200 ms after the program · simulated",
        x_title="Training trial (count)",
        y_title="Mean link strength (0–1)",
        x_domain=(0, _MAX_TRIALS),
        y_domain=(0, 1),
        points="marker",
    )
    return Demo(controls, hebbian_training, chart, filename="hebbian-training")


# --------------------------------------------------------------------------------------------------
# 2. Timing: the sight delay decides WHICH link is learned, and whether PM predicts
# --------------------------------------------------------------------------------------------------


def _watching_series(phase: int) -> tuple[str, str]:
    return (f"STS: sight of phase {phase}", f"premotor: program of phase {phase}")


def hebbian_timing(sight_delay_ms: float = 200.0, contingency: float = 1.0) -> DemoOutput:
    """Learned weight matrix and the premotor response while watching, for a given sight delay (simulated).

    Parameters
    ----------
    sight_delay_ms : float, default 200
        How long after premotor cortex programs a phase its sight reaches STS, ms (−1000 to 1000;
        negative = the sight comes first). About +200 ms (Keysers & Gazzola 2014).
    contingency : float, default 1.0
        P(see | do), 0–1: how often you see your own action while learning (0: nothing is learned).

    Returns
    -------
    DemoOutput
        Datasets ``matrix`` (``seen_phase``, ``motor_phase``, ``weight``: the learned links after 200
        trials), ``watching`` (``time_ms``, ``activity``, ``series``; every 5 ms) with the STS sight and
        the premotor program of the middle phase while watching someone else after training, and
        ``onsets`` (``time_ms`` of each curve's half-maximum onset); ``extra`` has ``link_offset``
        (+1: links point to the next phase, 0: to the same phase; None: nothing learned),
        ``pm_lead_ms`` (positive: premotor starts before the sight) and ``mirror_ratio``.

    Examples
    --------
    >>> hebbian_timing(200).extra["link_offset"]
    1
    >>> hebbian_timing(0).extra["link_offset"]
    0
    >>> hebbian_timing(200, contingency=0.0).extra["link_offset"] is None
    True
    """
    result = hebbian_mirror_learning(sight_delay_ms=sight_delay_ms, contingency=contingency)
    n = result.n_phases
    matrix = pd.DataFrame(
        {
            "seen_phase": np.repeat(np.arange(1, n + 1), n),
            "motor_phase": np.tile(np.arange(1, n + 1), n),
            "weight": result.weights.ravel(),
        }
    )
    keep = slice(None, None, _DISPLAY_STEP_MS)
    times = result.times_ms[keep]
    k = result.shown_phase
    names = _watching_series(k + 1)
    watching = pd.DataFrame(
        {
            "time_ms": np.tile(times, 2),
            "activity": np.concatenate([result.sts_watching[k][keep], result.premotor_watching[k][keep]]),
            "series": np.repeat(names, times.size),
        }
    )
    onset_times = []
    for trace in (result.sts_watching[k], result.premotor_watching[k]):
        peak = float(trace.max())
        if peak >= 0.05:
            onset_times.append(float(result.times_ms[int(np.argmax(trace >= 0.5 * peak))]))
    onsets = pd.DataFrame({"time_ms": onset_times}, dtype=float)
    offset, lead = result.link_offset, result.pm_lead_ms
    when = "after" if sight_delay_ms > 0 else "before" if sight_delay_ms < 0 else "at the same time as"
    shown = f"{abs(sight_delay_ms):g} ms " if sight_delay_ms else ""
    if offset is None or lead is None:
        never = " (you never saw your own action)" if contingency == 0 else ""
        learned = f"nothing was learned{never}, and watching leaves premotor cortex silent"
    else:
        if offset == 0:
            target = "the SAME phase (the diagonal)"
        elif offset == 1:
            target = "the NEXT phase (one step off the diagonal)"
        elif offset > 0:
            target = f"the phase {offset} step{'s' if offset > 1 else ''} AHEAD (off the diagonal)"
        else:
            target = f"the phase {-offset} step{'s' if offset < -1 else ''} BEHIND (below the diagonal)"
        if lead >= 50:
            timing = f"premotor starts about {lead:.0f} ms BEFORE the sight: it predicts"
        elif lead <= -50:
            timing = f"premotor starts about {-lead:.0f} ms AFTER the sight: it lags"
        else:
            timing = "premotor starts together with the sight: it mirrors, it does not predict"
        learned = f"the sight of each phase is linked to the program of {target}; when watching, {timing}"
    takeaway = f"The sight arrives {shown}{when} the program: {learned} (simulated)."
    return DemoOutput(
        {"matrix": matrix, "watching": watching, "onsets": onsets},
        takeaway,
        {"link_offset": offset, "pm_lead_ms": lead, "mirror_ratio": result.mirror_ratio},
    )


def _timing_chart(datasets):
    """Two panels: the learned matrix (heat map with values) above the watching time course."""
    import altair as alt

    from empathy_explorer.app.charts import with_datasets

    seen = alt.Y("seen_phase:O", title="Sight of phase (STS, no.)")
    motor = alt.X("motor_phase:O", title="Program of phase (premotor, no.)", axis=alt.Axis(labelAngle=0))
    tooltip = [
        alt.Tooltip("seen_phase:O", title="sight of phase"),
        alt.Tooltip("motor_phase:O", title="program of phase"),
        alt.Tooltip("weight:Q", title="link (0–1)", format=".2f"),
    ]
    cells = (
        alt.Chart(alt.NamedData("matrix"))
        .mark_rect(stroke="white")
        .encode(
            x=motor,
            y=seen,
            color=alt.Color("weight:Q", title="Link (0–1)", scale=alt.Scale(domain=[0, 1], scheme="blues")),
            tooltip=tooltip,
        )
    )
    values = (
        alt.Chart(alt.NamedData("matrix"))
        .mark_text(fontSize=13)
        .encode(
            x=motor,
            y=seen,
            text=alt.Text("weight:Q", format=".2f"),
            color=alt.condition(alt.datum.weight > 0.5, alt.value("white"), alt.value("black")),
        )
    )
    matrix = alt.layer(cells, values).properties(
        title=alt.TitleParams(
            "Which links did 200 trials of doing-and-seeing build?",
            subtitle="STDP model after Keysers & Gazzola 2014 · simulated · diagonal = same phase",
        ),
        width=240,
        height=200,
    )
    names = sorted(set(datasets["watching"]["series"]))
    sts_name = next(n for n in names if n.startswith("STS"))
    pm_name = next(n for n in names if n.startswith("premotor"))
    x = alt.X("time_ms:Q", title="Time from the first sight of their action (ms)")
    lines = (
        alt.Chart(alt.NamedData("watching"))
        .mark_line(clip=True)
        .encode(
            x=x,
            y=alt.Y("activity:Q", title="Activity (0–1, relative)", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color(
                "series:N",
                title="While watching (after training)",
                scale=alt.Scale(
                    domain=[sts_name, pm_name], range=[OKABE_ITO["sky_blue"], OKABE_ITO["vermillion"]]
                ),
                legend=alt.Legend(labelLimit=600, titleLimit=600, orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("time_ms:Q", title="time (ms)"),
                alt.Tooltip("activity:Q", title="activity", format=".2f"),
                alt.Tooltip("series:N", title="curve"),
            ],
        )
    )
    rules = (
        alt.Chart(alt.NamedData("onsets"))
        .mark_rule(strokeDash=[5, 4], color=OKABE_ITO["black"])
        .encode(x=alt.X("time_ms:Q"))
    )
    course = alt.layer(lines, rules).properties(
        title=alt.TitleParams(
            "Watching: does premotor cortex run ahead of the sight?",
            subtitle="simulated · dashed lines: when each curve reaches half its peak",
        ),
        height=200,
    )
    return with_datasets(alt.vconcat(matrix, course), dict(datasets))


def hebbian_timing_demo() -> Demo:
    """Notebook 02, section 1: sight delay and contingency → learned matrix and premotor activity."""
    controls = slider_group(
        "Model settings",
        sight_delay_ms=labelled_slider(
            "When the sight of each phase reaches STS, after premotor programs it",
            min=-400,
            max=600,
            step=25,
            value=200,
            integer=True,
            unit="ms",
        ),
        contingency=labelled_slider(
            "How often you see your own action, P(see | do)",
            min=0.0,
            max=1.0,
            step=0.05,
            value=1.0,
            unit="0–1",
        ),
    )
    return Demo(controls, hebbian_timing, _timing_chart, filename="hebbian-timing")


# --------------------------------------------------------------------------------------------------
# 3. Associative learning: a smile you cannot see becomes mirrored by being imitated
# --------------------------------------------------------------------------------------------------


def _links_frame(result, labels: tuple[str, str]) -> pd.DataFrame:
    frame = result.to_frame()
    wanted = [f"see {labels[0]} → do {labels[0]}", f"see {labels[0]} → do {labels[1]}"]
    frame = frame[frame["link"].isin(wanted)]
    return frame[["trial", "link", "strength"]].reset_index(drop=True)


def being_imitated(self_view: float = 0.0, imitated: float = 0.0, unpaired_sight: float = 0.0) -> DemoOutput:
    """Learned see→do links for a facial expression during development (associative learning; simulated).

    Parameters
    ----------
    self_view : float, default 0.0
        P(see your own expression | you make it), 0–1. 0 for a face (perceptually opaque) unless you
        use a mirror.
    imitated : float, default 0.0
        P(someone imitates you | you make it), 0–1 (e.g. parents copying an infant's expressions).
    unpaired_sight : float, default 0.0
        Probability per trial of seeing an expression while not making one, 0–1 (lowers contingency).

    Returns
    -------
    DemoOutput
        Dataset ``links`` (``trial``, ``link``, ``strength``) for "see smile → do smile" (mirror) and
        "see smile → do frown" (counter-mirror); ``extra`` has ``smile_link`` (final "see smile → do
        smile" strength, which the takeaway describes) and ``mirror_index`` (mean mirror link minus mean
        counter link).

    Examples
    --------
    >>> being_imitated(imitated=0.0).extra["smile_link"]
    0.0
    >>> being_imitated(imitated=0.8).extra["smile_link"] > 0.5
    True

    References
    ----------
    Catmur, Walsh & Heyes (2009), Phil Trans R Soc B 364:2369–2380.
    """
    result = associative_sequence_learning(
        self_view=self_view, imitated=imitated, unpaired_sight=unpaired_sight, labels=FACE_LABELS
    )
    index = result.mirror_index_after
    link = float(result.links_after[0, 0])  # see smile → do smile
    if link >= 0.5:
        verdict = "seeing a smile now strongly triggers your own smile"
    elif link >= 0.1:
        verdict = "seeing a smile now weakly triggers your own smile"
    else:
        verdict = "seeing a smile triggers almost nothing: no mirror link was learned"
    takeaway = (
        f"Seen in a mirror {self_view:.0%} and imitated {imitated:.0%} of the time: {verdict} "
        f"(link strength {link:.2f}; simulated)."
    )
    return DemoOutput(
        {"links": _links_frame(result, FACE_LABELS)}, takeaway, {"mirror_index": index, "smile_link": link}
    )


def being_imitated_demo() -> Demo:
    """Notebook 02, section 3: self-view, being imitated and unpaired sights → learned links."""
    controls = slider_group(
        "Model settings",
        self_view=labelled_slider(
            "How often you see your own face (a mirror)", min=0.0, max=1.0, step=0.05, value=0.0, unit="0–1"
        ),
        imitated=labelled_slider(
            "How often someone imitates your expression", min=0.0, max=1.0, step=0.05, value=0.0, unit="0–1"
        ),
        unpaired_sight=labelled_slider(
            "How often you see expressions while not making one",
            min=0.0,
            max=1.0,
            step=0.05,
            value=0.0,
            unit="0–1",
        ),
    )
    mirror, counter = (f"see smile → do {x}" for x in FACE_LABELS)
    chart = line_chart(
        "links",
        x="trial",
        y="strength",
        series="link",
        series_title="Link",
        colors={mirror: OKABE_ITO["blue"], counter: OKABE_ITO["vermillion"]},
        title="Learning to mirror a smile you cannot see yourself make",
        subtitle="Associative (Rescorla–Wagner) model after Catmur, Walsh & Heyes 2009 · simulated",
        x_title="Development trial (count)",
        y_title="Link strength (below 0: inhibits)",
        x_domain=(0, 200),
        y_domain=(-0.7, 1.1),
    )
    return Demo(controls, being_imitated, chart, filename="being-imitated")


# --------------------------------------------------------------------------------------------------
# 4. Counter-mirror training
# --------------------------------------------------------------------------------------------------

INDEX_SERIES = "Mirror index (simulated)"
_N_DEVELOPMENT = 200
_MAX_TRAINING = 400


def counter_mirror(
    training: str = "counter-mirror", n_training: int = 200, training_contingency: float = 1.0
) -> DemoOutput:
    """Mirror index over development and then training (associative learning; simulated).

    Parameters
    ----------
    training : {"none", "mirror", "counter-mirror"}, default "counter-mirror"
        What happens after 200 trials of ordinary (mirror) development.
    n_training : int, default 200
        Training trials, 0–400.
    training_contingency : float, default 1.0
        Probability, 0–1, that a training action is followed by its training sight.

    Returns
    -------
    DemoOutput
        Datasets ``index`` (``trial``, ``index``, ``series``) -- mirror links minus counter-mirror links,
        +1 = a perfect mirror, −1 = fully reversed -- and ``training_start`` (``trial`` where training
        begins); ``extra`` has ``index_before`` and ``index_after``.

    Examples
    --------
    >>> out = counter_mirror("counter-mirror")
    >>> out.extra["index_before"] > 0 > out.extra["index_after"]
    True

    References
    ----------
    Catmur, Walsh & Heyes (2007), Curr Biol 17:1527–1531.
    """
    result = associative_sequence_learning(
        n_development=_N_DEVELOPMENT,
        training=training,
        n_training=n_training,
        training_contingency=training_contingency,
        labels=COUNTER_MIRROR_LABELS,
    )
    index = pd.DataFrame(
        {"trial": result.trials, "index": result.mirror_index_history, "series": INDEX_SERIES}
    )
    start = pd.DataFrame({"trial": [_N_DEVELOPMENT]})
    before, after = result.mirror_index_before_training, result.mirror_index_after
    if training == "none" or result.parameters["n_training"] == 0:
        takeaway = (
            f"Without training the mirror index stays at {after:.2f}: seeing action A triggers doing A "
            "(simulated)."
        )
    elif after < 0:
        how = "reversed" if after <= -0.5 else "partly reversed"
        takeaway = (
            f"{training.capitalize()} training moved the mirror index from {before:.2f} to {after:.2f}: "
            f"the mapping is {how}, seeing A now triggers doing B more than A (simulated)."
        )
    else:
        takeaway = (
            f"{training.capitalize()} training moved the mirror index from {before:.2f} to {after:.2f}: "
            "seeing A still triggers doing A more than B (simulated)."
        )
    return DemoOutput(
        {"index": index, "training_start": start},
        takeaway,
        {"index_before": before, "index_after": after},
    )


def counter_mirror_demo() -> Demo:
    """Notebook 02, section 4: type, length and contingency of training → mirror index over trials."""
    controls = slider_group(
        "Model settings",
        training=choice(
            "Training after development",
            {
                "Counter-mirror: do A while seeing B": "counter-mirror",
                "Mirror: do A while seeing A": "mirror",
                "No training": "none",
            },
            value="counter-mirror",
        ),
        n_training=labelled_slider(
            "Training trials", min=0, max=_MAX_TRAINING, step=10, value=200, integer=True, unit="count"
        ),
        training_contingency=labelled_slider(
            "How reliably the training sight follows the action",
            min=0.0,
            max=1.0,
            step=0.05,
            value=1.0,
            unit="0–1",
        ),
    )
    chart = line_chart(
        "index",
        x="trial",
        y="index",
        series="series",
        colors={INDEX_SERIES: OKABE_ITO["blue"]},
        title="Mirror or counter-mirror: what training does to learned links",
        subtitle="Associative model after Catmur, Walsh & Heyes 2007 · simulated · dashed: training starts",
        x_title="Trial (count): 200 of development, then training",
        y_title="Mirror index (−1 reversed to +1 mirror)",
        x_domain=(0, _N_DEVELOPMENT + _MAX_TRAINING),
        y_domain=(-1.1, 1.1),
        vline="training_start",
        hline=0.0,
    )
    return Demo(controls, counter_mirror, chart, filename="counter-mirror")


# --------------------------------------------------------------------------------------------------
# Check-your-understanding questions (keyword arguments for widgets.quiz)
# --------------------------------------------------------------------------------------------------

QUESTIONS: dict[str, dict] = {
    "timing": {
        "question": (
            "Your prediction: the sight of phase n reaches STS about 200 ms after premotor cortex "
            "programmed it, while premotor cortex programs phase n+1. The synapse strengthens when STS fires "
            "shortly BEFORE premotor cortex. Which link grows most?"
        ),
        "options": [
            "Sight of phase n → program of phase n+1: after learning, watching phase n starts the program "
            "of the next phase, so premotor cortex runs ahead of what it sees.",
            "Sight of phase n → program of phase n: the sight and the program describe the same movement, "
            "so learning pairs them into a classic mirror link.",
            "No link grows: the 200 ms delay is ten times longer than the ~20 ms plasticity window.",
        ],
        "correct": 0,
        "explanations": [
            "The sight of phase n is active together with the program of phase n+1; it arrives AFTER the "
            "program of phase n has ended, an order that weakens the synapse. In the demo at +200 ms "
            "the dark cells sit one step off the diagonal and the premotor curve starts about 200 ms "
            "before the sight (Keysers & Gazzola 2014).",
            "That is what a reversed rule would build, one that strengthens a synapse when STS fires about "
            "200 ms AFTER premotor cortex; real spike-timing-dependent plasticity weakens that order "
            "(Bi & Poo 1998). "
            "Same-phase links appear in the demo only when the sight arrives with almost no delay.",
            "The delay separates the sight from ITS OWN program, but by then premotor cortex is programming "
            "the next phase, so STS and premotor cortex still fire within a few tens of ms of each other: "
            "the matrix at +200 ms is not empty.",
        ],
    },
    "matrix": {
        "question": (
            "Set the sight delay to 0 ms and read both panels of the timing chart. What changed compared "
            "with +200 ms?"
        ),
        "options": [
            "The strong links moved onto the diagonal, and the premotor curve now starts together with the "
            "sight: a mirror that copies, not one that predicts.",
            "The strong links stayed one step off the diagonal; only their strength fell.",
            "The matrix is empty: without a delay, STDP has nothing to order.",
        ],
        "correct": 0,
        "explanations": [
            "With no delay, the sight of each phase fires together with its own program, so the diagonal "
            "grows; the dashed onset lines of the two curves almost coincide. The predictive shift needs "
            "the ~200 ms delay.",
            "Look at the numbers in the cells: at 0 ms the values near 0.5 sit on the diagonal.",
            "Firing together within the window still strengthens in this model (its window has a smaller "
            "weakening side, a model assumption), so the diagonal fills in.",
        ],
    },
    "opaque": {
        "question": (
            "In the associative model, which experience builds a baby's 'see smile → do smile' link, and "
            "which weakens it? Use the three sliders to check."
        ),
        "options": [
            "Being imitated builds it; seeing smiles while not smiling weakens it.",
            "Watching other people smile builds it; being imitated adds nothing a baby cannot get by "
            "watching.",
            "Any experience in which smiling and seeing a smile happen close in time builds it; nothing "
            "weakens it.",
        ],
        "correct": 0,
        "explanations": [
            "When a parent smiles back, the baby's own smile is followed by the sight of a smile "
            "(Catmur, Walsh & Heyes 2009). Seeing smiles without smiling lowers the contingency between "
            "seeing and doing, and in the model the link drops.",
            "With 'imitated' at 0 and only unpaired sights raised, the mirror link stays at 0: watching "
            "without doing pairs nothing with the baby's own action.",
            "That is a pure co-occurrence (contiguity) rule. The associative model tracks contingency: "
            "raise the unpaired sights and the learned link falls.",
        ],
    },
    "counter": {
        "question": (
            "Catmur, Walsh & Heyes (2007) trained people to move the index finger while watching a "
            "little-finger movement, and vice versa. How did they show that training changed the "
            "'mirror' response?"
        ),
        "options": [
            "TMS pulses while people only watched: the usual muscle-specific MEP pattern was reversed. "
            "Nobody moved.",
            "Watching a little-finger movement now made people lift their index finger without meaning to.",
            "fMRI showed that the premotor cortex stopped responding to watched finger movements.",
        ],
        "correct": 0,
        "explanations": [
            "Right: before training, watching a movement raised the motor-evoked potentials (MEPs) of the "
            "muscle that makes it; after training this pattern was reversed, with no movement made. The "
            "associative model reproduces this: the links follow the sensorimotor experience.",
            "No movement was triggered: the reversal was seen in motor-evoked potentials measured while "
            "people watched, not in what they did.",
            "The study used TMS, not fMRI, and found the pattern reversed, not abolished.",
        ],
    },
    "evidence": {
        "question": (
            "A magazine writes: 'Mirror neurons, recorded one by one in the human brain, prove that we "
            "understand others by simulating them.' What is accurate?"
        ),
        "options": [
            "Single-neuron mirror data come mostly from macaques; human data are mostly fMRI and TMS plus "
            "one single-neuron study; what mirroring is for is debated.",
            "Mirror neurons have never been found in humans, so the idea has been refuted.",
            "Many human single-neuron studies confirm it; the remaining debate is only about how mirror "
            "neurons develop.",
        ],
        "correct": 0,
        "explanations": [
            "Single-neuron recordings: macaque premotor cortex (di Pellegrino et al. 1992; Gallese et al. "
            "1996); in people, Mukamel et al. (2010) recorded single neurons in patients. "
            "Hickok (2009) argues the action-understanding claim is not directly tested.",
            "Mukamel et al. (2010) recorded human neurons that responded both to doing and to watching, "
            "and fMRI and TMS show mirror-like activity; the dispute is about what it does.",
            "Human single-neuron data are scarce (one study here), and the function, not only the origin, "
            "is debated (Hickok 2009; Cook et al. 2014).",
        ],
    },
}
