"""Analysis of a mirror-game round (who led, by how much, more than chance?) and of a tapping round.

Movement (:func:`analyse_movement`), with the shared engine :mod:`empathy_explorer.synchrony`:

1. **Velocities** of both handles (track lengths per second, central differences, :func:`velocities`):
   movement synchrony is judged on velocities, as in Noy et al. (2011), since two positions that both
   drift slowly correlate by chance.
2. **Windowed lagged cross-correlation** of the velocities
   (:func:`~empathy_explorer.synchrony.windowed_xcorr`, Boker et al. 2002; default 5-s windows every
   1 s, lags ±1.5 s). Its **lag profile** is the mean r over windows at each lag; the lag of the
   profile's peak (refined between samples by a parabola through the three highest points) says **who
   led and by how many ms**: positive = B followed A. The **mean peak r** is the mean of the per-window
   peaks (peak nearest lag 0).
3. **Is it more than chance?** :func:`~empathy_explorer.synchrony.surrogate_test` with circular shifts of
   B's velocity (199 surrogates): the statistic is the highest lagged correlation of the two whole
   velocity series within ±1.5 s. A shift keeps how B moved but not when; ``p < 0.05`` says "more in step
   than B's own movements at a random time", not "empathy".
4. **Jitter** of each player: the power of the velocity difference (player minus the partner, the partner
   shifted by the measured lag) in the 1.5–5 Hz band, where Noy et al. (2011) found the follower's
   corrective jitter; reported as the band's mean power ((track/s)²) and as a share of the difference's power.

Tapping (:func:`analyse_tapping`, with pair_taps and lag1_xcorr) lives in :mod:`.tapping` and is
re-exported here.

Speed: a 60-s round (3,000 samples per player) is analysed in well under a second (no loop over windows,
lags or samples; the surrogates' statistic is one FFT per surrogate), measured by the tests.

References
----------
Full entries in ``docs/references.bib``: ``noy2011`` (velocities, the follower's 1.5–5 Hz jitter),
``boker2002`` (windowed cross-correlation and peak picking).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.games.rounds import MIRROR_KINDS, Round
from empathy_explorer.games.tapping import (
    MIN_TAP_PAIRS,
    TappingResult,
    analyse_tapping,
    lag1_xcorr,
    pair_taps,
)
from empathy_explorer.synchrony import WindowedXcorrResult, surrogate_test, windowed_xcorr
from empathy_explorer.synchrony.xcorr import lag_profile

__all__ = [
    "JITTER_BAND_HZ",
    "MIN_MOVING_SHARE",
    "MIN_ROUND_S",
    "MIN_TAP_PAIRS",
    "MovementResult",
    "TappingResult",
    "analyse_movement",
    "analyse_tapping",
    "band_power",
    "lag1_xcorr",
    "movement_summary_table",
    "pair_taps",
    "peak_xcorr",
    "velocities",
]

#: Band of the follower's corrective jitter (Hz).
JITTER_BAND_HZ = (1.5, 5.0)
#: Shortest mirror round analysed (s): several 5-s windows plus the lags.
MIN_ROUND_S = 15.0
#: A player "moved" when the handle moved in at least this share of the samples.
MIN_MOVING_SHARE = 0.05

_LEADER_WORDS = {"A": "A led", "B": "B led", "": "nobody led"}


# --------------------------------------------------------------------------------------------------
# Movement
# --------------------------------------------------------------------------------------------------


def velocities(position: object, fs_hz: float) -> np.ndarray:
    """Velocity of a handle (track lengths per second) by central differences (``numpy.gradient``).

    Examples
    --------
    >>> velocities([0.0, 0.1, 0.2, 0.3], 10.0).round(9).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    x = np.asarray(position, dtype=float).reshape(-1)
    if x.size < 2:
        raise InputError("A handle's path needs at least two samples.")
    return np.gradient(x, 1.0 / float(fs_hz))


