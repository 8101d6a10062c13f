"""Demos and questions for notebook 02, "Mirror neurons are learned" (simulated, illustrative models).

Four demos, each a plain ``compute`` function returning a :class:`~empathy_explorer.app.widgets.DemoOutput`
and a builder returning a :class:`~empathy_explorer.app.widgets.Demo` (sliders + a chart updated in place):

- :func:`hebbian_training` / :func:`hebbian_training_demo` -- how often you see your own action
  (contingency), the learning rate and the number of trials decide how strongly *watching* comes to drive
  premotor cortex (Keysers & Gazzola 2014).
- :func:`hebbian_timing` / :func:`hebbian_timing_demo` -- the sight must arrive *after* the motor command,
  at the delay the synapse prefers; otherwise nothing is learned.
- :func:`being_imitated` / :func:`being_imitated_demo` -- a smile is "perceptually opaque": it becomes
  mirrored only if others imitate you (associative sequence learning; Catmur, Walsh & Heyes 2009).
- :func:`counter_mirror` / :func:`counter_mirror_demo` -- counter-mirror training reverses the mapping
  (Catmur, Walsh & Heyes 2007).

:data:`QUESTIONS` holds the notebook's "check your understanding" questions (keyword arguments for
:func:`empathy_explorer.app.widgets.quiz`), so their feedback is tested with the package.

All numbers come from teaching models that are **not fitted to data**: they are labelled "simulated" in
every chart and takeaway.

References
----------
Keysers, C., & Gazzola, V. (2014). Hebbian learning and predictive mirror neurons for actions, sensations
and emotions. Phil. Trans. R. Soc. B, 369, 20130175. https://doi.org/10.1098/rstb.2013.0175

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

from empathy_explorer.app.charts import OKABE_ITO
from empathy_explorer.app.widgets import Demo, DemoOutput, choice, labelled_slider, line_chart, slider_group
from empathy_explorer.models import associative_sequence_learning, hebbian_mirror_learning

__all__ = [
    "COUNTER_MIRROR_LABELS",
    "FACE_LABELS",
    "INDEX_SERIES",
    "QUESTIONS",
    "RATIO_SERIES",
    "TIMING_SERIES",
    "being_imitated",
    "being_imitated_demo",
    "counter_mirror",
    "counter_mirror_demo",
    "hebbian_timing",
    "hebbian_timing_demo",
    "hebbian_training",
    "hebbian_training_demo",
]

#: Series name of the Hebbian training curve.
RATIO_SERIES = "Watching ÷ doing (simulated)"
#: The two facial actions of the "being imitated" demo.
FACE_LABELS = ("smile", "frown")
#: The two hand actions of the counter-mirror demo.
COUNTER_MIRROR_LABELS = ("action A", "action B")
#: Display step of the within-trial time courses, ms (the model runs on a 1 ms grid).
_DISPLAY_STEP_MS = 5
_MAX_TRIALS = 500


def _strong(ratio: float) -> str:
    if ratio >= 0.5:
        return "a strong mirror response"
    if ratio >= 0.1:
        return "a weak mirror response"
    return "almost no mirror response"


# --------------------------------------------------------------------------------------------------
# 1. Hebbian training: contingency, learning rate, trials
# --------------------------------------------------------------------------------------------------


def hebbian_training(
    contingency: float = 1.0, learning_rate: float = 0.05, n_trials: int = 200
) -> DemoOutput:
    """Mirror response over training trials in the Hebbian model (simulated).

    Parameters
    ----------
    contingency : float, default 1.0
        P(see | do), 0–1: how often you see your own action when you do it.
    learning_rate : float, default 0.05
        Fraction of the remaining distance to the maximum gained per paired trial, 0–1 (illustrative).
    n_trials : int, default 200
        Training trials, 1–500.

    Returns
    -------
    DemoOutput
        Datasets ``history`` (``trial``, ``ratio``, ``series``) -- the premotor response to watching
        alone divided by the response to doing, after each trial -- and ``marker`` (the last trial);
        ``extra["mirror_ratio"]`` is the final ratio.

    Examples
    --------
    >>> hebbian_training(contingency=0.0).extra["mirror_ratio"]
    0.0
    >>> hebbian_training(contingency=1.0).extra["mirror_ratio"] > 0.5
    True

    References
    ----------
    Keysers & Gazzola (2014), Phil Trans R Soc B 369:20130175.
    """
    result = hebbian_mirror_learning(contingency=contingency, learning_rate=learning_rate, n_trials=n_trials)
    history = pd.DataFrame(
        {"trial": result.trials, "ratio": result.mirror_ratio_history, "series": RATIO_SERIES}
    )
    marker = history.tail(1).reset_index(drop=True)
    ratio = result.mirror_ratio
    takeaway = (
        f"After {result.parameters['n_trials']} trials in which you see your own action "
        f"{contingency:.0%} of the time, watching someone else drives premotor cortex to {ratio:.0%} "
        f"of the response to doing it: {_strong(ratio)} (simulated, a model, not a measurement)."
    )
    return DemoOutput({"history": history, "marker": marker}, takeaway, {"mirror_ratio": ratio})


def hebbian_training_demo() -> Demo:
    """Notebook 02, section 1: contingency, learning rate and trials → mirror response over training."""
    controls = slider_group(
        "Try it",
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
            value=0.05,
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
        y="ratio",
        series="series",
        colors={RATIO_SERIES: OKABE_ITO["blue"]},
        title="Learning to mirror: the premotor response to watching, over training",
        subtitle=(
            "Hebbian model after Keysers & Gazzola 2014 · simulated · dashed line: half the response to doing"
        ),
        x_title="Training trial (count)",
        y_title="Watching ÷ doing (ratio, 0–1)",
        x_domain=(0, _MAX_TRIALS),
        y_domain=(0, 1),
        points="marker",
        hline=0.5,
    )
    return Demo(controls, hebbian_training, chart, filename="hebbian-training")


# --------------------------------------------------------------------------------------------------
# 2. Hebbian timing: the sight must follow the motor command
# --------------------------------------------------------------------------------------------------

TIMING_SERIES = (
    "premotor, doing",
    "STS, seeing your own action",
    "premotor, watching someone (after training)",
)


def hebbian_timing(sight_delay_ms: float = 200.0, plasticity_delay_ms: float = 200.0) -> DemoOutput:
    """Activity within one trial and the learned mirror response for a given timing (simulated).

    Parameters
    ----------
    sight_delay_ms : float, default 200
        When the sight of your own action reaches STS, ms after premotor activity starts (−1000 to 1000;
        negative = the sight comes first). About +200 ms (Keysers & Gazzola 2014).
    plasticity_delay_ms : float, default 200
        The delay at which the learning rule strengthens the synapse most, ms (0–1000; the model's
        suggested design).

    Returns
    -------
    DemoOutput
        Dataset ``activity`` (``time_ms``, ``activity``, ``series``; every 5 ms) with the three
        :data:`TIMING_SERIES`, and ``onsets`` (``time_ms`` of the sight's arrival, for a marker line);
        ``extra`` has ``mirror_ratio`` and ``pairing_efficacy``.

    Examples
    --------
    >>> hebbian_timing(200).extra["mirror_ratio"] > 0.5
    True
    >>> hebbian_timing(-200).extra["mirror_ratio"] < 0.01
    True
    """
    result = hebbian_mirror_learning(sight_delay_ms=sight_delay_ms, plasticity_delay_ms=plasticity_delay_ms)
    keep = slice(None, None, _DISPLAY_STEP_MS)
    times = result.times_ms[keep]
    curves = (result.premotor_doing, result.sts_doing, result.premotor_watching_after)
    activity = pd.DataFrame(
        {
            "time_ms": np.tile(times, len(curves)),
            "activity": np.concatenate([c[keep] for c in curves]),
            "series": np.repeat(TIMING_SERIES, times.size),
        }
    )
    onsets = pd.DataFrame({"time_ms": [float(sight_delay_ms)]})
    ratio, efficacy = result.mirror_ratio, result.pairing_efficacy
    when = "after" if sight_delay_ms > 0 else "before" if sight_delay_ms < 0 else "at the same time as"
    shown = f"{abs(sight_delay_ms):g} ms " if sight_delay_ms else ""
    takeaway = (
        f"The sight arrives {shown}{when} the motor command; its timing matches the synapse's preferred "
        f"delay to {efficacy:.0%}, so after training watching alone reaches {ratio:.0%} of doing: "
        f"{_strong(ratio)} (simulated)."
    )
    return DemoOutput(
        {"activity": activity, "onsets": onsets},
        takeaway,
        {"mirror_ratio": ratio, "pairing_efficacy": efficacy},
    )


def hebbian_timing_demo() -> Demo:
    """Notebook 02, section 2: when the sight arrives → premotor/STS activity and the learned response."""
    controls = slider_group(
        "Try it",
        sight_delay_ms=labelled_slider(
            "When the sight of your action reaches STS, after the motor command",
            min=-400,
            max=600,
            step=25,
            value=200,
            integer=True,
            unit="ms",
        ),
        plasticity_delay_ms=labelled_slider(
            "Delay the synapse learns best at", min=0, max=400, step=25, value=200, integer=True, unit="ms"
        ),
    )
    chart = line_chart(
        "activity",
        x="time_ms",
        y="activity",
        series="series",
        colors=dict(
            zip(
                TIMING_SERIES,
                (OKABE_ITO["vermillion"], OKABE_ITO["sky_blue"], OKABE_ITO["blue"]),
                strict=True,
            )
        ),
        title="One trial: doing, seeing yourself, and watching someone else after training",
        subtitle="Hebbian model after Keysers & Gazzola 2014 · simulated · dashed line: the sight arrives",
        x_title="Time from the start of the action (ms)",
        y_title="Activity (0–1, relative)",
        x_domain=(-200, 900),
        y_domain=(0, 1),
        vline="onsets",
    )
    return Demo(controls, hebbian_timing, chart, filename="hebbian-timing")


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
        "Try it",
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
        "Try it",
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
            "In the Hebbian model, why must premotor activity come BEFORE the sight of your own action "
            "for a mirror response to be learned?"
        ),
        "options": [
            "Because STS only works when premotor cortex is silent.",
            "Because the synapse strengthens when the sight follows the motor command by the delay it "
            "prefers; a sight that comes first, or at the wrong moment, teaches nothing.",
            "It does not matter: any pairing of doing and seeing builds the same mirror response.",
        ],
        "correct": 1,
        "explanations": [
            "Both areas are active together during the trial; the model does not silence STS.",
            "Doing then seeing is the natural order (about 200 ms apart, Keysers & Gazzola 2014); try a "
            "negative delay on the timing slider and the learned response drops to almost zero.",
            "Timing matters in this model: move the sight to −200 ms and almost nothing is learned.",
        ],
    },
    "opaque": {
        "question": (
            "You cannot see your own face when you smile. How could a baby still learn to mirror a smile?"
        ),
        "options": [
            "It cannot: mirroring of facial expressions must be entirely innate.",
            "By watching other people smile at each other.",
            "By being imitated: when a parent smiles back, the baby's own smile is paired with the sight "
            "of a smile.",
        ],
        "correct": 2,
        "explanations": [
            "The associative account (Catmur, Walsh & Heyes 2009) shows a learned route exists; in the "
            "demo, raising 'imitated' builds the mirror link.",
            "Watching without doing lowers the contingency between seeing and doing: in the model it "
            "builds no link, and it weakens a link that exists.",
            "Being imitated supplies the missing pairing of doing and seeing (Catmur, Walsh & Heyes 2009; "
            "Keysers & Gazzola 2014 make the same point about parents imitating infants).",
        ],
    },
    "counter": {
        "question": (
            "After counter-mirror training (doing one movement while watching a different one), what "
            "happens to the mirror response, and what does it suggest?"
        ),
        "options": [
            "It reverses: watching A now triggers B. Mirror responses depend on experience.",
            "Nothing changes: mirror responses are fixed at birth.",
            "Mirror responses disappear for all actions for good.",
        ],
        "correct": 0,
        "explanations": [
            "That is what Catmur, Walsh & Heyes (2007) found in people and what the associative model "
            "reproduces: the links follow the sensorimotor experience.",
            "If they were fixed, training could not reverse them; it did (Catmur, Walsh & Heyes 2007).",
            "The links are re-learned, not destroyed: more mirror training would bring them back.",
        ],
    },
    "debate": {
        "question": "What does Hickok (2009) argue about mirror neurons?",
        "options": [
            "That mirror neurons do not exist.",
            "That the claim that mirror neurons are the basis of action understanding is not directly "
            "tested in monkeys, and human evidence makes a strong case against it.",
            "That mirror neurons prove that empathy is innate.",
        ],
        "correct": 1,
        "explanations": [
            "Hickok does not deny that neurons with mirror properties exist; he disputes what they are for.",
            "Right. Learning models (this page) explain where mirror responses come from; they do not "
            "settle whether those responses are how we understand others.",
            "Nothing in this debate shows that; the learning accounts (Heyes and colleagues) argue the "
            "opposite, that mirror responses are built by experience.",
        ],
    },
}
