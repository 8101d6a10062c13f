"""From mimicry to synchrony: two coupled agents, attention, and a shared driver that mimics coupling.

An illustrative teaching model, **not fitted to data** (a coupled Ornstein–Uhlenbeck process and the
shared-driver confound). Each person's
physiological signal (think of skin conductance or heart rate, in standardised units) relaxes towards its
resting level with time constant ``tau_s``, is pushed around by its own fluctuations, may follow the
partner's signal ``delay_s`` seconds earlier (coupling), and may respond to the same outside events as the
partner (a shared driver: an alarm, distressing news, the same film)::

    x[n] = a·x[n−1] + (1 − a)·(κ_p·A·y[n−L] + g·D[n]) + σ·√(1 − a²)·ε_x[n]     (patient)
    y[n] = a·y[n−1] + (1 − a)·(κ_c·A·x[n−L] + g·D[n]) + σ·√(1 − a²)·ε_y[n]     (clinician)

with ``a = exp(−1/(fs·tau_s))`` (the exact exponential-Euler leak), ``L = delay_s·fs`` samples,
``κ_c``/``κ_p`` the clinician's and patient's coupling, ``A`` the attention that scales both (a "distant"
clinician turns coupling down, as in Marci & Orr 2006, where an emotionally distant interviewer lowered
both skin-conductance concordance and perceived empathy), ``g`` the shared-driver strength, ``D`` the
driver (1 during each shared event, else 0) and ``σ`` the size of each person's own fluctuations. Without
coupling or driver each signal has standard deviation ``σ``.

The recursion is solved without a Python loop over samples: for short delays by eliminating one person
(a single linear filter, :func:`scipy.signal.lfilter`, per person), for long delays block by block, since
within one delay neither person can yet react to the other.

Coupling versus a shared driver: which surrogate is honest
----------------------------------------------------------
Synchrony measures (cross-correlation, concordance) rise with coupling, but they rise just as well when
two people who do not influence each other at all react to the same events. Surrogate tests answer
"is this synchrony more than chance?" only for the chance they simulate:

- **Circular shifts, segment shuffling, phase randomisation** of one signal destroy the timing of
  *everything* the two signals share, coupling and shared driver alike. Against that null a shared driver
  looks highly "significant": correct if the question is "are these two signals related?", misleading if
  the question is "does the clinician respond to the patient?".
- **Pseudo-pairs that share the driver** keep what the driver explains and remove only the coupling: the
  patient of dyad *i* paired with the clinician of dyad *j ≠ i*, where every dyad went through the same
  schedule of outside events (here: the same ``driver_seed``; in a study, the same standardised interview or
  film, with time aligned to the events). Real and pseudo pairs then differ only in whether the two people
  actually met, so real synchrony above the pseudo-pair distribution is evidence of coupling *beyond the
  driver*. With coupling 0 the real pair is just one more draw from the same distribution and the test is
  (correctly) not significant; :func:`shared_driver_dyads` builds such a set of dyads.

Pseudo-pairs from dyads with *different* event schedules would again remove the driver and mislead: they
give a chance baseline only. The hypothetical dyads of Marci et al. (2007) are of that kind (their
abstract describes them as a test of the measure's reliability; in unscripted therapy such pairs share no
events). Coutinho et al. (2019) built pseudosynchrony by shuffling each couple's own data, which controls
for coincidental synchrony but, like a circular shift, not for a shared driver. Finally: synchrony is not
empathy. Linkage was *higher* in distressed couples during conflict (Levenson & Gottman 1983), and a
meta-analysis found an overall effect of 0.09, not significant, but +0.19 for sympathetic and -0.21 for
parasympathetic synchrony (Mayo et al. 2021).

References
----------
Marci, C. D., & Orr, S. P. (2006). The effect of emotional distance on psychophysiologic concordance and
perceived empathy between patient and interviewer. Applied Psychophysiology and Biofeedback, 31(2),
115–128. https://doi.org/10.1007/s10484-006-9008-4

Marci, C. D., Ham, J., Moran, E., & Orr, S. P. (2007). Physiologic correlates of perceived therapist empathy
and social-emotional process during psychotherapy. J Nerv Ment Dis, 195(2), 103–111.
https://doi.org/10.1097/01.nmd.0000253731.71025.fc

Coutinho, J., Oliveira-Silva, P., Fernandes, E., Gonçalves, O. F., Correia, D., Perrone Mc-Govern, K., &
Tschacher, W. (2019). Psychophysiological synchrony during verbal interaction in romantic relationships.
Family Process, 58(3), 716–733. https://doi.org/10.1111/famp.12371

Levenson, R. W., & Gottman, J. M. (1983). Marital interaction: physiological linkage and affective exchange.
Journal of Personality and Social Psychology, 45(3), 587–597. https://doi.org/10.1037/0022-3514.45.3.587
"""