def band_power(x: object, fs_hz: float, band_hz: tuple[float, float] = JITTER_BAND_HZ) -> tuple[float, float]:
    """Mean power of ``x`` in a frequency band, and the band's share of the total power (mean removed).

    The periodogram's bins in ``band_hz`` are summed (Parseval: the variance carried by those
    frequencies).

    Returns
    -------
    (float, float)
        Power in the band (units of x squared) and its share of the variance (0–1; NaN for a constant x).

    Examples
    --------
    >>> t = np.arange(1000) / 50
    >>> p, share = band_power(np.sin(2 * np.pi * 2 * t) + np.sin(2 * np.pi * 0.2 * t), 50)
    >>> round(p, 3), round(share, 3)
    (0.5, 0.5)
    """
    v = np.asarray(x, dtype=float).reshape(-1)
    v = v - v.mean()
    n = v.size
    spec = np.abs(np.fft.rfft(v)) ** 2 / n**2
    spec[1:] *= 2.0
    if n % 2 == 0:
        spec[-1] /= 2.0  # the Nyquist bin is not doubled
    f = np.fft.rfftfreq(n, 1.0 / fs_hz)
    total = float(spec.sum())
    power = float(spec[(f >= band_hz[0]) & (f <= band_hz[1])].sum())
    return power, (power / total if total > 0 else math.nan)


def peak_xcorr(x: np.ndarray, y: np.ndarray, max_lag: int) -> tuple[float, int]:
    """Highest correlation of two whole series over lags −max_lag..max_lag samples, and its lag.

    ``r(τ) = Σ (x[i] − x̄)(y[i+τ] − ȳ) / (n σx σy)`` by one FFT (positive τ: y follows x).

    Examples
    --------
    >>> x = np.sin(np.arange(400) / 7)
    >>> peak_xcorr(x, np.roll(x, 5), 20)[1]
    5
    """
    n = x.size
    xc = x - x.mean()
    yc = y - y.mean()
    denom = n * xc.std() * yc.std()
    if denom == 0:
        return math.nan, 0
    nfft = 1 << math.ceil(math.log2(2 * n))
    cc = np.fft.irfft(np.conj(np.fft.rfft(xc, nfft)) * np.fft.rfft(yc, nfft), nfft)
    r = np.concatenate([cc[-max_lag:], cc[: max_lag + 1]]) / denom if max_lag else cc[:1] / denom
    i = int(np.argmax(r))
    return float(r[i]), i - max_lag


@dataclass(frozen=True)
class MovementResult:
    """What one mirror-game round shows.

    Attributes
    ----------
    kind : str
        The round's kind.
    lag_ms : float
        Lag of the lag profile's peak, ms; positive: B followed A (A led).
    leader : str
        ``"A"``, ``"B"`` or ``""`` (within ±20 ms: nobody led).
    mean_peak_r : float
        Mean of the windows' peak correlations of the velocities.
    peak_r : float
        Highest correlation of the whole velocity series within the lags (the tested statistic).
    p_value : float
        Circular-shift surrogate test of ``peak_r``.
    n_surrogates : int
    jitter : float
        The follower's jitter: power of the velocity difference (follower minus the leader shifted by the
        measured lag) in 1.5–5 Hz, (track/s)².
    jitter_share : float
        The same as a share of the difference's power (0–1).
    jitter_share_a, jitter_share_b : float
        Share of each player's own velocity power in 1.5–5 Hz (the follower's is usually the larger).
    lag_profile : pandas.DataFrame
        ``lag_ms``, ``r``: mean r over windows at each lag.
    xcorr : WindowedXcorrResult
        The windowed cross-correlation of the velocities (A as x, B as y).
    velocity : pandas.DataFrame
        ``time_s``, ``player_a``, ``player_b`` velocities (track/s).
    settings : dict
        Window, step, lags and surrogates used.
    """

    kind: str
    lag_ms: float
    leader: str
    mean_peak_r: float
    peak_r: float
    p_value: float
    n_surrogates: int
    jitter: float
    jitter_share: float
    jitter_share_a: float
    jitter_share_b: float
    lag_profile: pd.DataFrame
    xcorr: WindowedXcorrResult
    velocity: pd.DataFrame
    settings: dict

    @property
    def significant(self) -> bool:
        """``p < 0.05``."""
        return self.p_value < 0.05

    def sentence(self) -> str:
        """The result in one plain sentence (the page's text summary)."""
        if not self.leader:
            who = f"Nobody led: the peak is within 20 ms of 0 ({self.lag_ms:+.0f} ms)"
        else:
            follower = "B" if self.leader == "A" else "A"
            who = f"{self.leader} led: {follower} followed by {abs(self.lag_ms):.0f} ms"
        chance = "more in step than chance" if self.significant else "not more in step than chance"
        return (
            f"{who}. Mean peak r = {self.mean_peak_r:.2f}; peak r of the whole round = {self.peak_r:.2f}, "
            f"p = {self.p_value:.3f} ({chance}, {self.n_surrogates} circular shifts). "
            f"Jitter (1.5–5 Hz): {self.jitter:.4f} (track/s)², {self.jitter_share:.0%} of the velocity "
            f"difference; share of own movement A {self.jitter_share_a:.0%}, B {self.jitter_share_b:.0%}."
        )

    def summary_row(self) -> dict[str, object]:
        """One row of the rounds' summary table."""
        return {
            "round": self.kind,
            "leader": self.leader or "nobody",
            "lag_ms": round(self.lag_ms, 1),
            "mean_peak_r": round(self.mean_peak_r, 3),
            "peak_r": round(self.peak_r, 3),
            "p_value": round(self.p_value, 3),
            "jitter": round(self.jitter, 5),
            "jitter_a_share": round(self.jitter_share_a, 3),
            "jitter_b_share": round(self.jitter_share_b, 3),
        }


