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

:data:`QUESTIONS` (written in :mod:`~empathy_explorer.lessons.mirror_quiz`, re-exported here) holds the
notebook's "check your understanding" questions (keyword arguments for
:func:`empathy_explorer.app.widgets.quiz`), so their feedback is tested with the package.

All numbers come from teaching models that are **not fitted to data**: they are labelled "simulated" in
every chart and takeaway.

References
----------
Full entries in ``docs/references.bib``: ``keysers2014hebbian``, ``bi1998synaptic``,
``catmur2007sensorimotor``, ``catmur2009associative`` and ``hickok2009eight``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from empathy_explorer.app.charts import OKABE_ITO, line_chart
from empathy_explorer.app.widgets import Demo, DemoOutput, choice, labelled_slider
from empathy_explorer.lessons._page import lesson_demo, long_frame, share_slider
from empathy_explorer.lessons.mirror_quiz import QUESTIONS
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
_CONTINGENCY = "How often you see your own action, P(see | do)"


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
    history = long_frame(
        "trial", trials, "weight", "link", dict(zip(LINK_SERIES, (next_history, same_history), strict=True))
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
    return lesson_demo(
        hebbian_training,
        line_chart(
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
        ),
        filename="hebbian-training",
        title="Model settings",
        contingency=share_slider(_CONTINGENCY, 1.0),
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
    watching = long_frame(
        "time_ms",
        times,
        "activity",
        "series",
        {names[0]: result.sts_watching[k][keep], names[1]: result.premotor_watching[k][keep]},
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


def _matrix_panel() -> Any:
    """The learned links as a heat map with the values written in the cells (dataset ``matrix``)."""
    import altair as alt

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
    return alt.layer(cells, values).properties(
        title=alt.TitleParams(
            "Which links did 200 trials of doing-and-seeing build?",
            subtitle="STDP model after Keysers & Gazzola 2014 · simulated · diagonal = same phase",
        ),
        width=240,
        height=200,
    )


def _watching_panel(series: Sequence[str]) -> Any:
    """The STS and premotor curves while watching (dataset ``watching``) with their onsets (``onsets``)."""
    import altair as alt

    names = sorted(set(series))
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
    return alt.layer(lines, rules).properties(
        title=alt.TitleParams(
            "Watching: does premotor cortex run ahead of the sight?",
            subtitle="simulated · dashed lines: when each curve reaches half its peak",
        ),
        height=200,
    )


def _timing_chart(datasets: Mapping[str, pd.DataFrame]) -> Any:
    """Two panels: the learned matrix (heat map with values) above the watching time course."""
    import altair as alt

    from empathy_explorer.app.charts import with_datasets

    panels = alt.vconcat(_matrix_panel(), _watching_panel(datasets["watching"]["series"]))
    return with_datasets(panels, dict(datasets))


def hebbian_timing_demo() -> Demo:
    """Notebook 02, section 1: sight delay and contingency → learned matrix and premotor activity."""
    return lesson_demo(
        hebbian_timing,
        _timing_chart,
        filename="hebbian-timing",
        title="Model settings",
        sight_delay_ms=labelled_slider(
            "When the sight of each phase reaches STS, after premotor programs it",
            min=-400,
            max=600,
            step=25,
            value=200,
            integer=True,
            unit="ms",
        ),
        contingency=share_slider(_CONTINGENCY, 1.0),
    )


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
    mirror, counter = (f"see smile → do {x}" for x in FACE_LABELS)
    return lesson_demo(
        being_imitated,
        line_chart(
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
        ),
        filename="being-imitated",
        title="Model settings",
        self_view=share_slider("How often you see your own face (a mirror)", 0.0),
        imitated=share_slider("How often someone imitates your expression", 0.0),
        unpaired_sight=share_slider("How often you see expressions while not making one", 0.0),
    )


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
    return lesson_demo(
        counter_mirror,
        line_chart(
            "index",
            x="trial",
            y="index",
            series="series",
            colors={INDEX_SERIES: OKABE_ITO["blue"]},
            title="Mirror or counter-mirror: what training does to learned links",
            subtitle=(
                "Associative model after Catmur, Walsh & Heyes 2007 · simulated · dashed: training starts"
            ),
            x_title="Trial (count): 200 of development, then training",
            y_title="Mirror index (−1 reversed to +1 mirror)",
            x_domain=(0, _N_DEVELOPMENT + _MAX_TRAINING),
            y_domain=(-1.1, 1.1),
            vline="training_start",
            hline=0.0,
        ),
        filename="counter-mirror",
        title="Model settings",
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
        training_contingency=share_slider("How reliably the training sight follows the action", 1.0),
    )
