"""Virtual partners of the mirror game and of joint tapping, and simulated rounds (illustrative models).

So that a student alone (on Binder) can play, the computer can be the partner:

- :func:`leader_path` -- a **smooth random leader**: a random mixture of slow movements (0.05–0.5 Hz),
  kept inside the track. The student follows it (round ``mirror_solo_follow``).
- :func:`follow` -- a **follower with a delay and a gain**: the computer's handle is where the student's
  handle was ``delay_ms`` earlier, its distance from the middle of the track multiplied by ``gain``. The
  student leads it (round ``mirror_solo_lead``); the measured lag must equal the set delay. The page's
  capture widget moves the computer's handle by the same rule in the browser; the kernel recomputes it from
  the student's samples with this function, so the round's data follow the rule exactly.
- :func:`virtual_tapper` -- a **tapper with phase correction**: each of its intervals is its period minus
  ``alpha`` times its last asynchrony to the student's nearest tap (linear phase correction, Repp 2005;
  Vorberg & Wing 1996). ``alpha = 0`` is an unresponsive metronome, ``alpha = 1`` corrects each error at once.
- :func:`simulate_taps` -- two tappers who correct towards each other (or one towards a metronome), with
  timekeeper and motor noise (the two-level model of Wing & Kristofferson 1973 with phase correction).
- :func:`simulated_round` -- a whole round of any kind, played by virtual players only, marked
  ``simulated: true``: for the page's examples, the tests and the class page's example class.

The coupled-agents model of :mod:`empathy_explorer.models.coupled_agents` (noisy physiological signals
that relax towards each other) is not used for the follower: a mirror-game follower copies a movement, and
a pure delay is what lets students check that the engine recovers the lag they set. These are teaching
models, **not fitted to data**; the jitter of the simulated human follower (a 1.5–4 Hz wobble) is an
assumption shaped after the corrective jitter Noy et al. (2011) describe.

References
----------
Full entries in ``docs/references.bib``: ``noy2011`` (the mirror game and its follower), ``repp2005``
(linear phase correction), ``konvalinka2010`` (joint tapping).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from empathy_explorer.errors import ParameterError
from empathy_explorer.games.rounds import (
    MIRROR_FS_HZ,
    MIRROR_KINDS,
    ROUND_KINDS,
    TAP_FS_HZ,
    Round,
    make_round,
    round_from_taps,
)
from empathy_explorer.validation import as_number

__all__ = [
    "follow",
    "leader_path",
    "simulate_taps",
    "simulated_round",
    "virtual_tapper",
]

#: Frequency band of the smooth random leader's movements (Hz).
LEADER_BAND_HZ = (0.05, 0.5)
#: The leader stays within this part of the track.
LEADER_RANGE = (0.08, 0.92)


def _positive(value: object, name: str, *, allow_zero: bool = False, high: float | None = None) -> float:
    """A setting above 0 (0 or more with ``allow_zero``), at most ``high``, checked by ``as_number``."""
    return as_number(value, name, low=0.0, low_inclusive=allow_zero, high=high)


def leader_path(
    duration_s: float,
    fs_hz: float = MIRROR_FS_HZ,
    *,
    seed: int = 0,
    band_hz: tuple[float, float] = LEADER_BAND_HZ,
) -> np.ndarray:
    """A smooth random path along the track (positions 0–1), for the computer as leader.

    Random Fourier coefficients in ``band_hz`` (flat amplitude, random phases) are summed by one inverse
    FFT; the path is then scaled into :data:`LEADER_RANGE` and starts at its own first value.

    Parameters
    ----------
    duration_s : float
        Length, s.
    fs_hz : float
        Sampling rate, Hz.
    seed : int
        Random seed (the same seed gives the same path).
    band_hz : (float, float)
        Lowest and highest movement frequency, Hz.

    Returns
    -------
    numpy.ndarray
        ``round(duration_s * fs_hz)`` positions.

    Examples
    --------
    >>> p = leader_path(30.0, seed=1)
    >>> p.shape, bool(p.min() >= 0.08 and p.max() <= 0.92)
    ((1500,), True)
    """
    duration_s = _positive(duration_s, "duration_s", high=600.0)
    fs_hz = _positive(fs_hz, "fs_hz", high=1000.0)
    lo, hi = (float(b) for b in band_hz)
    if not 0 < lo < hi < fs_hz / 2:
        raise ParameterError("band_hz must be (low, high) with 0 < low < high < fs_hz / 2.")
    n = max(2, round(duration_s * fs_hz))
    rng = np.random.default_rng(seed)
    freqs = np.fft.rfftfreq(n, 1.0 / fs_hz)
    inband = (freqs >= lo) & (freqs <= hi)
    if inband.sum() < 2:
        raise ParameterError("The round is too short for a smooth random path; make it at least 20 s long.")
    coef = np.zeros(freqs.size, dtype=complex)
    coef[inband] = np.exp(2j * np.pi * rng.random(int(inband.sum())))
    path = np.fft.irfft(coef, n)
    path = (path - path.min()) / (path.max() - path.min())
    return LEADER_RANGE[0] + (LEADER_RANGE[1] - LEADER_RANGE[0]) * path


def follow(
    path: object, fs_hz: float = MIRROR_FS_HZ, *, delay_ms: float = 300.0, gain: float = 1.0
) -> np.ndarray:
    """The virtual follower: the leader's position ``delay_ms`` earlier, scaled about the middle by ``gain``.

    ``out(t) = clip(0.5 + gain * (path(t - delay) - 0.5), 0, 1)``, with ``path`` linearly interpolated
    between samples and held at its first value before the round starts. The capture widget applies the
    same rule in the browser.

    Parameters
    ----------
    path : array_like
        The leader's positions (0–1) at ``fs_hz``.
    fs_hz : float
        Sampling rate, Hz.
    delay_ms : float
        How late the follower copies the leader, ms (0–2000).
    gain : float
        How big the follower's movements are compared with the leader's (0.2–2; 1 = the same).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> follow([0.2, 0.4, 0.6, 0.8], 50, delay_ms=40).round(6).tolist()
    [0.2, 0.2, 0.2, 0.4]
    """
    fs_hz = _positive(fs_hz, "fs_hz", high=1000.0)
    delay_ms = _positive(delay_ms, "The delay (ms)", allow_zero=True, high=2000.0)
    gain = _positive(gain, "The gain", high=2.0)
    x = np.asarray(path, dtype=float).reshape(-1)
    if x.size == 0 or not np.isfinite(x).all():
        raise ParameterError("The leader's path must hold positions (numbers between 0 and 1).")
    t = np.arange(x.size) / fs_hz - delay_ms / 1000.0
    delayed = np.interp(t, np.arange(x.size) / fs_hz, x)  # held at x[0] before 0
    return np.clip(0.5 + gain * (delayed - 0.5), 0.0, 1.0)


def virtual_tapper(
    partner_taps_s: object,
    *,
    period_s: float = 0.6,
    alpha: float = 0.5,
    start_s: float = 1.0,
    duration_s: float = 30.0,
) -> np.ndarray:
    """Taps of a virtual partner that corrects its phase towards the student's taps (no noise).

    Tap ``n + 1`` comes at ``b[n] + period_s - alpha * (b[n] - a)``, where ``a`` is the student's tap
    nearest ``b[n]`` within half a period (no correction when there is none). The capture widget runs
    the same rule live (it decides each next tap half a period after the last).

    Parameters
    ----------
    partner_taps_s : array_like
        The student's tap times, s.
    period_s : float
        The virtual tapper's own period, s.
    alpha : float
        Phase correction, 0 (ignores the student: a metronome) to 1.5.
    start_s, duration_s : float
        Time of its first tap and end of the round, s.

    Returns
    -------
    numpy.ndarray
        Its tap times, s.

    Examples
    --------
    >>> virtual_tapper([1.05, 1.65], period_s=0.6, alpha=0.5, start_s=1.0, duration_s=2.0).round(3).tolist()
    [1.0, 1.625]
    """
    period_s = _positive(period_s, "The period (s)", high=5.0)
    alpha = _positive(alpha, "alpha", allow_zero=True, high=1.5)
    a = np.sort(np.asarray(partner_taps_s, dtype=float).reshape(-1))
    a = a[np.isfinite(a)]
    taps = []
    b = float(start_s)
    while b < duration_s:  # one step per tap (about 50 in a 30-s round)
        taps.append(b)
        asyn = 0.0
        if a.size:
            j = int(np.argmin(np.abs(a - b)))
            if abs(a[j] - b) <= period_s / 2:
                asyn = b - a[j]
        b = b + period_s - alpha * asyn
    return np.asarray(taps)


def simulate_taps(
    n_taps: int = 50,
    *,
    period_a_s: float = 0.6,
    period_b_s: float = 0.6,
    alpha_a: float = 0.3,
    alpha_b: float = 0.3,
    timekeeper_sd_s: float = 0.015,
    motor_sd_s: float = 0.0,
    start_s: float = 1.0,
    seed: int = 0,
    metronome_b: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Two tappers with linear phase correction towards each other (illustrative model).

    With asynchrony ``A[n] = a[n] - b[n]``, timekeeper intervals ``Ta[n] ~ N(period_a_s, timekeeper_sd_s)``
    (likewise for b) and motor delays ``M ~ N(0, motor_sd_s)`` added to the produced taps::

        a[n+1] = a[n] + Ta[n] - alpha_a * A[n]
        b[n+1] = b[n] + Tb[n] + alpha_b * A[n]

    ``metronome_b=True`` makes b a metronome: exactly ``period_b_s`` apart, no noise, no correction.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Tap times of a and b, s.

    Examples
    --------
    >>> a, b = simulate_taps(20, alpha_a=0.5, metronome_b=True)
    >>> bool(np.allclose(np.diff(b), 0.6))
    True
    """
    if isinstance(n_taps, bool) or not isinstance(n_taps, int) or not 3 <= n_taps <= 2000:
        raise ParameterError("n_taps must be a whole number from 3 to 2000.")
    for value, name in ((alpha_a, "alpha_a"), (alpha_b, "alpha_b")):
        _positive(value, name, allow_zero=True, high=1.5)
    sd_t = _positive(timekeeper_sd_s, "timekeeper_sd_s", allow_zero=True, high=0.2)
    sd_m = _positive(motor_sd_s, "motor_sd_s", allow_zero=True, high=0.2)
    rng = np.random.default_rng(seed)
    ta = _positive(period_a_s, "period_a_s", high=5.0) + sd_t * rng.standard_normal(n_taps)
    tb = _positive(period_b_s, "period_b_s", high=5.0) + sd_t * rng.standard_normal(n_taps)
    if metronome_b:
        tb[:] = period_b_s
        alpha_b = 0.0
    a = np.empty(n_taps)
    b = np.empty(n_taps)
    a[0] = b[0] = start_s
    for n in range(n_taps - 1):  # each tap depends on the previous asynchrony
        asyn = a[n] - b[n]
        a[n + 1] = a[n] + ta[n] - alpha_a * asyn
        b[n + 1] = b[n] + tb[n] + alpha_b * asyn
    if sd_m:
        a = a + sd_m * rng.standard_normal(n_taps)
        if not metronome_b:
            b = b + sd_m * rng.standard_normal(n_taps)
    return a, b