def _check_moved(a: np.ndarray, b: np.ndarray, fs: float) -> None:
    moving = [float(np.mean(np.abs(np.diff(p)) > 1e-6)) for p in (a, b)]
    if max(moving) < MIN_MOVING_SHARE:
        raise InputError(
            "Nobody moved in this round, so there is nothing to compare. Press Start and move your "
            "handles (A: W/S keys, B: arrow keys, or drag on a touch screen)."
        )
    for who, share in zip("AB", moving, strict=True):
        if share < MIN_MOVING_SHARE:
            raise InputError(
                f"Player {who} hardly moved ({share:.0%} of the round), so who followed whom cannot be "
                "judged. Play the round again with both handles moving."
            )
    if a.size / fs < MIN_ROUND_S:
        raise InputError(
            f"The round lasted {a.size / fs:.0f} s; at least {MIN_ROUND_S:.0f} s are needed for the "
            "analysis. Play a longer round."
        )


def _parabolic(r: np.ndarray, i: int) -> float:
    if 0 < i < r.size - 1 and np.isfinite(r[i - 1 : i + 2]).all():
        den = r[i - 1] - 2 * r[i] + r[i + 1]
        if den < 0:
            return float(np.clip(0.5 * (r[i - 1] - r[i + 1]) / den, -0.5, 0.5))
    return 0.0


