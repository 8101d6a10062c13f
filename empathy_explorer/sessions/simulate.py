"""Simulate a patient–clinician session with known ground truth (skin conductance and heart rate).

No open patient–therapist physiology data set may be shipped, so the example sessions are simulated
from published signal properties, and the simulator records the *answer* (who is coupled to whom, with
which lag, and whether a shared outside driver is present) so that a synchrony method can be checked
against it. Everything this module produces is labelled ``simulated=True``.

The generative model
--------------------
Skin conductance of each person (µS)::

    eda(t) = SCL + tonic drift(t) + arousal offset(t) + Σ_k a_k · h(t − t_k) + noise(t)

- ``h`` is the canonical skin-conductance response (SCR) of Bach et al. (2010): a Gaussian (peak
  3.0745 s, SD 0.7013 s) convolved with exp(−t/3.1487 s) + exp(−t/14.1257 s), normalised to a peak of 1
  (built here from the published constants, see :func:`canonical_scr`; NeuroKit2's template is about 10×
  too fast, see the reference notes). After an impulse at 0 s the response starts rising at ≈ 1.8 s,
  peaks at ≈ 4.3 s and has fallen to half its peak by ≈ 9.5 s, consistent with an onset 1–3 s after the
  event and a recovery over 4–10 s (Boucsein et al. 2012, as summarised in the reference notes).
- Events ``t_k`` are Poisson: *spontaneous* responses at 1–3 per minute at rest, more under arousal
  (conflict); *shared* events that both people respond to (the shared driver); and *coupled* responses:
  the follower answers each of the leader's spontaneous responses with probability ``coupling`` after
  ``lag_s`` seconds.
- Amplitudes ``a_k`` are uniform in 0.1–1.0 µS (typical SCR amplitudes).
- Tonic level (skin-conductance level, SCL) 2–20 µS with a slow Ornstein–Uhlenbeck drift.

Heart rate of each person (bpm) comes from inter-beat intervals (IBI, ms) modelled as an
Ornstein–Uhlenbeck process plus respiratory sinus arrhythmia. The follower's IBI process is driven by a
mix of its own noise and the leader's noise ``lag_s`` earlier (weight ``coupling``), and both are driven
by a common noise (weight ``shared_driver``): a coupled OU process with known coupling.

Segments of the session have an emotional tone (positive / neutral / conflict) that changes arousal (SCR
rate, SCL, heart rate) and coupling (:data:`TONE_EFFECTS`).

Every default is listed in :data:`PARAMETERS` with its unit and source; "illustrative" marks a value
chosen for teaching where no measurement exists.

References
----------
- Bach, D. R., Flandin, G., Friston, K. J., & Dolan, R. J. (2010). Modelling event-related skin
  conductance responses. *International Journal of Psychophysiology*, 75(3), 349–356.
- Boucsein, W. et al. (2012). Publication recommendations for electrodermal measurements.
  *Psychophysiology*, 49(8), 1017–1034.
- Marci, C. D., Ham, J., Moran, E., & Orr, S. P. (2007). Physiologic correlates of perceived therapist
  empathy and social-emotional process during psychotherapy. *J Nerv Ment Dis*, 195(2), 103–111.
- Makowski, D. et al. (2021). NeuroKit2: A Python toolbox for neurophysiological signal processing.
  *Behavior Research Methods*, 53, 1689–1696 (``ecg_simulate`` defaults: breathing at 0.25 Hz).

Examples
--------
>>> from empathy_explorer.sessions.simulate import simulate_dyad
>>> s = simulate_dyad(duration_s=120, fs=8, coupling=0.8, lag_s=2.0, leader="patient", seed=1)
>>> s.simulated, s.fs, s.kinds, s.ground_truth.lag_s
(True, 8.0, ('eda', 'hr'), 2.0)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import cast

import numpy as np

from empathy_explorer._lazy import scipy_signal as _signal
from empathy_explorer.errors import ParameterError
from empathy_explorer.sessions.session import LEADERS, TONES, GroundTruth, Leader, Segment, Session
from empathy_explorer.validation import as_choice, as_number, as_rng

__all__ = [
    "PARAMETERS",
    "SCR_GAUSS_PEAK_S",
    "SCR_GAUSS_SD_S",
    "SCR_TAU_FAST_S",
    "SCR_TAU_SLOW_S",
    "TONE_EFFECTS",
    "ToneEffect",
    "canonical_scr",
    "simulate_dyad",
]

# Bach et al. (2010) canonical SCR constants (as used in NeuroKit2's source, reference notes §2).
SCR_GAUSS_PEAK_S = 3.0745
SCR_GAUSS_SD_S = 0.7013
SCR_TAU_FAST_S = 3.1487
SCR_TAU_SLOW_S = 14.1257
_SCR_KERNEL_S = 100.0  # exp(-100/14.1257) < 1e-3: the tail beyond is negligible
_BURN_IN_S = 60.0  # simulated before t = 0 so responses to earlier events are already under way


@dataclass(frozen=True)
class ToneEffect:
    """How a segment's emotional tone changes arousal and coupling.

    Parameters
    ----------
    scr_rate_per_min
        Spontaneous SCRs per minute for each person.
    scl_offset_uS
        Added to the skin-conductance level (µS), reached with a 20 s time constant.
    hr_offset_bpm
        Added to the resting heart rate (bpm), reached with a 20 s time constant.
    coupling_gain
        Multiplies the session's ``coupling`` (and clipped to 1) inside the segment.
    """

    scr_rate_per_min: float
    scl_offset_uS: float
    hr_offset_bpm: float
    coupling_gain: float


#: Tone effects (all illustrative in size, direction from the literature): spontaneous-SCR rate and SCL
#: rise with arousal (Boucsein 2012, reference notes §2); rest is 1–3 SCR/min, so neutral = 2/min;
#: coupling is higher in positive segments and lower in conflict, the pattern Marci et al. (2007) found
#: (high-concordance segments held more positive social-emotional interactions, p = 0.01).
TONE_EFFECTS: Mapping[str, ToneEffect] = MappingProxyType(
    {
        "positive": ToneEffect(scr_rate_per_min=2.5, scl_offset_uS=0.3, hr_offset_bpm=2.0, coupling_gain=1.3),
        "neutral": ToneEffect(scr_rate_per_min=2.0, scl_offset_uS=0.0, hr_offset_bpm=0.0, coupling_gain=1.0),
        "conflict": ToneEffect(scr_rate_per_min=4.0, scl_offset_uS=1.0, hr_offset_bpm=6.0, coupling_gain=0.4),
    }
)

#: Every default of :func:`simulate_dyad`: name -> (value, unit, source).
PARAMETERS: Mapping[str, tuple[object, str, str]] = MappingProxyType(
    {
        "scr_kernel": (
            "Gaussian 3.0745 s / SD 0.7013 s * (exp(-t/3.1487)+exp(-t/14.1257))",
            "s",
            "Bach et al. 2010 canonical SCR",
        ),
        "scl_uS": ((6.0, 9.0), "µS", "within the typical SCL range 2–20 µS (reference notes §2)"),
        "scl_drift_sd_uS": (0.5, "µS", "illustrative (OU, before smoothing with τ 20 s)"),
        "scl_drift_tau_s": (120.0, "s", "illustrative (slow tonic drift)"),
        "scr_amplitude_uS": ((0.1, 1.0), "µS", "typical SCR amplitude 0.1–1.0 µS (reference notes §2)"),
        "scr_rate_per_min (rest)": (
            2.0,
            "1/min",
            "1–3 spontaneous SCRs per minute at rest (reference notes §2)",
        ),
        "noise_uS": (0.01, "µS", "illustrative; 0.01 µS is the minimum scored SCR amplitude (Boucsein 2012)"),
        "shared_rate_per_min": (1.0, "1/min", "illustrative"),
        "response_jitter_s": (0.2, "s", "illustrative (trial-to-trial latency spread)"),
        "follower_amplitude_ratio": ((0.5, 1.0), "-", "illustrative"),
        "hr_bpm": ((76.0, 70.0), "bpm", "illustrative resting heart rates"),
        "ibi_sd_ms": (40.0, "ms", "illustrative short-term IBI variability"),
        "ibi_tau_s": (8.0, "s", "illustrative OU time constant"),
        "rsa_amplitude_ms": (25.0, "ms", "illustrative"),
        "breathing_hz": ((0.2, 0.3), "Hz", "around NeuroKit2 ecg_simulate's 0.25 Hz breathing"),
        "arousal_tau_s": (20.0, "s", "illustrative"),
        "tone_effects": (
            "see TONE_EFFECTS",
            "-",
            "illustrative sizes; directions from Boucsein 2012, Marci 2007",
        ),
    }
)


def _pair(value: object, name: str, meaning: str, low: float, high: float) -> tuple[float, float]:
    if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != 2:
        raise ParameterError(f"{name} ({meaning}) must be a pair (patient, clinician); got {value!r}.")
    return (
        as_number(value[0], name, meaning=meaning, low=low, high=high),
        as_number(value[1], name, meaning=meaning, low=low, high=high),
    )


def canonical_scr(fs: float, *, duration_s: float = _SCR_KERNEL_S) -> np.ndarray:
    """Bach et al. (2010)'s canonical skin-conductance response sampled at ``fs``, peak normalised to 1.

    A Gaussian (peak 3.0745 s, SD 0.7013 s) convolved with exp(−t/3.1487) + exp(−t/14.1257) (t in s),
    computed on a time grid in real seconds (unlike NeuroKit2's template, which is squeezed into 9 s).

    Parameters
    ----------
    fs
        Sampling rate in Hz.
    duration_s
        Length of the kernel in seconds (default 100 s, where the response has decayed below 0.1%).

    Returns
    -------
    numpy.ndarray
        The response to a unit impulse at t = 0, shape ``(round(duration_s * fs),)``, maximum exactly 1.

    References
    ----------
    Bach, D. R., Flandin, G., Friston, K. J., & Dolan, R. J. (2010). Int J Psychophysiol 75(3), 349–356.

    Examples
    --------
    >>> h = canonical_scr(8.0)
    >>> float(h.max()), float(h.argmax() / 8.0)
    (1.0, 4.25)
    """
    fs = as_number(fs, "fs", meaning="sampling rate in Hz", low=1e-3, high=10_000)
    duration_s = as_number(
        duration_s, "duration_s", meaning="kernel length in seconds", low=10.0, high=1000.0
    )
    t = np.arange(round(duration_s * fs)) / fs
    gauss = np.exp(-((t - SCR_GAUSS_PEAK_S) ** 2) / (2 * SCR_GAUSS_SD_S**2))
    decay = np.exp(-t / SCR_TAU_FAST_S) + np.exp(-t / SCR_TAU_SLOW_S)
    h = _signal().fftconvolve(gauss, decay)[: t.size]
    h = np.clip(h, 0.0, None)
    return h / h.max()


def _ou(
    rng: np.random.Generator, n: int, fs: float, tau_s: float, sd: float, drive: np.ndarray | None = None
):
    """Stationary Ornstein–Uhlenbeck samples (exact AR(1) discretisation) via lfilter."""
    phi = math.exp(-1.0 / (fs * tau_s))
    eps = rng.standard_normal(n) if drive is None else drive
    x0 = rng.standard_normal() * sd
    out, _ = _signal().lfilter([sd * math.sqrt(1 - phi**2)], [1.0, -phi], eps, zi=[phi * x0])
    return out


def _smooth(x: np.ndarray, fs: float, tau_s: float) -> np.ndarray:
    """First-order low-pass (time constant ``tau_s``) starting at x[0]."""
    phi = math.exp(-1.0 / (fs * tau_s))
    out, _ = _signal().lfilter([1 - phi], [1.0, -phi], x, zi=[phi * x[0]])
    return out


def _train(idx: np.ndarray, amp: np.ndarray, n: int) -> np.ndarray:
    keep = (idx >= 0) & (idx < n)
    return np.bincount(idx[keep], weights=amp[keep], minlength=n)


def _as_segments(segments: object, duration_s: float) -> tuple[Segment, ...]:
    if segments is None:
        return (Segment(0.0, duration_s, "neutral"),)
    if not isinstance(segments, Iterable) or isinstance(segments, str | bytes):
        raise ParameterError(f"segments must be a list of (start_s, end_s, tone); got {segments!r}.")
    out: list[Segment] = []
    for i, seg in enumerate(segments):
        if isinstance(seg, Segment):
            out.append(seg)
        elif isinstance(seg, Sequence) and len(seg) == 3:
            out.append(Segment(float(seg[0]), float(seg[1]), seg[2]))
        else:
            raise ParameterError(f"segments[{i}] must be a Segment or (start_s, end_s, tone); got {seg!r}.")
    return tuple(out)


_SCR_JITTER_S = 0.2
_AROUSAL_TAU_S = 20.0


def _tone_profile(segs: tuple[Segment, ...], t: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per sample: SCR rate (per min), SCL offset (µS), HR offset (bpm) and coupling gain of the tone.

    Neutral outside the segments; the burn-in takes the first segment's tone.
    """
    tone_idx = np.full(t.size, TONES.index("neutral"), dtype=np.intp)
    for seg in segs:
        tone_idx[(t >= seg.start_s) & (t < seg.end_s)] = TONES.index(seg.tone)
    first = segs[0] if segs else None
    if first is not None and first.start_s == 0.0:
        tone_idx[t < 0] = TONES.index(first.tone)
    effects = [TONE_EFFECTS[tone] for tone in TONES]
    return tuple(
        np.array([getattr(e, name) for e in effects])[tone_idx]
        for name in ("scr_rate_per_min", "scl_offset_uS", "hr_offset_bpm", "coupling_gain")
    )


def _scr_amplitudes(rng: np.random.Generator, size: int) -> np.ndarray:
    low, high = cast(tuple[float, float], PARAMETERS["scr_amplitude_uS"][0])
    return rng.uniform(low, high, size)


def _spontaneous_scrs(
    rng: np.random.Generator, rates: np.ndarray
) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """Each person's own SCR events: Poisson counts per sample (inhomogeneous ``rates``, events/sample).

    Returns the impulse trains (2, n) and, per person, the event times (in samples, sub-sample position)
    and amplitudes.
    """
    n_tot = rates.shape[1]
    counts = rng.poisson(rates)
    trains = np.zeros((2, n_tot))
    own: list[tuple[np.ndarray, np.ndarray]] = []
    for person in range(2):
        idx = np.repeat(np.arange(n_tot), counts[person])
        times = idx + rng.random(idx.size)
        amps = _scr_amplitudes(rng, idx.size)
        own.append((times, amps))
        trains[person] += _train(np.floor(times).astype(np.intp), amps, n_tot)
    return trains, own


def _answers(
    rng: np.random.Generator,
    times: np.ndarray,
    amps: np.ndarray,
    coupling_t: np.ndarray,
    lag_s: float,
    fs: float,
) -> np.ndarray:
    """The follower's answers to the leader's events (``times`` in samples): each one answered with
    probability coupling(t), ``lag_s`` later (jittered), at 50–100 % of the leader's amplitude."""
    p_copy = coupling_t[np.floor(times).astype(np.intp)]
    copied = rng.random(times.size) < p_copy
    ratio = rng.uniform(0.5, 1.0, times.size)
    delay = (lag_s + _SCR_JITTER_S * rng.standard_normal(times.size)) * fs
    f_idx = np.floor(times + delay).astype(np.intp)
    return _train(f_idx[copied], (amps * ratio)[copied], coupling_t.size)


def _shared_events(
    rng: np.random.Generator, shared_driver: float, rate_per_min: float, n_tot: int, fs: float
) -> np.ndarray:
    """Common outside events that each person answers with probability ``shared_driver``."""
    n_events = rng.poisson(rate_per_min / 60.0 * n_tot / fs)
    ev = rng.random(n_events) * n_tot
    trains = np.zeros((2, n_tot))
    for person in range(2):
        responds = rng.random(n_events) < shared_driver
        amps = _scr_amplitudes(rng, n_events)
        idx = np.floor(ev + _SCR_JITTER_S * fs * rng.standard_normal(n_events)).astype(np.intp)
        trains[person] += _train(idx[responds], amps[responds], n_tot)
    return trains


def _eda(
    rng: np.random.Generator,
    trains: np.ndarray,
    fs: float,
    scl: tuple[float, float],
    scl_offset: np.ndarray,
    noise_uS: float,
) -> np.ndarray:
    """Skin conductance (2, n) in µS: drifting tonic level + SCRs (trains ∗ canonical SCR) + noise."""
    n_tot = trains.shape[1]
    phasic = _signal().oaconvolve(trains, canonical_scr(fs)[None, :], axes=1)[:, :n_tot]
    eda = np.empty((2, n_tot))
    scl_smooth = _smooth(scl_offset, fs, _AROUSAL_TAU_S)
    for person in range(2):
        # slow drift: an OU process (τ 120 s) smoothed again (τ 20 s) so that it wanders without the
        # second-to-second roughness that a scorer would mistake for small SCRs
        drift = _smooth(_ou(rng, n_tot, fs, 120.0, 0.5), fs, 20.0)
        tonic = scl[person] + drift + scl_smooth
        eda[person] = tonic + phasic[person] + noise_uS * rng.standard_normal(n_tot)
    return np.maximum(eda, 0.05)  # conductance cannot be negative; the floor is essentially never reached


def _heart_rate(
    rng: np.random.Generator,
    t: np.ndarray,
    fs: float,
    hr0: tuple[float, float],
    hr_offset: np.ndarray,
    coupling_w: np.ndarray,
    lag_n: int,
    w_shared: float,
) -> np.ndarray:
    """Heart rate (2, n) in bpm from coupled Ornstein–Uhlenbeck inter-beat intervals plus RSA.

    ``coupling_w[p]`` is the weight of the partner's noise ``lag_n`` samples earlier (0 for the leader),
    ``w_shared`` the weight of a common noise.
    """
    n_tot = t.size
    eps = rng.standard_normal((3, n_tot))  # patient, clinician, common
    drive = np.empty((2, n_tot))
    for person in range(2):
        w_c = coupling_w[person]
        other = np.roll(eps[1 - person], lag_n) if w_c.any() else eps[1 - person]
        total = np.maximum(w_c**2 + w_shared**2, 1.0)
        drive[person] = (
            np.sqrt(np.clip(1.0 - w_c**2 - w_shared**2, 0.0, None)) * eps[person]
            + w_c * other
            + w_shared * eps[2]
        ) / np.sqrt(total)
    hr_smooth = _smooth(hr_offset, fs, _AROUSAL_TAU_S)
    hr = np.empty((2, n_tot))
    for person in range(2):
        z = _ou(rng, n_tot, fs, 8.0, 40.0, drive=drive[person])
        breath_hz = rng.uniform(0.2, 0.3)
        rsa = 25.0 * np.sin(2 * np.pi * breath_hz * t + rng.uniform(0, 2 * np.pi))
        ibi_ms = 60000.0 / (hr0[person] + hr_smooth) + z + rsa
        hr[person] = 60000.0 / np.clip(ibi_ms, 60000.0 / 220.0, 60000.0 / 30.0)
    return hr


def _signals(
    rng: np.random.Generator,
    segs: tuple[Segment, ...],
    truth: GroundTruth,
    duration_s: float,
    fs: float,
    shared_rate: float,
    scr_rate_scale: float,
    noise_uS: float,
    scl: tuple[float, float],
    hr0: tuple[float, float],
) -> tuple[np.ndarray, np.ndarray]:
    """Both people's skin conductance and heart rate, (2, n) each, the burn-in already cut off."""
    coupling, lag_s, leader, shared_driver = truth.coupling, truth.lag_s, truth.leader, truth.shared_driver
    n = round(duration_s * fs)
    n_burn = round(_BURN_IN_S * fs)
    n_tot = n + n_burn
    t = (np.arange(n_tot) - n_burn) / fs  # burn-in has negative times
    rate_per_min, scl_offset, hr_offset, gain = _tone_profile(segs, t)
    coupling_t = np.clip(coupling * gain, 0.0, 1.0)
    follower = 1 if leader == "patient" else 0

    # The follower's own rate is lowered by coupling(t) so that its total SCR rate (own + answers to the
    # leader) stays at the tone's rate (1–3/min at rest): coupling = the share of its responses that answer.
    rates = np.tile(rate_per_min * scr_rate_scale / 60.0 / fs, (2, 1))
    if coupling > 0:
        rates[follower] *= 1.0 - coupling_t
    trains, own = _spontaneous_scrs(rng, rates)
    if coupling > 0:  # true coupling: the follower answers each of the leader's events with p = coupling(t)
        trains[follower] += _answers(rng, *own[1 - follower], coupling_t, lag_s, fs)
    if shared_driver > 0 and shared_rate > 0:  # common events both may respond to (no coupling needed)
        trains += _shared_events(rng, shared_driver, shared_rate, n_tot, fs)
    eda = _eda(rng, trains, fs, scl, scl_offset, noise_uS)
    weights = np.stack([np.zeros(n_tot), np.zeros(n_tot)])
    if coupling > 0:
        weights[follower] = coupling_t
    hr = _heart_rate(rng, t, fs, hr0, hr_offset, weights, round(lag_s * fs), shared_driver)

    return eda[:, n_burn:], hr[:, n_burn:]


def simulate_dyad(
    duration_s: float = 600.0,
    fs: float = 32.0,
    *,
    coupling: float = 0.0,
    lag_s: float = 2.0,
    leader: str = "patient",
    shared_driver: float = 0.0,
    shared_rate_per_min: float = 1.0,
    segments: Sequence[Segment | tuple[float, float, str]] | None = None,
    scl_uS: tuple[float, float] = (6.0, 9.0),
    hr_bpm: tuple[float, float] = (76.0, 70.0),
    scr_rate_scale: float = 1.0,
    noise_uS: float = 0.01,
    seed: int | np.random.Generator = 0,
    id: str = "simulated",
    title: str = "Simulated session",
    description: str = "A simulated patient–clinician session with known ground truth.",
    rating: float | None = None,
    notes: Sequence[str] = (),
) -> Session:
    """Simulate two people's skin conductance and heart rate with known coupling.

    Parameters
    ----------
    duration_s
        Session length in seconds (10 s – 4 h).
    fs
        Sampling rate in Hz (1–256; the Empatica E4 records EDA at 4 Hz).
    coupling
        Probability (0–1) that the follower responds to each of the leader's spontaneous SCRs, in a
        neutral segment (scaled by :data:`TONE_EFFECTS` ``coupling_gain`` in other tones, clipped to 1).
        Also the weight of the leader's lagged noise in the follower's heart-rate process.
    lag_s
        Follower's delay after the leader in seconds (0–30).
    leader
        ``"patient"`` or ``"clinician"`` (ignored and recorded as ``"none"`` when ``coupling`` is 0).
    shared_driver
        Probability (0–1) that each person responds to each common outside event, and the weight of a
        common noise in both heart-rate processes: synchrony without coupling.
    shared_rate_per_min
        Rate of common events per minute (illustrative default 1/min).
    segments
        Parts of the session with their tone; default one neutral segment over the whole session.
    scl_uS
        Resting skin-conductance level (patient, clinician) in µS (2–20 µS typical).
    hr_bpm
        Resting heart rate (patient, clinician) in bpm.
    scr_rate_scale
        Multiplies both people's spontaneous SCR rates (0.1–5; 1 = the tone defaults).
    noise_uS
        Standard deviation of white measurement noise in µS.
    seed
        Seed or numpy Generator; the same seed gives identical arrays.
    id, title, description, rating, notes
        Stored on the returned :class:`~empathy_explorer.sessions.session.Session`.

    Returns
    -------
    Session
        ``signals={"eda": (patient, clinician), "hr": (patient, clinician)}`` at ``fs``, the segments,
        ``ground_truth`` and ``simulated=True``.

    Raises
    ------
    ParameterError
        If a parameter is outside its range (the message names it, its meaning and the range).

    References
    ----------
    Bach et al. (2010); Boucsein et al. (2012); Marci et al. (2007). See the module docstring.

    Examples
    --------
    >>> s = simulate_dyad(duration_s=60, fs=4, shared_driver=0.9, seed=0)
    >>> s.ground_truth.leader, s.ground_truth.shared_driver
    ('none', 0.9)
    """
    duration_s = as_number(
        duration_s, "duration_s", meaning="session length in seconds", low=10.0, high=4 * 3600.0
    )
    fs = as_number(fs, "fs", meaning="sampling rate in Hz", low=1.0, high=256.0)
    coupling = as_number(coupling, "coupling", meaning="probability the follower responds", low=0.0, high=1.0)
    lag_s = as_number(lag_s, "lag_s", meaning="follower's delay in seconds", low=0.0, high=30.0)
    shared_driver = as_number(
        shared_driver, "shared_driver", meaning="probability of responding to a common event", low=0, high=1
    )
    shared_rate = as_number(
        shared_rate_per_min, "shared_rate_per_min", meaning="common events per minute", low=0.0, high=30.0
    )
    scr_rate_scale = as_number(
        scr_rate_scale, "scr_rate_scale", meaning="multiplier of the SCR rate", low=0.1, high=5.0
    )
    noise_uS = as_number(noise_uS, "noise_uS", meaning="measurement noise SD in µS", low=0.0, high=1.0)
    scl = _pair(scl_uS, "scl_uS", "skin-conductance level in µS", 0.5, 40.0)
    hr0 = _pair(hr_bpm, "hr_bpm", "resting heart rate in bpm", 30.0, 200.0)
    leader = as_choice(leader, "leader", LEADERS)
    if coupling > 0 and leader == "none":
        raise ParameterError("coupling > 0 needs a leader: 'patient' or 'clinician'.")
    rng, _ = as_rng(seed)
    segs = _as_segments(segments, duration_s)

    gt_leader = cast(Leader, leader if coupling > 0 else "none")
    truth = GroundTruth(coupling=coupling, lag_s=lag_s, leader=gt_leader, shared_driver=shared_driver)
    eda, hr = _signals(rng, segs, truth, duration_s, fs, shared_rate, scr_rate_scale, noise_uS, scl, hr0)
    return Session(
        id=id,
        title=title,
        description=description,
        fs=fs,
        signals={"eda": (eda[0], eda[1]), "hr": (hr[0], hr[1])},
        segments=segs,
        ground_truth=truth,
        rating=rating,
        simulated=True,
        notes=("Simulated data (empathy_explorer.sessions.simulate.simulate_dyad), not a recording.", *notes),
    )
