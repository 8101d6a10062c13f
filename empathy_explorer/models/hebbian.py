"""Could mirror neurons be learned? Spike-timing-dependent (Hebbian) learning of *predictive* mirror links.

An illustrative teaching model, **not fitted to data**, after Keysers & Perrett (2004) and Keysers &
Gazzola (2014).

The idea
--------
An action is a sequence of phases (reach, open the hand, close it, lift ...). While you act, premotor
cortex (PM, "doing") programs phase *k* during its own time slot; the sight (or sound) of that phase reaches
the superior temporal sulcus (STS, "seeing") about **200 ms later** (Keysers & Gazzola 2014). By then PM is
already programming the *next* phase.

The STS→PM synapse follows **spike-timing-dependent plasticity** (STDP; Bi & Poo 1998): the sender here is
the STS neuron, so the synapse is *strengthened* when STS fires shortly *before* PM (pre before post, a
window of about 20 ms) and *weakened* when STS fires after PM (post before pre). With a 200 ms sight delay
the sight of phase *n* is active together with the motor program of phase *n + 1* (and ends just as the
program of phase *n + 2* starts): the link "see phase *n* → program phase *n + 1*" grows, while "see
phase *n* → program phase *n*" (whose program ended before the sight arrived) does not. After learning,
**watching** someone else's phase *n* drives the program of phase *n + 1*: PM runs about one phase ahead of
what is seen, which is the sense in which Keysers & Gazzola call these mirror neurons *predictive*. With a
sight delay near 0 the learned links fall on the diagonal instead (see phase *n* → program phase *n*); with
a contingency of 0 (you never see your own action) nothing is learned.

Model assumptions (label them as such when teaching)
----------------------------------------------------
- Each phase is a block of constant drive; PM and STS are rate units ``τ·dr/dt = −r + drive`` (τ = 20 ms).
- The STDP window acts on rates: ``K(Δ) = exp(−Δ/τ₊)`` for ``Δ = t_post − t_pre > 0`` and
  ``−a₋·exp(Δ/τ₋)`` for ``Δ < 0`` (τ₊ = τ₋ = 20 ms after Bi & Poo's ~20 ms windows). The depression side is
  smaller (``a₋ = 0.5``), so firing together in the same few tens of ms strengthens on balance; this ratio
  is a modelling choice, not a measurement.
- Soft bounds keep each weight in [0, 1]; a weight of 1 means that seeing drives PM as strongly as doing.
- Only trials on which you see your own action change the weights; how often you see an action *without*
  doing it has no effect here. Contingency-sensitive learning is the subject of
  :mod:`empathy_explorer.models.associative` (Cook et al. 2010 call counter-mirror learning "not purely
  Hebbian"; Keysers, Perrett & Gazzola 2014 reply that Hebbian learning detects contingency too).
- Keysers & Gazzola's inhibitory PM→STS feedback (prediction error) is not modelled.

Whether mirror responses *cause* action understanding is disputed (Hickok 2009); this model is about where
they could come from, not what they are for.

References
----------
Bi, G., & Poo, M. (1998). Synaptic modifications in cultured hippocampal neurons: dependence on spike
timing, synaptic strength, and postsynaptic cell type. Journal of Neuroscience, 18(24), 10464–10472.
https://doi.org/10.1523/JNEUROSCI.18-24-10464.1998

Keysers, C., & Perrett, D. I. (2004). Demystifying social cognition: a Hebbian perspective. Trends in
Cognitive Sciences, 8(11), 501–507. https://doi.org/10.1016/j.tics.2004.09.005

Keysers, C., & Gazzola, V. (2014). Hebbian learning and predictive mirror neurons for actions, sensations
and emotions. Phil. Trans. R. Soc. B, 369, 20130175. https://doi.org/10.1098/rstb.2013.0175

Cook, R., Press, C., Dickinson, A., & Heyes, C. (2010). Acquisition of automatic imitation is sensitive to
sensorimotor contingency. J. Exp. Psychol. Hum. Percept. Perform., 36(4), 840–852.
https://doi.org/10.1037/a0019256

Keysers, C., Perrett, D. I., & Gazzola, V. (2014). Hebbian learning is about contingency, not contiguity,
and explains the emergence of predictive mirror neurons. Behav. Brain Sci., 37(2), 205–206.
https://doi.org/10.1017/S0140525X13002343

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
from scipy.signal import lfilter

from empathy_explorer.validation import ReadOnlyArrays, as_count, as_number, as_probability, as_seed

__all__ = ["HebbianResult", "hebbian_mirror_learning", "stdp_drive", "stdp_window"]

_DT_MS = 1.0
#: Half-maximum crossing used to time the onset of a response.
_ONSET_FRACTION = 0.5
#: Below this peak a PM response counts as absent (no onset, no lead).
_MIN_RESPONSE = 0.05


# --------------------------------------------------------------------------------------------------
# The STDP window
# --------------------------------------------------------------------------------------------------


def stdp_window(
    lag_ms: np.ndarray | float,
    *,
    tau_plus_ms: float = 20.0,
    tau_minus_ms: float = 20.0,
    depression: float = 0.5,
) -> np.ndarray:
    """Weight change per pair of spikes as a function of their timing (the STDP window).

    Parameters
    ----------
    lag_ms : array_like
        ``t_post − t_pre`` in ms: positive when the sending (presynaptic) neuron fires first.
    tau_plus_ms, tau_minus_ms : float, default 20
        Time constants of the strengthening (pre before post) and weakening (post before pre) sides, ms.
    depression : float, default 0.5
        Size of the weakening side relative to the strengthening side (a model assumption).

    Returns
    -------
    ndarray
        ``exp(−lag/τ₊)`` for lag > 0, ``−depression·exp(lag/τ₋)`` for lag < 0 and their mean,
        ``(1 − depression)/2``, at lag 0.

    Examples
    --------
    >>> float(stdp_window(10.0)) > 0 > float(stdp_window(-10.0))
    True

    References
    ----------
    Bi & Poo (1998), J Neurosci 18:10464–10472 (potentiation within ~20 ms after presynaptic activation,
    depression within ~20 ms before).
    """
    lag = np.asarray(lag_ms, dtype=float)
    # Evaluate each side only where it applies, so that large lags never overflow the exponential.
    after = np.exp(-np.clip(lag, 0.0, None) / tau_plus_ms)
    before = -depression * np.exp(np.clip(lag, None, 0.0) / tau_minus_ms)
    return np.where(lag > 0, after, np.where(lag < 0, before, 0.5 * (1.0 - depression)))


def stdp_drive(
    pre: np.ndarray,
    post: np.ndarray,
    *,
    dt_ms: float = _DT_MS,
    tau_plus_ms: float = 20.0,
    tau_minus_ms: float = 20.0,
    depression: float = 0.5,
) -> np.ndarray:
    """Net STDP drive between every presynaptic and every postsynaptic activity trace.

    ``G[i, k] = Σ_t Σ_Δ K(Δ)·pre_i(t)·post_k(t + Δ)`` (times ``dt_ms``), with ``K`` from
    :func:`stdp_window`: the expected weight change of the synapse i → k when the two fire with these
    rates (or these spikes). Computed with two exponential filters (no loop over lags).

    Parameters
    ----------
    pre : ndarray, shape (n_pre, n_samples) or (n_samples,)
        Activity of the sending neurons on a grid of ``dt_ms``.
    post : ndarray, shape (n_post, n_samples) or (n_samples,)
        Activity of the receiving neurons on the same grid.
    dt_ms, tau_plus_ms, tau_minus_ms, depression : float
        Grid step and window parameters as in :func:`stdp_window`.

    Returns
    -------
    ndarray, shape (n_pre, n_post)
        Positive: the synapse strengthens; negative: it weakens.

    Examples
    --------
    >>> pre, post = np.zeros(300), np.zeros(300)
    >>> pre[100], post[110] = 1.0, 1.0          # the sender fires 10 ms before the receiver
    >>> float(stdp_drive(pre, post)[0, 0]) > 0
    True
    >>> float(stdp_drive(post, pre)[0, 0]) < 0  # the reverse order weakens the synapse
    True
    """
    pre = np.atleast_2d(np.asarray(pre, dtype=float))
    post = np.atleast_2d(np.asarray(post, dtype=float))
    a_plus = math.exp(-dt_ms / tau_plus_ms)
    a_minus = math.exp(-dt_ms / tau_minus_ms)
    # Σ_{Δ≥1} a₊^Δ post(t + Δ): an anti-causal exponential filter (run the causal one backwards).
    later = a_plus * lfilter([0.0, 1.0], [1.0, -a_plus], post[:, ::-1], axis=-1)[:, ::-1]
    # Σ_{Δ≥1} a₋^Δ post(t − Δ): a causal exponential filter.
    earlier = a_minus * lfilter([0.0, 1.0], [1.0, -a_minus], post, axis=-1)
    weighted = later - depression * earlier + 0.5 * (1.0 - depression) * post
    return (pre @ weighted.T) * dt_ms


# --------------------------------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class HebbianResult(ReadOnlyArrays):
    """Learned STS→PM links of a multi-phase action, and what PM does when watching (simulated).

    Attributes
    ----------
    trials : ndarray of int
        Trial number, 0 (before training) to ``n_trials``.
    seen : ndarray of bool
        Whether the learner saw their own action on each trial (length ``n_trials``).
    weight_history : ndarray, shape (n_trials + 1, n_phases, n_phases)
        ``weight_history[t, j, k]``: link from STS "sight of phase j" to PM "program of phase k" after trial
        ``t`` (0–1; 1 = seeing drives PM as strongly as doing).
    weights : ndarray, shape (n_phases, n_phases)
        The links after training (seen phase × motor phase).
    pairing : ndarray, shape (n_phases, n_phases)
        STDP drive of one seen trial, relative to perfectly simultaneous firing (positive strengthens).
    doing_times_ms : ndarray
        Time within a performed action, ms from the start of its first motor phase.
    premotor_doing, sts_doing : ndarray, shape (n_phases, n_doing_times)
        PM programs and STS sights of each phase while you perform the action and see it (0–1).
    times_ms : ndarray
        Time while watching someone else, ms from the moment the sight of their first phase reaches STS.
    sts_watching, premotor_watching : ndarray, shape (n_phases, n_times)
        STS and PM activity per phase while watching, after training (PM is 0 before training).
    shown_phase : int
        The phase (0-based) whose time course the demo shows (a middle phase).
    pm_lead_ms : float or None
        How long before its sight the program of ``shown_phase`` starts while watching (half-maximum
        onsets; positive = PM leads, negative = PM lags); None if PM does not respond.
    link_offset : int or None
        The offset ``k − j`` (motor phase minus seen phase) with the strongest mean learned link;
        +1 = predictive (next phase), 0 = mirror of the same phase; None if nothing was learned.
    mirror_ratio : float
        Peak PM activity when watching ÷ peak PM activity when doing (0 = watching does nothing).
    parameters : Mapping
        The parameter values used.
    """

    trials: np.ndarray
    seen: np.ndarray
    weight_history: np.ndarray
    weights: np.ndarray
    pairing: np.ndarray
    doing_times_ms: np.ndarray
    premotor_doing: np.ndarray
    sts_doing: np.ndarray
    times_ms: np.ndarray
    sts_watching: np.ndarray
    premotor_watching: np.ndarray
    shown_phase: int
    pm_lead_ms: float | None
    link_offset: int | None
    mirror_ratio: float
    parameters: Mapping[str, object] = field(default_factory=dict)
    simulated: bool = True

    @property
    def n_phases(self) -> int:
        """Number of phases of the action."""
        return int(self.weights.shape[0])

    def link_history(self, offset: int) -> np.ndarray:
        """Mean weight of the links "see phase j → program phase j + offset" after each trial.

        ``offset=1``: predictive links (next phase); ``offset=0``: same-phase (mirror) links.
        """
        n = self.n_phases
        if not -n < offset < n:
            raise ValueError(f"offset must lie between {-(n - 1)} and {n - 1}; got {offset}.")
        return np.diagonal(self.weight_history, offset=offset, axis1=1, axis2=2).mean(axis=1)

    def to_frame(self) -> pd.DataFrame:
        """The learned weight matrix, tidy: columns ``seen_phase``, ``motor_phase`` (1-based),
        ``weight``, ``simulated``."""
        n = self.n_phases
        seen, motor = np.meshgrid(np.arange(1, n + 1), np.arange(1, n + 1), indexing="ij")
        return pd.DataFrame(
            {
                "seen_phase": seen.ravel(),
                "motor_phase": motor.ravel(),
                "weight": self.weights.ravel(),
                "simulated": True,
            }
        )

    def time_course_frame(self) -> pd.DataFrame:
        """Activity while watching, tidy: columns ``time_ms``, ``area`` (``"STS"``/``"premotor"``),
        ``phase`` (1-based), ``activity``, ``simulated``."""
        n, t = self.sts_watching.shape
        return pd.DataFrame(
            {
                "time_ms": np.tile(self.times_ms, 2 * n),
                "area": np.repeat(["STS", "premotor"], n * t),
                "phase": np.tile(np.repeat(np.arange(1, n + 1), t), 2),
                "activity": np.concatenate([self.sts_watching.ravel(), self.premotor_watching.ravel()]),
                "simulated": True,
            }
        )


# --------------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------------


def _rate(drive: np.ndarray, tau_ms: float) -> np.ndarray:
    """Exponential-Euler rate units τ·dr/dt = −r + drive along the last axis (1 ms grid), r(0) = 0."""
    a = math.exp(-_DT_MS / tau_ms)
    return lfilter([1.0 - a], [1.0, -a], drive, axis=-1)


def _blocks(times: np.ndarray, starts: np.ndarray, length_ms: float) -> np.ndarray:
    """One row per start: 1 while ``start ≤ t < start + length_ms``, else 0."""
    t = times[np.newaxis, :]
    s = starts[:, np.newaxis]
    return ((t >= s) & (t < s + length_ms)).astype(float)


def _onset(times: np.ndarray, trace: np.ndarray) -> float | None:
    """First time ``trace`` reaches half its peak (None if the peak is below the response floor)."""
    peak = float(trace.max())
    if peak < _MIN_RESPONSE:
        return None
    return float(times[int(np.argmax(trace >= _ONSET_FRACTION * peak))])


def _doing(
    n_phases: int, phase_ms: float, sight_delay_ms: float, tau_ms: float, tail_ms: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Doing: PM programs phase k during [k·P, (k+1)·P); its sight reaches STS sight_delay_ms later.

    Returns the time grid (ms) and the PM and STS rates, one row per phase.
    """
    phase_starts = np.arange(n_phases) * phase_ms
    start = min(0.0, sight_delay_ms) - 100.0
    stop = n_phases * phase_ms + max(0.0, sight_delay_ms) + tail_ms
    times = np.arange(start, stop, _DT_MS)
    premotor = _rate(_blocks(times, phase_starts, phase_ms), tau_ms)
    sts = _rate(_blocks(times, phase_starts + sight_delay_ms, phase_ms), tau_ms)
    return times, premotor, sts