from __future__ import annotations

import dataclasses
import inspect
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from empathy_explorer.errors import ParameterError
from empathy_explorer.validation import ReadOnlyArrays, as_count, as_number, as_probability, as_seed

__all__ = ["CoupledAgentsResult", "shared_driver_dyads", "simulate_coupled_agents"]

#: Delays up to this many samples use the single-filter solution; longer delays go block by block.
_CLOSED_FORM_MAX_LAG = 48
#: Couplings are capped below 1 so that the pair stays stable (signals do not explode).
MAX_COUPLING = 0.95


@dataclass(frozen=True, eq=False)
class CoupledAgentsResult(ReadOnlyArrays):
    """Two simulated physiological signals from :func:`simulate_coupled_agents` (simulated, illustrative).

    Attributes
    ----------
    times_s : ndarray
        Time, s, from 0 at the sampling rate ``fs``.
    patient, clinician : ndarray
        The two signals, standardised units (SD ≈ ``noise`` without coupling or driver).
    driver : ndarray
        The shared driver ``D`` (1 during a shared event, else 0).
    driver_events_s : ndarray
        Start times, s, of the shared events inside the session.
    fs : float
        Sampling rate, Hz.
    effective_coupling_clinician, effective_coupling_patient : float
        Coupling after attention: ``coupling·attention`` and ``patient_coupling·attention``.
    lag0_correlation : float
        Pearson correlation of the two whole signals at lag 0 (what a naive look at synchrony shows).
    parameters : Mapping
        The parameter values used (the ground truth).
    simulated : bool
        Always True.
    """

    times_s: np.ndarray
    patient: np.ndarray
    clinician: np.ndarray
    driver: np.ndarray
    driver_events_s: np.ndarray
    fs: float
    effective_coupling_clinician: float
    effective_coupling_patient: float
    lag0_correlation: float
    parameters: Mapping[str, object] = field(default_factory=dict)
    simulated: bool = True

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: columns ``time_s``, ``series`` (``"patient"``, ``"clinician"``,
        ``"shared driver"``), ``value``, ``simulated``. Downsample for display with
        ``empathy_explorer.app.charts.downsample_for_display`` if long."""
        n = self.times_s.size
        return pd.DataFrame(
            {
                "time_s": np.tile(self.times_s, 3),
                "series": np.repeat(["patient", "clinician", "shared driver"], n),
                "value": np.concatenate([self.patient, self.clinician, self.driver]),
                "simulated": True,
            }
        )


def _driver(
    driver_seed: int, n: int, fs: float, rate_per_min: float, event_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Boxcar train of Poisson events (rate per minute), from its own seed, and the event start indices."""
    rng = np.random.default_rng([driver_seed, 7919])  # independent of the agents' noise stream
    duration_s = n / fs
    count = int(rng.poisson(rate_per_min * duration_s / 60.0))
    starts = np.sort(rng.integers(0, n, size=count))
    steps = np.zeros(n + 1)
    width = max(1, round(event_s * fs))
    np.add.at(steps, starts, 1.0)
    np.add.at(steps, np.minimum(starts + width, n), -1.0)
    return np.minimum(np.cumsum(steps[:n]), 1.0), starts


