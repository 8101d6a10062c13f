"""Hebbian learning of mirror responses: seeing your own action teaches premotor cortex to "mirror".

An illustrative teaching model, **not fitted to data** ([suggested design] in the project's ``science.md``,
section 1A), after Keysers & Gazzola (2014). Two rate units:

- premotor cortex (PM, "doing"), driven by the motor command of an action;
- superior temporal sulcus (STS, "seeing"), driven by the sight of the action.

When you act, PM fires first and the sight (or sound) of your own action reaches STS about 200 ms later
(Keysers & Gazzola 2014). The STS→PM synapse follows the suggested rule ``dw/dt = η·s(t)·m(t − d) − λ·w``:
it grows when STS activity ``s`` arrives ``d`` ms after PM activity ``m``. After many trials in which
doing is reliably followed by seeing, the sight of *someone else's* action alone drives PM: a mirror
response, learned from contingency and timing. Sight that never follows action (contingency 0) or that
comes *before* the action (reversed timing) teaches nothing.

What the model leaves out, for the teacher
------------------------------------------
- The plasticity rule only ever sees *paired* trials: how often you see an action without doing it has no
  effect here. Real counter-mirror training depends on contingency, which Cook, Press, Dickinson & Heyes
  (2010, https://doi.org/10.1037/a0019256) take to show the learning is "not purely Hebbian";
  see :mod:`empathy_explorer.models.associative` for a
  Rescorla–Wagner (contingency-sensitive) version.
- Keysers & Gazzola also propose that PM→STS feedback is inhibitory and cancels the expected input
  (prediction error); it is not modelled.
- Whether mirror responses *cause* action understanding is disputed: Hickok (2009) argues that no monkey
  data directly test it and that human evidence "makes a strong case against" it.

The weight is expressed relative to the motor command: ``w = 1`` would mean that seeing an action drives
premotor cortex as strongly as doing it. Learning is soft-bounded so the weight stays in [0, 1]:
on each trial ``w ← w + η·c·seen·(1 − w) − λ·w``, where ``c`` (the pairing efficacy, 0–1) measures how
well the timing of the sight matches the plasticity delay ``d``: it is the overlap
``∫ s(t)·m(t − d) dt`` normalised by its value at perfect timing.

References
----------
Keysers, C., & Gazzola, V. (2014). Hebbian learning and predictive mirror neurons for actions, sensations
and emotions. Phil. Trans. R. Soc. B, 369, 20130175. https://doi.org/10.1098/rstb.2013.0175

Catmur, C., Walsh, V., & Heyes, C. (2009). Associative sequence learning: the role of experience in the
development of imitation and the mirror system. Phil. Trans. R. Soc. B, 364, 2369–2380.
https://doi.org/10.1098/rstb.2009.0048

Hickok, G. (2009). Eight problems for the mirror neuron theory of action understanding in monkeys and
humans. Journal of Cognitive Neuroscience, 21(7), 1229–1243. https://doi.org/10.1162/jocn.2009.21189
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from empathy_explorer.models._params import as_count, as_number, as_probability, as_seed, freeze

__all__ = ["HebbianResult", "hebbian_mirror_learning"]

_DT_MS = 1.0


@dataclass(frozen=True, eq=False)
class HebbianResult:
    """Training history and premotor time courses from :func:`hebbian_mirror_learning` (simulated).

    Attributes
    ----------
    trials : ndarray of int
        Trial number, 0 (before training) to ``n_trials``.
    seen : ndarray of bool
        Whether the learner saw their own action on each trial (length ``n_trials``).
    weight_history : ndarray
        STS→PM weight before training and after each trial (length ``n_trials + 1``; 0–1, unitless).
    mirror_ratio_history : ndarray
        Premotor response to observation alone divided by the response to doing, after each trial.
    pairing_efficacy : float
        How well the sight's timing matches the plasticity delay, 0 (no overlap) to 1 (perfect).
    times_ms : ndarray
        Time within a trial, ms, relative to the start of the action (or of the observed action).
    premotor_doing, sts_doing : ndarray
        PM and STS activity when the learner performs the action and sees it (0–1).
    sts_watching : ndarray
        STS activity when watching someone else perform the action.
    premotor_watching_before, premotor_watching_after : ndarray
        PM activity when only watching, before and after training.
    action_response : float
        Peak PM activity when doing the action.
    mirror_response_before, mirror_response_after : float
        Peak PM activity when only watching, before and after training.
    mirror_ratio : float
        ``mirror_response_after / action_response`` (≥ 0.5: a strong mirror response).
    parameters : Mapping
        The parameter values used.
    """

    trials: np.ndarray
    seen: np.ndarray
    weight_history: np.ndarray
    mirror_ratio_history: np.ndarray
    pairing_efficacy: float
    times_ms: np.ndarray
    premotor_doing: np.ndarray
    sts_doing: np.ndarray
    sts_watching: np.ndarray
    premotor_watching_before: np.ndarray
    premotor_watching_after: np.ndarray
    action_response: float
    mirror_response_before: float
    mirror_response_after: float
    mirror_ratio: float
    parameters: Mapping[str, object] = field(default_factory=dict)
    simulated: bool = True

    def to_frame(self) -> pd.DataFrame:
        """Training history, tidy: columns ``trial``, ``quantity`` (``"weight"`` or
        ``"mirror ratio"``), ``value``, ``seen`` (was the action seen on that trial; False for trial 0),
        ``simulated``."""
        n = self.trials.size
        seen = np.concatenate([[False], self.seen])
        return pd.DataFrame(
            {
                "trial": np.tile(self.trials, 2),
                "quantity": np.repeat(["weight", "mirror ratio"], n),
                "value": np.concatenate([self.weight_history, self.mirror_ratio_history]),
                "seen": np.tile(seen, 2),
                "simulated": True,
            }
        )

    def time_course_frame(self) -> pd.DataFrame:
        """Activity within one trial, tidy: columns ``time_ms``, ``condition`` (``"doing"``,
        ``"watching, before training"``, ``"watching, after training"``), ``area`` (``"premotor"`` or
        ``"STS"``), ``activity``, ``simulated``."""
        curves = [
            ("doing", "premotor", self.premotor_doing),
            ("doing", "STS", self.sts_doing),
            ("watching, before training", "premotor", self.premotor_watching_before),
            ("watching, before training", "STS", self.sts_watching),
            ("watching, after training", "premotor", self.premotor_watching_after),
            ("watching, after training", "STS", self.sts_watching),
        ]
        n = self.times_ms.size
        return pd.DataFrame(
            {
                "time_ms": np.tile(self.times_ms, len(curves)),
                "condition": np.repeat([c for c, _, _ in curves], n),
                "area": np.repeat([a for _, a, _ in curves], n),
                "activity": np.concatenate([v for _, _, v in curves]),
                "simulated": True,
            }
        )


def _rate(drive: np.ndarray, tau_ms: float) -> np.ndarray:
    """Exponential-Euler rate unit tau·dr/dt = −r + drive on the 1 ms grid, r(0) = 0."""
    a = math.exp(-_DT_MS / tau_ms)
    return lfilter([1.0 - a], [1.0, -a], drive)


def _shifted(signal: np.ndarray, shift: int) -> np.ndarray:
    """Shift right by ``shift`` samples (left if negative), padding with zeros."""
    out = np.zeros_like(signal)
    if shift >= 0:
        if shift < signal.size:
            out[shift:] = signal[: signal.size - shift]
    elif -shift < signal.size:
        out[:shift] = signal[-shift:]
    return out


def hebbian_mirror_learning(
    *,
    contingency: float = 1.0,
    sight_delay_ms: float = 200.0,
    plasticity_delay_ms: float = 200.0,
    learning_rate: float = 0.05,
    decay: float = 0.02,
    n_trials: int = 200,
    action_ms: float = 100.0,
    tau_ms: float = 20.0,
    seed: int = 0,
) -> HebbianResult:
    """Train the STS→premotor synapse by doing and seeing, then test the response to watching alone.

    Parameters
    ----------
    contingency : float, default 1.0
        P(see | do): probability, 0–1, of seeing your own action each time you do it. 1 = always (a hand
        you can watch), 0 = never (a facial expression with no mirror and nobody imitating you).
        Illustrative.
    sight_delay_ms : float, default 200
        When the sight of your action reaches STS, ms after premotor activity starts (−1000 to 1000).
        About +200 ms (Keysers & Gazzola 2014). Negative values put the sight *before* the action
        (reversed timing).
    plasticity_delay_ms : float, default 200
        The lag ``d`` of the learning rule, ms (0–1000): the synapse strengthens most when STS activity
        follows PM activity by ``d``. 200 ms after Keysers & Gazzola (2014), as in the suggested design.
    learning_rate : float, default 0.05
        η, fraction of the remaining distance to the maximum weight gained per perfectly timed paired trial
        (0–1). Illustrative.
    decay : float, default 0.02
        λ, fraction of the weight lost per trial (0–1; forgetting). Illustrative.
    n_trials : int, default 200
        Number of training trials (1–2000). Illustrative.
    action_ms : float, default 100
        Duration of the motor command and of the seen action, ms (1–1000). Illustrative.
    tau_ms : float, default 20
        Time constant of both rate units, ms (1–500). Illustrative.
    seed : int, default 0
        Random seed deciding on which trials the action is seen (only matters for 0 < contingency < 1).

    Returns
    -------
    HebbianResult
        ``weight_history``, ``mirror_ratio_history``, premotor/STS time courses, ``action_response``,
        ``mirror_response_before``/``after`` and ``mirror_ratio``; ``.to_frame()`` (training history) and
        ``.time_course_frame()`` for charts. Simulated data.

    Raises
    ------
    ParameterError
        If a probability is outside [0, 1], a duration is not positive, ``n_trials`` is not a whole number
        ≥ 1, and so on; the message names the parameter and its valid range.

    Examples
    --------
    >>> from empathy_explorer.models import hebbian_mirror_learning
    >>> trained = hebbian_mirror_learning(contingency=1.0)
    >>> trained.mirror_ratio > 0.5
    True
    >>> hebbian_mirror_learning(contingency=0.0).mirror_ratio
    0.0
    >>> hebbian_mirror_learning(sight_delay_ms=-200).mirror_ratio < 0.01
    True

    References
    ----------
    Keysers & Gazzola (2014), Phil Trans R Soc B 369:20130175. Hickok (2009), J Cogn Neurosci
    21:1229–1243 (the action-understanding controversy).
    """
    contingency = as_probability(contingency, "contingency", meaning="P(see | do)")
    sight_delay_ms = as_number(
        sight_delay_ms,
        "sight_delay_ms",
        meaning="when the sight reaches STS",
        unit="ms",
        low=-1000,
        high=1000,
    )
    plasticity_delay_ms = as_number(
        plasticity_delay_ms,
        "plasticity_delay_ms",
        meaning="lag of the learning rule",
        unit="ms",
        low=0,
        high=1000,
    )
    learning_rate = as_number(
        learning_rate, "learning_rate", meaning="η, gain per paired trial", low=0, high=1
    )
    decay = as_number(decay, "decay", meaning="λ, weight lost per trial", low=0, high=1)
    n_trials = as_count(n_trials, "n_trials", meaning="number of training trials", low=1, high=2000)
    action_ms = as_number(
        action_ms, "action_ms", meaning="duration of the action", unit="ms", low=1, high=1000
    )
    tau_ms = as_number(
        tau_ms, "tau_ms", meaning="time constant of the rate units", unit="ms", low=1, high=500
    )
    seed = as_seed(seed)

    # Activity of a rate unit driven by one action (burst), long enough for the tail to vanish.
    n_kernel = round(action_ms / _DT_MS) + math.ceil(25 * tau_ms / _DT_MS)
    burst = np.zeros(n_kernel)
    burst[: round(action_ms / _DT_MS)] = 1.0
    kernel = _rate(burst, tau_ms)

    # Pairing efficacy: overlap of s(t) = k(t − δ) with m(t − d) = k(t − d), i.e. the kernel's
    # autocorrelation at lag δ − d, normalised by its value at lag 0.
    lag = round((sight_delay_ms - plasticity_delay_ms) / _DT_MS)
    if abs(lag) >= n_kernel:
        efficacy = 0.0
    else:
        efficacy = float(np.dot(kernel[abs(lag) :], kernel[: n_kernel - abs(lag)]) / np.dot(kernel, kernel))

    rng = np.random.default_rng(seed)
    seen = rng.random(n_trials) < contingency
    gain = learning_rate * efficacy
    weights = [0.0]
    w = 0.0
    for was_seen in seen.tolist():  # a scalar recursion over ≤ 2000 trials: microseconds
        w = w + (gain * (1.0 - w) if was_seen else 0.0) - decay * w
        w = min(max(w, 0.0), 1.0)
        weights.append(w)
    weight_history = np.asarray(weights)

    # Time courses within a trial on a display grid.
    start = -200.0
    stop = max(800.0, sight_delay_ms + action_ms + 8 * tau_ms, action_ms + 8 * tau_ms)
    times = np.arange(start, stop, _DT_MS)
    onset = round(-start / _DT_MS)
    padded = np.zeros(times.size)
    m = min(n_kernel, times.size - onset)
    padded[onset : onset + m] = kernel[:m]
    premotor_doing = padded
    sts_doing = _shifted(padded, round(sight_delay_ms / _DT_MS))
    sts_watching = padded
    unit_response = _rate(sts_watching, tau_ms)  # PM response to watching with w = 1
    action_response = float(premotor_doing.max())
    mirror_unit = float(unit_response.max())
    ratio_history = weight_history * mirror_unit / action_response
    w_final = float(weight_history[-1])

    params = MappingProxyType(
        {
            "contingency": contingency,
            "sight_delay_ms": sight_delay_ms,
            "plasticity_delay_ms": plasticity_delay_ms,
            "learning_rate": learning_rate,
            "decay": decay,
            "n_trials": n_trials,
            "action_ms": action_ms,
            "tau_ms": tau_ms,
            "seed": seed,
        }
    )
    return HebbianResult(
        trials=freeze(np.arange(n_trials + 1)),
        seen=freeze(seen),
        weight_history=freeze(weight_history),
        mirror_ratio_history=freeze(ratio_history),
        pairing_efficacy=efficacy,
        times_ms=freeze(times),
        premotor_doing=freeze(premotor_doing),
        sts_doing=freeze(sts_doing),
        sts_watching=freeze(sts_watching),
        premotor_watching_before=freeze(weight_history[0] * unit_response),
        premotor_watching_after=freeze(w_final * unit_response),
        action_response=action_response,
        mirror_response_before=float(weight_history[0]) * mirror_unit,
        mirror_response_after=w_final * mirror_unit,
        mirror_ratio=float(ratio_history[-1]),
        parameters=params,
    )