def analyse_movement(
    rnd: Round,
    *,
    window_s: float = 5.0,
    step_s: float = 1.0,
    max_lag_s: float = 1.5,
    n_surrogates: int = 199,
    min_shift_s: float = 2.0,
    seed: int = 0,
) -> MovementResult:
    """Who led, by how many ms, how strongly and whether more than chance, for one mirror-game round.

    Parameters
    ----------
    rnd : Round
        A mirror round (positions at ``fs_hz``).
    window_s, step_s, max_lag_s : float
        Windowed cross-correlation settings, s (defaults 5, 1 and 1.5).
    n_surrogates : int
        Circular shifts of the surrogate test (default 199: smallest p = 0.005).
    min_shift_s : float
        Smallest circular shift, s (default 2 s: beyond the ±1.5-s lags, so a follower's own lag is
        never part of the null; see the module notes on calibration).
    seed : int
        Seed of the surrogates.

    Returns
    -------
    MovementResult

    Raises
    ------
    InputError
        Nobody moved, one player hardly moved, or a round too short (messages a student can act on).
    ParameterError
        A tapping round.

    Examples
    --------
    >>> from empathy_explorer.games.virtual import simulated_round
    >>> res = analyse_movement(simulated_round("mirror_solo_lead", duration_s=40, delay_ms=300))
    >>> res.leader, round(res.lag_ms, -1), res.p_value < 0.05
    ('A', 300.0, True)
    """
    if rnd.kind not in MIRROR_KINDS:
        raise ParameterError(f"analyse_movement needs a mirror-game round, not {rnd.kind}.")
    fs = rnd.fs_hz
    a, b = rnd.player_a, rnd.player_b
    _check_moved(a, b, fs)
    va, vb = velocities(a, fs), velocities(b, fs)
    xc = windowed_xcorr(va, vb, fs, window_s=window_s, step_s=step_s, max_lag_s=max_lag_s)
    profile = np.asarray(lag_profile(xc).mean_r)
    lag_ms = _peak_lag_ms(profile, xc.lags_s, fs)
    leader = "" if abs(lag_ms) <= 20.0 else ("A" if lag_ms > 0 else "B")
    max_lag = round(max_lag_s * fs)

    def stat(x: np.ndarray, y: np.ndarray) -> float:
        return peak_xcorr(x, y, max_lag)[0]

    test = surrogate_test(
        va,
        vb,
        fs,
        stat,
        method="circular_shift",
        n_surrogates=n_surrogates,
        seed=seed,
        min_shift_s=min_shift_s,
    )
    jitter, jitter_share = _follower_jitter(va, vb, lag_ms, fs)
    share_a, share_b = band_power(va, fs)[1], band_power(vb, fs)[1]
    return MovementResult(
        kind=rnd.kind,
        lag_ms=lag_ms,
        leader=leader,
        mean_peak_r=xc.mean_peak_r,
        peak_r=test.observed,
        p_value=test.p_value,
        n_surrogates=test.n_valid,
        jitter=jitter,
        jitter_share=jitter_share,
        jitter_share_a=share_a,
        jitter_share_b=share_b,
        lag_profile=pd.DataFrame({"lag_ms": xc.lags_s * 1000.0, "r": profile}),
        xcorr=xc,
        velocity=pd.DataFrame({"time_s": rnd.time_s, "player_a": va, "player_b": vb}),
        settings={
            "window_s": window_s,
            "step_s": step_s,
            "max_lag_s": max_lag_s,
            "n_surrogates": n_surrogates,
            "min_shift_s": min_shift_s,
            "seed": seed,
        },
    )


def _peak_lag_ms(profile: np.ndarray, lags_s: np.ndarray, fs: float) -> float:
    """Lag of the lag profile's peak, ms, refined between samples by a parabola through the peak."""
    if not np.isfinite(profile).any():
        raise InputError("The handles never moved at the same time, so no lag can be measured.")
    i = int(np.nanargmax(profile))
    step_ms = 1000.0 / fs
    return float(lags_s[i] * 1000.0 + _parabolic(profile, i) * step_ms)


def _follower_jitter(va: np.ndarray, vb: np.ndarray, lag_ms: float, fs: float) -> tuple[float, float]:
    """Band power (1.5–5 Hz) of the follower's velocity minus the leader's moved forward by the lag
    (positive lag: B follows A), and its share of the difference's power."""
    step_ms = 1000.0 / fs
    shift = round(lag_ms / step_ms)
    diff = (vb - np.roll(va, shift)) if lag_ms >= 0 else (va - np.roll(vb, -shift))
    diff = diff[abs(shift) : diff.size - abs(shift)] if shift else diff
    return band_power(diff, fs)


def movement_summary_table(results: Sequence[MovementResult]) -> pd.DataFrame:
    """The rounds side by side: one row per analysed round (:meth:`MovementResult.summary_row`).

    Examples
    --------
    >>> movement_summary_table([]).columns.tolist()[:3]
    ['round', 'leader', 'lag_ms']
    """
    cols = ["round", "leader", "lag_ms", "mean_peak_r", "peak_r", "p_value", "jitter"]
    cols += ["jitter_a_share", "jitter_b_share"]
    return pd.DataFrame([r.summary_row() for r in results], columns=cols)