def _jitter(n: int, fs_hz: float, sd: float, rng: np.random.Generator) -> np.ndarray:
    """Band-limited (1.5–4 Hz) wobble of a simulated human follower, standard deviation ``sd``."""
    freqs = np.fft.rfftfreq(n, 1.0 / fs_hz)
    coef = np.where((freqs >= 1.5) & (freqs <= 4.0), 1.0, 0.0) * np.exp(2j * np.pi * rng.random(freqs.size))
    w = np.fft.irfft(coef, n)
    s = w.std()
    return w * (sd / s) if s > 0 else w


def simulated_round(
    kind: str,
    *,
    duration_s: float = 60.0,
    seed: int = 0,
    pair: str = "P01",
    delay_ms: float = 300.0,
    gain: float = 1.0,
    jitter_sd: float = 0.004,
    alpha: float = 0.5,
    period_s: float = 0.6,
    round_id: str | None = None,
) -> Round:
    """A whole round played by virtual players only (marked ``simulated: true``).

    Mirror kinds: the leader is :func:`leader_path`; a simulated human follower is :func:`follow` plus a
    1.5–4 Hz wobble of ``jitter_sd``; the computer follower (``mirror_solo_lead``) has no wobble. In
    ``mirror_joint`` both players follow a shared smooth intention (:func:`leader_path`) with a delay of
    ``delay_ms / 10`` (a "co-confident" pair). Tapping kinds (tap times from :func:`simulate_taps`):
    ``tap_metronome`` -- A and B each correct towards a metronome (``settings``: its period and first
    click), ``tap_mutual`` -- both correct with ``alpha``, ``tap_solo`` -- B is the virtual tapper with
    ``alpha``, A a simulated student with alpha 0.3.

    Examples
    --------
    >>> r = simulated_round("mirror_solo_lead", duration_s=30, delay_ms=300)
    >>> r.simulated, r.label_b, r.settings["delay_ms"]
    (True, 'computer', 300.0)
    """
    if kind not in ROUND_KINDS:
        raise ParameterError(f"Unknown round kind {kind!r}; use one of: {', '.join(ROUND_KINDS)}.")
    rng = np.random.default_rng(seed + 1_000_003)
    label_b = "computer" if kind in ("mirror_solo_follow", "mirror_solo_lead", "tap_solo") else "B"
    common: dict[str, Any] = {"pair": pair, "label_b": label_b, "simulated": True, "round_id": round_id}
    if kind in MIRROR_KINDS:
        fs = MIRROR_FS_HZ
        lead = leader_path(duration_s, fs, seed=seed)
        n = lead.size
        settings: dict[str, Any] = {"delay_ms": float(delay_ms), "gain": float(gain)}
        if kind == "mirror_solo_lead":
            a, b = lead, follow(lead, fs, delay_ms=delay_ms, gain=gain)
        elif kind == "mirror_joint":
            d = delay_ms / 10.0
            a = np.clip(follow(lead, fs, delay_ms=d) + _jitter(n, fs, jitter_sd / 2, rng), 0, 1)
            b = np.clip(follow(lead, fs, delay_ms=d) + _jitter(n, fs, jitter_sd / 2, rng), 0, 1)
            settings = {"delay_ms": d}
        else:
            human = np.clip(
                follow(lead, fs, delay_ms=delay_ms, gain=gain) + _jitter(n, fs, jitter_sd, rng), 0, 1
            )
            a, b = (lead, human) if kind == "mirror_a_leads" else (human, lead)
        return make_round(kind, a, b, fs, settings=settings, **common)
    n_taps = max(3, int((duration_s - 1.0) / period_s))
    if kind == "tap_metronome":  # both players correct towards the metronome, not towards each other
        a = simulate_taps(
            n_taps, period_a_s=period_s, alpha_a=alpha, alpha_b=0.0, seed=seed, metronome_b=True
        )[0]
        b = simulate_taps(
            n_taps, period_a_s=period_s, alpha_a=alpha, alpha_b=0.0, seed=seed + 7, metronome_b=True
        )[0]
        settings = {"period_ms": round(period_s * 1000), "metronome_start_s": 1.0, "alpha": alpha}
    elif kind == "tap_mutual":
        a, b = simulate_taps(n_taps, period_a_s=period_s, period_b_s=period_s * 1.03, alpha_a=alpha,
                             alpha_b=alpha, seed=seed)  # fmt: skip
        settings = {"alpha_a": alpha, "alpha_b": alpha}
    else:
        a, b = simulate_taps(n_taps, period_a_s=period_s, period_b_s=period_s, alpha_a=0.3, alpha_b=alpha,
                             seed=seed)  # fmt: skip
        settings = {"alpha": alpha, "period_ms": round(period_s * 1000)}
    return round_from_taps(kind, a, b, duration_s, fs_hz=TAP_FS_HZ, settings=settings, **common)