def _solve_closed_form(u: np.ndarray, a: float, c_p: float, c_c: float, lag: int) -> np.ndarray:
    """Solve the coupled recursion by eliminating the partner: one IIR filter per person.

    x(1 − a z⁻¹) = c_p z⁻ᴸ y + u_x and y(1 − a z⁻¹) = c_c z⁻ᴸ x + u_y give
    x·[(1 − a z⁻¹)² − c_p c_c z⁻²ᴸ] = (1 − a z⁻¹) u_x + c_p z⁻ᴸ u_y (and symmetrically for y).
    """
    n = u.shape[1]
    den = np.zeros(2 * lag + 1)
    den[0] = 1.0
    den[1] += -2.0 * a
    den[2] += a * a
    den[2 * lag] += -c_p * c_c
    own = u - a * np.concatenate([np.zeros((2, 1)), u[:, :-1]], axis=1)
    partner = np.zeros_like(u)
    partner[0, lag:] = c_p * u[1, : n - lag]
    partner[1, lag:] = c_c * u[0, : n - lag]
    return lfilter([1.0], den, own + partner, axis=1)


def _solve_blocks(u: np.ndarray, a: float, c_p: float, c_c: float, lag: int) -> np.ndarray:
    """Solve the coupled recursion block by block: within ``lag`` samples only the leak acts."""
    n = u.shape[1]
    out = np.zeros_like(u)
    coupling = np.array([[c_p], [c_c]])
    last = np.zeros((2, 1))
    for start in range(0, n, lag):  # ≤ n / lag blocks, each one vectorised filter call
        stop = min(start + lag, n)
        drive = u[:, start:stop].copy()
        if start >= lag:
            drive += coupling * out[::-1, start - lag : stop - lag]
        out[:, start:stop], _ = lfilter([1.0], [1.0, -a], drive, axis=1, zi=a * last)
        last = out[:, stop - 1 : stop]
    return out


@dataclass(frozen=True)
class _Parameters:
    """The checked parameters of :func:`simulate_coupled_agents`, in order (its ``parameters``)."""

    coupling: float
    patient_coupling: float
    attention: float
    delay_s: float
    tau_s: float
    noise: float
    driver_strength: float
    driver_rate_per_min: float
    driver_event_s: float
    duration_s: float
    fs: float
    seed: int
    driver_seed: int


def _simulate(p: _Parameters) -> CoupledAgentsResult:
    """Simulate the pair with checked parameters; ``delay_s`` and ``duration_s`` become whole samples."""
    n = round(p.duration_s * p.fs)
    lag = max(1, round(p.delay_s * p.fs))
    burn = math.ceil(10.0 * p.tau_s * p.fs) + 2 * lag  # discarded start-up so the signals are stationary
    total = burn + n
    a = math.exp(-1.0 / (p.fs * p.tau_s))
    c_c = (1.0 - a) * p.coupling * p.attention
    c_p = (1.0 - a) * p.patient_coupling * p.attention

    rng = np.random.default_rng(p.seed)
    eps = rng.standard_normal((2, total))
    driver, starts = _driver(p.driver_seed, total, p.fs, p.driver_rate_per_min, p.driver_event_s)
    u = p.noise * math.sqrt(1.0 - a * a) * eps + (1.0 - a) * p.driver_strength * driver
    solve = _solve_closed_form if lag <= _CLOSED_FORM_MAX_LAG else _solve_blocks
    xy = solve(u, a, c_p, c_c, lag)[:, burn:]
    # Couplings ≤ 0.95 keep the pair stable: on the unit circle |1 − a·e^(−iω)|² ≥ (1 − a)² > c_p·c_c.
    x, y = xy[0].copy(), xy[1].copy()
    r = float(np.corrcoef(x, y)[0, 1])
    events = (starts[starts >= burn] - burn) / p.fs
    return CoupledAgentsResult(
        times_s=np.arange(n) / p.fs,
        patient=x,
        clinician=y,
        driver=driver[burn:].copy(),
        driver_events_s=events,
        fs=p.fs,
        effective_coupling_clinician=p.coupling * p.attention,
        effective_coupling_patient=p.patient_coupling * p.attention,
        lag0_correlation=r,
        parameters=MappingProxyType({**dataclasses.asdict(p), "delay_s": lag / p.fs, "duration_s": n / p.fs}),
    )


