"""Demos for notebook 04, "Two bodies in sync": what physiological synchrony is and what it is not.

Four demos, each a plain ``compute(**slider_values) -> DemoOutput`` function (what tests call) and a
``*_demo()`` builder that wires it to sliders and a :class:`~empathy_explorer.app.charts.ChartPanel`:

- :func:`session_signals` / :func:`signals_demo` -- the two people's skin conductance (µS) or heart rate
  (bpm) in a bundled example session (all simulated), with a zoom window.
- :func:`coupled_pair` / :func:`coupled_agents_demo` -- the coupled-agents model
  (:mod:`empathy_explorer.models.coupled_agents`): coupling, response delay and the clinician's
  attention (an emotionally distant interviewer as in Marci & Orr 2006) set how strongly and how late the
  clinician's signal follows the patient's.
- :func:`shared_driver` / :func:`shared_driver_demo` -- the shared-driver confound: two people who do not
  influence each other at all, but react to the same outside events, look "in sync". Pseudo-pairs from
  dyads that went through the same events show how much of the synchrony the events alone explain.
- :func:`conflict_vs_rapport` / :func:`conflict_demo` -- synchrony is not empathy: in the model, a heated
  argument in which both react strongly to each other is at least as "in sync" as a warm consultation
  (Levenson & Gottman 1983 found higher linkage in distressed couples, especially in conflict).

The synchrony number used throughout is the lagged cross-correlation of the whole recording, computed
with :func:`empathy_explorer.synchrony.windowed_xcorr` on one window that spans the session: for every lag
between −max and +max seconds, the Pearson r between the patient's signal and the clinician's signal
shifted by that lag. Its largest value is "how in sync", its lag "who follows whom, how late"
(positive lag: the clinician follows the patient). The model is illustrative, not fitted to data.

References
----------
Full entries in ``docs/references.bib``: ``marci2006`` (Marci & Orr 2006), ``levenson1983`` (Levenson &
Gottman 1983), ``boker2002`` (Boker et al. 2002, windowed cross-correlation).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any, TypedDict, cast

import numpy as np
import pandas as pd

from empathy_explorer.app.charts import OKABE_ITO, ROLE_COLORS, downsample_for_display, line_chart
from empathy_explorer.app.widgets import Demo, DemoOutput, choice, labelled_slider, toggle
from empathy_explorer.errors import ParameterError
from empathy_explorer.lessons._page import (
    check_signal,
    lag_profile,
    lesson_demo,
    long_frame,
    profile_peak,
    session_control,
    share_slider,
    teaching_sessions,
    two_bars_chart,
    two_panel_chart,
)
from empathy_explorer.models.coupled_agents import shared_driver_dyads, simulate_coupled_agents
from empathy_explorer.sessions import load_session

__all__ = [
    "MODEL_SETTINGS",
    "conflict_demo",
    "conflict_vs_rapport",
    "coupled_agents_demo",
    "coupled_pair",
    "lag_profile",
    "session_signals",
    "shared_driver",
    "shared_driver_demo",
    "signals_demo",
    "teaching_sessions",
]


#: Fixed settings of the coupled-agents model on this page (illustrative): a 20-minute session at 4 Hz
#: (the Empatica E4's skin-conductance rate) and a 2-s time constant, so that lag peaks stay sharp.
class _ModelSettings(TypedDict):
    duration_s: float
    fs: float
    tau_s: float


MODEL_SETTINGS: _ModelSettings = {"duration_s": 1200.0, "fs": 4.0, "tau_s": 2.0}
#: Lags shown in the lag profiles, ± seconds.
MAX_LAG_S = 10.0
#: Seconds of the simulated signals drawn in the coupled-agents demo (the statistics use all 20 min).
SHOWN_S = 120.0
#: Dyads simulated for the shared-driver demo (all with the same outside events).
N_DYADS = 6

_SIGNAL_NAMES = {"eda": "Skin conductance", "hr": "Heart rate"}
_PAIR_COLORS = {"patient": ROLE_COLORS["patient"], "clinician": ROLE_COLORS["clinician"]}


# --------------------------------------------------------------------------------------------------
# Shared pieces
# --------------------------------------------------------------------------------------------------


def _coupling_slider(label: str, value: float) -> Any:
    return share_slider(label, value, high=0.95, unit="0–0.95")


# --------------------------------------------------------------------------------------------------
# 1. Two signals from an example session
# --------------------------------------------------------------------------------------------------


def session_signals(
    session_id: str = "warm-rapport",
    kind: str = "eda",
    start_s: float = 0.0,
    span_s: float = 120.0,
    standardise: bool = False,
) -> DemoOutput:
    """Both people's signal in a stretch of a bundled example session (simulated), for drawing.

    Parameters
    ----------
    session_id : str, default "warm-rapport"
        A session id from :func:`empathy_explorer.sessions.list_sessions`.
    kind : {"eda", "hr"}, default "eda"
        Skin conductance (µS) or heart rate (bpm).
    start_s, span_s : float
        The stretch shown, s (clipped to the session).
    standardise : bool, default False
        Show each person's signal as z-scores (mean 0, SD 1 over the whole session), which puts two
        people with different resting levels on one scale.

    Returns
    -------
    DemoOutput
        Dataset ``signals`` (``time_s``, ``value``, ``person``), at most 2,000 rows (min/max display
        downsampling); ``extra`` holds ``r_lag0`` over the stretch (full-rate data), the units and the
        simulator's true coupling.

    Examples
    --------
    >>> out = session_signals("warm-rapport", "eda", 0, 60)
    >>> sorted(out.datasets["signals"]["person"].unique())
    ['clinician', 'patient']
    """
    check_signal(kind)
    if not span_s > 0:
        raise ParameterError("The stretch shown must be longer than 0 seconds.")
    session = load_session(session_id)
    x, y = session.pair(kind)
    t = session.times_s
    start_s = float(min(max(start_s, 0.0), max(session.duration_s - span_s, 0.0)))
    mask = (t >= start_s) & (t < start_s + span_s)
    xs, ys = np.asarray(x, float), np.asarray(y, float)
    if standardise:
        xs = (xs - np.nanmean(xs)) / np.nanstd(xs)
        ys = (ys - np.nanmean(ys)) / np.nanstd(ys)
    xs, ys, ts = xs[mask], ys[mask], t[mask]
    r = float(np.corrcoef(xs, ys)[0, 1]) if len(ts) > 2 and np.std(xs) > 0 and np.std(ys) > 0 else math.nan
    td, vd = downsample_for_display(ts, np.column_stack([xs, ys]), max_points=1000)
    frame = long_frame("time_s", td, "value", "person", {"patient": vd[:, 0], "clinician": vd[:, 1]})
    unit = "z-score" if standardise else session.units[kind]
    truth = session.ground_truth
    coupling = truth.coupling if truth is not None else math.nan
    takeaway = (
        f"{_SIGNAL_NAMES[kind]} in '{session.title}', {start_s:.0f}–{start_s + span_s:.0f} s: patient "
        f"{np.nanmin(xs):.1f} to {np.nanmax(xs):.1f} {unit}, clinician {np.nanmin(ys):.1f} to "
        f"{np.nanmax(ys):.1f} {unit}; the two move together at r = {r:.2f} (same moment, lag 0). "
        f"The simulator's true coupling is {coupling:.2f}."
    )
    return DemoOutput({"signals": frame}, takeaway, {"r_lag0": r, "unit": unit, "coupling": coupling})


def signals_demo() -> Demo:
    """The notebook demo: pick an example session and a signal, zoom along the session."""
    return lesson_demo(
        session_signals,
        line_chart(
            "signals",
            x="time_s",
            y="value",
            series="person",
            series_title="Person",
            colors=_PAIR_COLORS,
            title="Two people's bodies during one conversation",
            subtitle="Simulated example session; the y-axis unit is in the takeaway below",
            x_title="Time from the start of the session (s)",
            y_title="Signal (µS, bpm or z-score)",
        ),
        filename="two-signals",
        session_id=session_control(),
        kind=choice("Signal", {"Skin conductance (µS)": "eda", "Heart rate (bpm)": "hr"}, value="eda"),
        start_s=labelled_slider("Start of the stretch shown", min=0, max=2940, step=10, value=0, unit="s"),
        span_s=labelled_slider("Length of the stretch shown", min=30, max=600, step=10, value=120, unit="s"),
        standardise=toggle("Put both people on one scale (z-scores)", value=False),
    )


# --------------------------------------------------------------------------------------------------
# 2. The coupled-agents model
# --------------------------------------------------------------------------------------------------


def coupled_pair(
    coupling: float = 0.6, delay_s: float = 2.0, attention: float = 1.0, *, seed: int = 1
) -> DemoOutput:
    """Simulate a patient and a clinician (coupled-agents model) and measure how in sync they are.

    Parameters
    ----------
    coupling : float, default 0.6
        How strongly the clinician's signal follows the patient's, 0–0.95 (illustrative).
    delay_s : float, default 2.0
        How late the clinician responds, s (0–8).
    attention : float, default 1.0
        The clinician's engagement, 0–1; multiplies the coupling (low = an emotionally distant
        interviewer, after Marci & Orr 2006).
    seed : int, default 1
        The same seed gives the same random fluctuations, so only the sliders change the picture.

    Returns
    -------
    DemoOutput
        Datasets ``signals`` (first 120 s: ``time_s``, ``value``, ``person``), ``profile`` (``lag_s``,
        ``r``, ``line``) and ``truth`` (``lag_s`` = the true delay); ``extra``: ``peak_r``, ``peak_lag_s``,
        ``effective_coupling``.

    Examples
    --------
    >>> strong, distant = coupled_pair(0.9), coupled_pair(0.9, attention=0.1)
    >>> strong.extra["peak_r"] > distant.extra["peak_r"]
    True
    """
    res = simulate_coupled_agents(
        coupling=coupling, delay_s=delay_s, attention=attention, seed=seed, **MODEL_SETTINGS
    )
    prof = lag_profile(res.patient, res.clinician, res.fs)
    peak_r, peak_lag = profile_peak(prof)
    shown = res.times_s < SHOWN_S
    signals = long_frame(
        "time_s",
        res.times_s[shown],
        "value",
        "person",
        {"patient": res.patient[shown], "clinician": res.clinician[shown]},
    )
    profile = prof.assign(line="Whole 20-min session")
    true_delay = float(cast(float, res.parameters["delay_s"]))
    truth = pd.DataFrame({"lag_s": [true_delay], "label": [f"true response delay {true_delay:g} s"]})
    eff = res.effective_coupling_clinician
    if eff < 0.15:
        verdict = "with almost no effective coupling there is no real peak, only chance wiggles"
    else:
        verdict = (
            f"the clinician follows the patient: the peak sits at +{peak_lag:.2f} s, a little later than "
            f"the {true_delay:g}-s response delay because each body also reacts slowly"
        )
    takeaway = (
        f"Effective coupling {eff:.2f} (coupling {coupling:.2f} × attention {attention:.2f}) gives a peak "
        f"synchrony of r = {peak_r:.2f}; {verdict}."
    )
    extra = {"peak_r": peak_r, "peak_lag_s": peak_lag, "effective_coupling": eff}
    return DemoOutput({"signals": signals, "profile": profile, "truth": truth}, takeaway, extra)


def coupled_agents_demo() -> Demo:
    """The notebook demo: coupling, delay and attention sliders → signals and lag profile."""

    def make_chart(datasets: Mapping[str, pd.DataFrame]) -> Any:
        return two_panel_chart(
            datasets,
            title="Two coupled people: the clinician's signal follows the patient's",
            left={
                "data": "signals",
                "x": "time_s",
                "y": "value",
                "series": "person",
                "colors": _PAIR_COLORS,
                "title": "The first 2 minutes",
                "x_title": "Time (s)",
                "y_title": "Signal (standardised units)",
            },
            right={
                "data": "profile",
                "x": "lag_s",
                "y": "r",
                "series": "line",
                "colors": {"Whole 20-min session": OKABE_ITO["black"]},
                "title": "Synchrony at each lag (peak = how in sync, and how late)",
                "x_title": "Lag (s; positive = clinician follows patient)",
                "y_title": "Correlation r (unitless)",
                "y_domain": [-0.3, 0.8],
                "vline": "truth",
            },
        )

    return lesson_demo(
        coupled_pair,
        make_chart,
        filename="coupled-agents",
        title="Try it: the coupled-agents model",
        coupling=_coupling_slider("How strongly the clinician follows the patient (coupling)", 0.6),
        delay_s=labelled_slider("Clinician's response delay", min=0.5, max=8, step=0.5, value=2, unit="s"),
        attention=share_slider("Clinician's attention (1 = engaged, 0 = distant)", 1.0),
    )


# --------------------------------------------------------------------------------------------------
# 3. The shared-driver confound
# --------------------------------------------------------------------------------------------------

_REAL = "Real pairs (people who met)"
_PSEUDO = "Pseudo-pairs (never met, same events)"


def shared_driver(
    coupling: float = 0.0, driver_strength: float = 3.0, *, n_dyads: int = N_DYADS
) -> DemoOutput:
    """Real pairs versus pseudo-pairs when both people may react to the same outside events.

    ``n_dyads`` dyads are simulated with the same schedule of outside events (alarms, a phone, bad news)
    but their own random fluctuations. The lag profile is averaged over the real pairs and over all
    pseudo-pairs (patient of dyad *i* with clinician of dyad *j ≠ i*): people who never met but went
    through the same events.

    Parameters
    ----------
    coupling : float, default 0.0
        How strongly each clinician follows their own patient, 0–0.95.
    driver_strength : float, default 3.0
        How strongly both people react to the shared events, 0–6 (0 = no shared events).
    n_dyads : int, default 6

    Returns
    -------
    DemoOutput
        Dataset ``profile`` (``lag_s``, ``r``, ``line``: real or pseudo); ``extra``: ``real_peak_r``,
        ``pseudo_peak_r`` (each the peak of the averaged profile) and ``excess`` (real − pseudo).

    Examples
    --------
    >>> out = shared_driver(coupling=0.0, driver_strength=4.0)
    >>> out.extra["real_peak_r"] > 0.3 and abs(out.extra["excess"]) < 0.1
    True
    """
    driver_strength = float(driver_strength)
    if not 0 <= driver_strength <= 6:
        raise ParameterError("The reaction to the shared events must be between 0 and 6.")
    dyads = shared_driver_dyads(
        n_dyads, coupling=coupling, driver_strength=driver_strength, first_seed=1, **MODEL_SETTINGS
    )
    fs = dyads[0].fs
    real = [lag_profile(d.patient, d.clinician, fs)["r"].to_numpy() for d in dyads]
    pseudo = [
        lag_profile(dyads[i].patient, dyads[j].clinician, fs)["r"].to_numpy()
        for i, j in itertools.permutations(range(n_dyads), 2)
    ]
    lags = lag_profile(dyads[0].patient, dyads[0].clinician, fs)["lag_s"].to_numpy()
    real_mean, pseudo_mean = np.mean(real, axis=0), np.mean(pseudo, axis=0)
    frame = long_frame("lag_s", lags, "r", "line", {_REAL: real_mean, _PSEUDO: pseudo_mean})
    real_peak, pseudo_peak = float(real_mean.max()), float(pseudo_mean.max())
    excess = real_peak - pseudo_peak
    if excess < 0.05:
        verdict = (
            "the pseudo-pairs are just as 'in sync': the shared events explain the synchrony, not any "
            "influence between the two people"
        )
    else:
        verdict = "the real pairs are more in sync than the pseudo-pairs: that excess is the coupling"
    takeaway = (
        f"Real pairs peak at r = {real_peak:.2f}, pseudo-pairs that never met at r = {pseudo_peak:.2f}; "
        f"{verdict}."
    )
    extra = {"real_peak_r": real_peak, "pseudo_peak_r": pseudo_peak, "excess": excess}
    return DemoOutput({"profile": frame}, takeaway, extra)


def shared_driver_demo() -> Demo:
    """The notebook demo: coupling and shared-event sliders → real vs pseudo-pair lag profiles."""
    return lesson_demo(
        shared_driver,
        line_chart(
            "profile",
            x="lag_s",
            y="r",
            series="line",
            colors={_REAL: OKABE_ITO["blue"], _PSEUDO: OKABE_ITO["orange"]},
            dashed=_PSEUDO,
            title="Synchrony of real pairs and of pseudo-pairs who never met",
            subtitle=f"Simulated: {N_DYADS} dyads that went through the same outside events",
            x_title="Lag (s; positive = clinician follows patient)",
            y_title="Correlation r (unitless)",
            y_domain=(-0.3, 0.9),
            x_domain=(-MAX_LAG_S, MAX_LAG_S),
        ),
        filename="shared-driver",
        title="Try it: coupling or shared events?",
        coupling=_coupling_slider("How strongly the clinician follows the patient (coupling)", 0.0),
        driver_strength=labelled_slider(
            "How strongly both react to the same outside events", min=0, max=6, step=0.5, value=3, unit="0–6"
        ),
    )


# --------------------------------------------------------------------------------------------------
# 4. Synchrony in conflict
# --------------------------------------------------------------------------------------------------

_WARM = "Warm consultation"
_FIGHT = "Heated argument"


def conflict_vs_rapport(warm_coupling: float = 0.5, argument_coupling: float = 0.8) -> DemoOutput:
    """Peak synchrony of a warm consultation and of a heated argument (coupled-agents model).

    The warm consultation: the clinician follows the patient (``warm_coupling``), the patient does not
    follow back. The argument: each person reacts to the other (both couplings ``argument_coupling``),
    as in an escalating exchange. Same random fluctuations in both. Illustrative only.

    Returns
    -------
    DemoOutput
        Dataset ``bars`` (``situation``, ``peak_r``); ``extra``: ``warm_peak_r``, ``argument_peak_r``.

    Examples
    --------
    >>> out = conflict_vs_rapport(0.5, 0.8)
    >>> out.extra["argument_peak_r"] > out.extra["warm_peak_r"]
    True
    """
    warm = simulate_coupled_agents(coupling=warm_coupling, seed=3, **MODEL_SETTINGS)
    fight = simulate_coupled_agents(
        coupling=argument_coupling, patient_coupling=argument_coupling, seed=3, **MODEL_SETTINGS
    )
    warm_r, _ = profile_peak(lag_profile(warm.patient, warm.clinician, warm.fs))
    fight_r, _ = profile_peak(lag_profile(fight.patient, fight.clinician, fight.fs))
    bars = pd.DataFrame({"situation": [_WARM, _FIGHT], "peak_r": [warm_r, fight_r]})
    if fight_r > warm_r:
        verdict = "the argument looks MORE 'in sync' than the warm consultation"
    else:
        verdict = (
            "the warm consultation looks more in sync here, but the number alone cannot tell which is which"
        )
    takeaway = (
        f"Peak synchrony: warm consultation r = {warm_r:.2f}, heated argument r = {fight_r:.2f}; {verdict}."
    )
    return DemoOutput({"bars": bars}, takeaway, {"warm_peak_r": warm_r, "argument_peak_r": fight_r})


def conflict_demo() -> Demo:
    """The notebook demo: coupling in a warm consultation vs in an argument → two synchrony bars."""
    return lesson_demo(
        conflict_vs_rapport,
        two_bars_chart(
            "situation",
            "peak_r",
            (_WARM, _FIGHT),
            title="Synchrony cannot tell warmth from a fight",
            subtitle=(
                "Simulated (illustrative model). Warm: the clinician follows the patient. "
                "Argument: both react to each other."
            ),
            x_title="Situation",
            y_title="Peak synchrony r (unitless)",
        ),
        filename="conflict-synchrony",
        title="Try it: warmth or a fight?",
        warm_coupling=_coupling_slider("Warm consultation: how strongly the clinician follows", 0.5),
        argument_coupling=_coupling_slider("Argument: how strongly each reacts to the other", 0.8),
    )