def _training(seen: np.ndarray, pairing: np.ndarray, learning_rate: float, decay: float) -> np.ndarray:
    """Soft-bounded STDP on seen trials, forgetting on every trial: the weights after each trial.

    Per seen trial ``w ← clip((1 − λ)·(w + η·(s·(1 − w) − k·w))) = clip(A·w + B)``; unseen: ``w ← (1 − λ)·w``.
    """
    strengthen = np.clip(pairing, 0.0, None)
    weaken = np.clip(-pairing, 0.0, None)
    keep = 1.0 - decay
    gain_seen = keep * (1.0 - learning_rate * (strengthen + weaken))
    offset_seen = keep * learning_rate * strengthen
    # The affine step stays inside [0, 1] unless η·|pairing| > 1 (a very fast rate): clip only then.
    needs_clip = bool(np.any(gain_seen < 0.0))
    history = np.zeros((seen.size + 1, *pairing.shape))
    w = np.zeros(pairing.shape)
    for trial, was_seen in enumerate(seen.tolist(), start=1):  # ≤ 2000 in-place steps of a tiny matrix
        if was_seen:
            np.multiply(w, gain_seen, out=w)
            w += offset_seen
            if needs_clip:
                np.clip(w, 0.0, 1.0, out=w)
        else:
            w *= keep
        history[trial] = w
    return history