def simulate_coupled_agents(
    *,
    coupling: float = 0.5,
    patient_coupling: float = 0.0,
    attention: float = 1.0,
    delay_s: float = 2.0,
    tau_s: float = 5.0,
    noise: float = 1.0,
    driver_strength: float = 0.0,
    driver_rate_per_min: float = 2.0,
    driver_event_s: float = 5.0,
    duration_s: float = 600.0,
    fs: float = 4.0,
    seed: int = 0,
    driver_seed: int = 0,
) -> CoupledAgentsResult:
    """Simulate a patient and a clinician whose signals are coupled and/or share an outside driver.

    Parameters
    ----------
    coupling : float, default 0.5
        κ_c, how strongly the clinician's signal follows the patient's, dimensionless 0–0.95 (0 = not at
        all; near 1 = driven mostly by the patient). Illustrative.
    patient_coupling : float, default 0.0
        κ_p, how strongly the patient follows the clinician, 0–0.95. Default 0: the patient leads.
        Illustrative.
    attention : float, default 1.0
        The clinician's engagement, 0–1, multiplying both couplings. A "distant" interviewer (Marci & Orr
        2006) corresponds to low attention. Illustrative.
    delay_s : float, default 2.0
        Delay, s, with which each person responds to the other (0–10; rounded to whole samples, at least
        one sample). Illustrative, in the 1–3 s range of skin-conductance response onsets (Boucsein 2012).
    tau_s : float, default 5.0
        Time constant, s, with which each signal returns to rest (0.5–60). Illustrative, of the order of
        skin-conductance recovery times (4–10 s, Boucsein 2012).
    noise : float, default 1.0
        Standard deviation of each person's own fluctuations (standardised units, > 0 up to 10).
    driver_strength : float, default 0.0
        g, how strongly both people respond to the shared outside events (0–10; 0 = no shared driver).
        Illustrative.
    driver_rate_per_min : float, default 2.0
        Shared events per minute (0–30). Illustrative (of the order of spontaneous SCR rates, 1–3 per
        minute at rest, Boucsein 2012).
    driver_event_s : float, default 5.0
        Duration of each shared event, s (0.25–60). Illustrative.
    duration_s : float, default 600
        Session length, s (60–1200). 10 minutes by default.
    fs : float, default 4.0
        Sampling rate, Hz (1–16). 4 Hz is the Empatica E4's skin-conductance rate.
    seed : int, default 0
        Seed of the two people's own fluctuations.
    driver_seed : int, default 0
        Seed of the shared event schedule. Dyads with the same ``driver_seed`` and different ``seed`` went
        through the same events: the basis of an honest pseudo-pair test (see the module notes and
        :func:`shared_driver_dyads`).

    Returns
    -------
    CoupledAgentsResult
        ``patient``, ``clinician``, ``driver``, ``times_s``, ``fs``, the effective couplings and the lag-0
        correlation; ``.to_frame()`` for charts. Feed ``(result.patient, result.clinician, result.fs)`` to
        :mod:`empathy_explorer.synchrony`. Simulated data.

    Raises
    ------
    ParameterError
        If a coupling is outside 0–0.95, attention outside 0–1, a time constant or noise not positive, the
        delay negative, or the session too short or too long for the app.

    Examples
    --------
    >>> from empathy_explorer.models import simulate_coupled_agents
    >>> engaged = simulate_coupled_agents(coupling=0.8, seed=1)
    >>> distant = simulate_coupled_agents(coupling=0.8, attention=0.1, seed=1)
    >>> engaged.effective_coupling_clinician > distant.effective_coupling_clinician
    True
    >>> confound = simulate_coupled_agents(coupling=0.0, driver_strength=4.0, seed=1)
    >>> confound.lag0_correlation > 0.3  # synchrony without any coupling
    True

    References
    ----------
    Marci & Orr (2006), Appl Psychophysiol Biofeedback 31:115–128. Marci et al. (2007), J Nerv Ment Dis
    195:103–111. Levenson & Gottman (1983), J Pers Soc Psychol 45:587–597.
    """
    p = _Parameters(
        coupling=as_number(
            coupling, "coupling", meaning="clinician follows patient", low=0, high=MAX_COUPLING
        ),
        patient_coupling=as_number(
            patient_coupling,
            "patient_coupling",
            meaning="patient follows clinician",
            low=0,
            high=MAX_COUPLING,
        ),
        attention=as_probability(attention, "attention", meaning="the clinician's engagement, 0 to 1"),
        delay_s=as_number(delay_s, "delay_s", meaning="response delay", unit="s", low=0, high=10),
        tau_s=as_number(tau_s, "tau_s", meaning="time constant of each signal", unit="s", low=0.5, high=60),
        noise=as_number(noise, "noise", meaning="own fluctuations", low=0, low_inclusive=False, high=10),
        driver_strength=as_number(
            driver_strength, "driver_strength", meaning="response to shared events", low=0, high=10
        ),
        driver_rate_per_min=as_number(
            driver_rate_per_min, "driver_rate_per_min", meaning="shared events per minute", low=0, high=30
        ),
        driver_event_s=as_number(
            driver_event_s, "driver_event_s", meaning="shared event length", unit="s", low=0.25, high=60
        ),
        duration_s=as_number(duration_s, "duration_s", meaning="session length", unit="s", low=60, high=1200),
        fs=as_number(fs, "fs", meaning="sampling rate", unit="Hz", low=1, high=16),
        seed=as_seed(seed),
        driver_seed=as_seed(driver_seed, "driver_seed"),
    )
    return _simulate(p)


_PARAMETER_NAMES = frozenset(inspect.signature(simulate_coupled_agents).parameters) - {"seed"}


def shared_driver_dyads(
    n_dyads: int = 20, *, first_seed: int = 0, **params: object
) -> tuple[CoupledAgentsResult, ...]:
    """Several dyads that went through the same shared events (same ``driver_seed``), for pseudo-pairs.

    Dyad *k* uses ``seed = first_seed + k``; every other parameter (including ``driver_seed``) is shared.
    Pairing the patient of one dyad with the clinician of another keeps the shared driver and removes the
    coupling: the honest null for "coupling beyond the driver" (see the module notes).

    Parameters
    ----------
    n_dyads : int, default 20
        Number of dyads, 2–100 (20 as in Marci et al. 2007).
    first_seed : int, default 0
        Seed of the first dyad.
    **params
        Any keyword of :func:`simulate_coupled_agents` except ``seed``.

    Returns
    -------
    tuple of CoupledAgentsResult
        One simulated dyad per seed.

    Examples
    --------
    >>> from empathy_explorer.models import shared_driver_dyads
    >>> dyads = shared_driver_dyads(3, coupling=0.0, driver_strength=4.0)
    >>> len(dyads), (dyads[0].driver == dyads[2].driver).all()
    (3, np.True_)
    """
    n_dyads = as_count(n_dyads, "n_dyads", meaning="number of dyads", low=2, high=100)
    first_seed = as_seed(first_seed, "first_seed")
    if "seed" in params:
        raise ParameterError(
            "shared_driver_dyads sets each dyad's seed itself; use first_seed instead of seed."
        )
    unknown = sorted(set(params) - _PARAMETER_NAMES)
    if unknown:
        raise ParameterError(
            f"Unknown parameter(s) {', '.join(unknown)}; "
            f"simulate_coupled_agents accepts {', '.join(sorted(_PARAMETER_NAMES))}."
        )
    return tuple(simulate_coupled_agents(seed=first_seed + k, **params) for k in range(n_dyads))  # type: ignore[arg-type]