def _watching(
    w: np.ndarray, phase_ms: float, tau_ms: float, tail_ms: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Watching someone else: STS sees their phase j from j·P on; PM is driven only through the links."""
    n_phases = w.shape[0]
    times = np.arange(-100.0, n_phases * phase_ms + tail_ms + 100.0, _DT_MS)
    sts = _rate(_blocks(times, np.arange(n_phases) * phase_ms, phase_ms), tau_ms)
    return times, sts, _rate(w.T @ sts, tau_ms)


@dataclass(frozen=True)
class _Parameters:
    """The checked parameters of :func:`hebbian_mirror_learning`, in order (its ``parameters``)."""

    contingency: float
    sight_delay_ms: float
    n_phases: int
    phase_ms: float
    learning_rate: float
    decay: float
    n_trials: int
    tau_ms: float
    stdp_tau_ms: float
    depression: float
    seed: int


def _simulate(p: _Parameters) -> HebbianResult:
    """Do, learn and watch with checked parameters (the steps of :func:`hebbian_mirror_learning`)."""
    window = {"tau_plus_ms": p.stdp_tau_ms, "tau_minus_ms": p.stdp_tau_ms, "depression": p.depression}
    tail_ms = 10.0 * max(p.tau_ms, p.stdp_tau_ms)
    doing_times, premotor_doing, sts_doing = _doing(
        p.n_phases, p.phase_ms, p.sight_delay_ms, p.tau_ms, tail_ms
    )

    # STDP drive of one seen trial, relative to a phase firing exactly together with itself.
    reference = float(stdp_drive(premotor_doing[:1], premotor_doing[:1], **window)[0, 0])
    pairing = stdp_drive(sts_doing, premotor_doing, **window) / reference
    seen = np.random.default_rng(p.seed).random(p.n_trials) < p.contingency
    history = _training(seen, pairing, p.learning_rate, p.decay)
    w = history[-1]
    times, sts_watching, premotor_watching = _watching(w, p.phase_ms, p.tau_ms, tail_ms)
    shown = p.n_phases // 2
    pm_onset = _onset(times, premotor_watching[shown])
    sts_onset = _onset(times, sts_watching[shown])
    lead = None if pm_onset is None or sts_onset is None else sts_onset - pm_onset
    ratio = float(premotor_watching.max()) / float(premotor_doing.max())

    offsets = np.arange(-(p.n_phases - 1), p.n_phases)
    mean_links = np.array([np.diagonal(w, offset=int(o)).mean() for o in offsets])
    link_offset = int(offsets[int(np.argmax(mean_links))]) if mean_links.max() >= _MIN_RESPONSE else None

    return HebbianResult(
        trials=np.arange(p.n_trials + 1),
        seen=seen,
        weight_history=history,
        weights=w.copy(),
        pairing=pairing,
        doing_times_ms=doing_times,
        premotor_doing=premotor_doing,
        sts_doing=sts_doing,
        times_ms=times,
        sts_watching=sts_watching,
        premotor_watching=premotor_watching,
        shown_phase=shown,
        pm_lead_ms=lead,
        link_offset=link_offset,
        mirror_ratio=ratio,
        parameters=MappingProxyType(dataclasses.asdict(p)),
    )


def hebbian_mirror_learning(
    *,
    contingency: float = 1.0,
    sight_delay_ms: float = 200.0,
    n_phases: int = 4,
    phase_ms: float = 200.0,
    learning_rate: float = 0.03,
    decay: float = 0.03,
    n_trials: int = 200,
    tau_ms: float = 20.0,
    stdp_tau_ms: float = 20.0,
    depression: float = 0.5,
    seed: int = 0,
) -> HebbianResult:
    """Learn STS→PM links by doing and seeing a multi-phase action (STDP), then watch someone else.

    Parameters
    ----------
    contingency : float, default 1.0
        P(see | do): probability, 0–1, of seeing your own action each time you do it. 1 = always (a hand
        you can watch), 0 = never (a facial expression with no mirror and nobody imitating you).
    sight_delay_ms : float, default 200
        How long after PM programs a phase its sight reaches STS, ms (−1000 to 1000). About +200 ms
        (Keysers & Gazzola 2014); 0 = seen at once; negative = seen *before* it is programmed.
    n_phases : int, default 4
        Phases of the action (2–8). Illustrative.
    phase_ms : float, default 200
        Duration of each phase, ms (50–1000). Illustrative.
    learning_rate : float, default 0.03
        η: fraction of the remaining distance to the maximum gained per perfectly timed seen trial (0–1).
        Illustrative.
    decay : float, default 0.03
        λ: fraction of every weight lost per trial (0–1; forgetting). Illustrative.
    n_trials : int, default 200
        Training trials (1–2000).
    tau_ms : float, default 20
        Time constant of the PM and STS rate units, ms (1–200). Illustrative.
    stdp_tau_ms : float, default 20
        Width of both sides of the STDP window, ms (1–100); about 20 ms after Bi & Poo (1998).
    depression : float, default 0.5
        Size of the weakening side of the window relative to the strengthening side (0–1). A model
        assumption.
    seed : int, default 0
        Random seed deciding on which trials the action is seen (only matters for 0 < contingency < 1).

    Returns
    -------
    HebbianResult
        ``weights`` (seen phase × motor phase), ``weight_history``, ``link_history(offset)``, the doing and
        watching time courses, ``pm_lead_ms``, ``link_offset`` and ``mirror_ratio``; ``.to_frame()``
        (matrix) and ``.time_course_frame()`` for charts. Simulated data.

    Raises
    ------
    ParameterError
        If a probability is outside [0, 1], a duration is out of range, ``n_trials`` is not a whole number
        ≥ 1, and so on; the message names the parameter and its valid range.

    Examples
    --------
    >>> from empathy_explorer.models import hebbian_mirror_learning
    >>> learned = hebbian_mirror_learning()              # sight arrives 200 ms after the program
    >>> learned.link_offset, learned.pm_lead_ms > 150    # links point to the NEXT phase; PM leads
    (1, True)
    >>> hebbian_mirror_learning(sight_delay_ms=0).link_offset
    0
    >>> float(hebbian_mirror_learning(contingency=0.0).weights.max())
    0.0

    References
    ----------
    Keysers & Gazzola (2014), Phil Trans R Soc B 369:20130175; Keysers & Perrett (2004), Trends Cogn Sci
    8:501–507; Bi & Poo (1998), J Neurosci 18:10464–10472.
    """
    p = _Parameters(
        contingency=as_probability(contingency, "contingency", meaning="P(see | do)"),
        sight_delay_ms=as_number(
            sight_delay_ms,
            "sight_delay_ms",
            meaning="when the sight reaches STS",
            unit="ms",
            low=-1000,
            high=1000,
        ),
        n_phases=as_count(n_phases, "n_phases", meaning="phases of the action", low=2, high=8),
        phase_ms=as_number(
            phase_ms, "phase_ms", meaning="duration of each phase", unit="ms", low=50, high=1000
        ),
        learning_rate=as_number(
            learning_rate, "learning_rate", meaning="η, gain per seen trial", low=0, high=1
        ),
        decay=as_number(decay, "decay", meaning="λ, weight lost per trial", low=0, high=1),
        n_trials=as_count(n_trials, "n_trials", meaning="number of training trials", low=1, high=2000),
        tau_ms=as_number(
            tau_ms, "tau_ms", meaning="time constant of the rate units", unit="ms", low=1, high=200
        ),
        stdp_tau_ms=as_number(
            stdp_tau_ms, "stdp_tau_ms", meaning="width of the STDP window", unit="ms", low=1, high=100
        ),
        depression=as_number(
            depression, "depression", meaning="weakening side of the STDP window", low=0, high=1
        ),
        seed=as_seed(seed),
    )
    return _simulate(p)
