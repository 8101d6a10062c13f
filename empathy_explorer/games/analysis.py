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

Tapping (:func:`analyse_tapping`), after Konvalinka et al. (2010) and the linear phase-correction model
(Repp 2005): taps of A and B are paired (each with its nearest partner tap, one to one, within half an
interval); then the inter-tap intervals (ITI), the asynchronies (A minus B, ms), the **lag-1
cross-correlations** of the ITIs in both directions (``B follows A`` = corr(ITI_A[n], ITI_B[n+1]); positive
in both directions = mutual adaptation), and each player's **phase correction** α estimated by least
squares from ``ITI_A[n] = T_A − α_A · async[n]`` (and ``ITI_B[n] = T_B + α_B · async[n]``). The estimate is
unbiased when the taps' variability comes from the timekeeper; noise in the motor delays of the taps
biases it (a model assumption stated on the page).

Speed: a 60-s round (3,000 samples per player) is analysed in well under a second (no loop over windows,
lags or samples; the surrogates' statistic is one FFT per surrogate), measured by the tests.

References
----------
Noy, L., Dekel, E., & Alon, U. (2011). The mirror game as a paradigm for studying the dynamics of two people
improvising motion together. PNAS, 108(52), 20947–20952. https://doi.org/10.1073/pnas.1108155108

Boker, S. M., Xu, M., Rotondo, J. L., & King, K. (2002). Windowed cross-correlation and peak picking for the
analysis of variability in the association between behavioral time series. Psychological Methods, 7(3),
338–355. https://doi.org/10.1037/1082-989X.7.3.338

Konvalinka, I., Vuust, P., Roepstorff, A., & Frith, C. D. (2010). Follow you, follow me: continuous mutual
prediction and adaptation in joint tapping. Quarterly Journal of Experimental Psychology, 63(11),
2220–2230. https://doi.org/10.1080/17470218.2010.497843

Repp, B. H. (2005). Sensorimotor synchronization: a review of the tapping literature. Psychonomic Bulletin &
Review, 12(6), 969–992. https://doi.org/10.3758/BF03206433
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.games.rounds import MIRROR_KINDS, TAP_KINDS, Round
from empathy_explorer.synchrony import WindowedXcorrResult, surrogate_test, windowed_xcorr

__all__ = [
    "JITTER_BAND_HZ",
    "MIN_MOVING_SHARE",
    "MIN_ROUND_S",
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
#: Fewest paired taps analysed.
MIN_TAP_PAIRS = 8

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
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(xc.r)
        counts = finite.sum(axis=0)
        profile = np.where(
            counts > 0, np.where(finite, xc.r, 0.0).sum(axis=0) / np.maximum(counts, 1), np.nan
        )
    if not np.isfinite(profile).any():
        raise InputError("The handles never moved at the same time, so no lag can be measured.")
    i = int(np.nanargmax(profile))
    step_ms = 1000.0 / fs
    lag_ms = float(xc.lags_s[i] * 1000.0 + _parabolic(profile, i) * step_ms)
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
    shift = round(lag_ms / step_ms)
    # follower minus the leader moved forward by the lag (positive lag: B follows A)
    diff = (vb - np.roll(va, shift)) if lag_ms >= 0 else (va - np.roll(vb, -shift))
    diff = diff[abs(shift) : diff.size - abs(shift)] if shift else diff
    jitter, jitter_share = band_power(diff, fs)
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


# --------------------------------------------------------------------------------------------------
# Tapping
# --------------------------------------------------------------------------------------------------


def pair_taps(a: object, b: object, max_gap_s: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pair each tap of A with B's nearest tap, one to one (mutual nearest neighbours).

    Parameters
    ----------
    a, b : array_like
        Tap times, s (sorted inside).
    max_gap_s : float, optional
        Largest |a − b| of a pair (default half of A's median inter-tap interval).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Indices into the sorted ``a`` and ``b`` of the pairs, in time order.

    Examples
    --------
    >>> pair_taps([1.0, 1.6, 2.2], [1.02, 2.25, 2.9])
    (array([0, 2]), array([0, 1]))
    """
    ta = np.sort(np.asarray(a, dtype=float).reshape(-1))
    tb = np.sort(np.asarray(b, dtype=float).reshape(-1))
    if ta.size == 0 or tb.size == 0:
        return np.array([], dtype=int), np.array([], dtype=int)
    if max_gap_s is None:
        max_gap_s = 0.5 * float(np.median(np.diff(ta))) if ta.size > 1 else math.inf

    def nearest(src: np.ndarray, ref: np.ndarray) -> np.ndarray:
        j = np.clip(np.searchsorted(ref, src), 1, max(ref.size - 1, 1))
        if ref.size == 1:
            return np.zeros(src.size, dtype=int)
        left = ref[j - 1]
        return np.where(np.abs(src - left) <= np.abs(ref[j] - src), j - 1, j)

    ja = nearest(ta, tb)
    jb = nearest(tb, ta)
    ia = np.arange(ta.size)
    mutual = (jb[ja] == ia) & (np.abs(ta - tb[ja]) <= max_gap_s)
    return ia[mutual], ja[mutual]


def lag1_xcorr(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson r of ``x[n]`` with ``y[n+1]`` (y's next value after x's): does y follow x?

    Examples
    --------
    >>> x = np.array([1.0, 3.0, 2.0, 5.0, 4.0])
    >>> round(lag1_xcorr(x, np.r_[0.0, x[:-1]]), 6)
    1.0
    """
    if x.size < 3:
        return math.nan
    u, v = x[:-1], y[1:]
    if u.std() == 0 or v.std() == 0:
        return math.nan
    return float(np.corrcoef(u, v)[0, 1])


@dataclass(frozen=True)
class TappingResult:
    """What one tapping round shows (A and B paired tap by tap).

    Attributes
    ----------
    taps : pandas.DataFrame
        One row per pair: ``n``, ``tap_a_s``, ``tap_b_s``, ``async_ms`` (A − B), ``iti_a_ms``,
        ``iti_b_ms`` (interval to the next pair's tap; NaN at the end or across a missed tap).
    n_pairs : int
    mean_iti_a_ms, mean_iti_b_ms : float
    mean_async_ms, sd_async_ms : float
        Mean and SD of A − B, ms (negative: A tapped first).
    b_follows_a, a_follows_b : float
        Lag-1 cross-correlations corr(ITI_A[n], ITI_B[n+1]) and corr(ITI_B[n], ITI_A[n+1]).
    alpha_a, alpha_b : float
        Phase-correction estimates (least squares, see the module notes).
    """

    taps: pd.DataFrame
    n_pairs: int
    mean_iti_a_ms: float
    mean_iti_b_ms: float
    mean_async_ms: float
    sd_async_ms: float
    b_follows_a: float
    a_follows_b: float
    alpha_a: float
    alpha_b: float
    kind: str = ""

    def sentence(self) -> str:
        """The result in plain words (the page's text summary)."""
        first = "A" if self.mean_async_ms < 0 else "B"
        both = self.b_follows_a > 0 and self.a_follows_b > 0
        adapt = "both adapted to each other" if both else "the adaptation was not mutual"
        return (
            f"{self.n_pairs} tap pairs; mean interval A {self.mean_iti_a_ms:.0f} ms, "
            f"B {self.mean_iti_b_ms:.0f} ms. "
            f"Mean asynchrony {self.mean_async_ms:+.0f} ms ({first} tapped first on average, "
            f"SD {self.sd_async_ms:.0f} ms). Lag-1 cross-correlations: B follows A {self.b_follows_a:+.2f}, "
            f"A follows B {self.a_follows_b:+.2f} ({adapt}). Phase correction: A {self.alpha_a:.2f}, "
            f"B {self.alpha_b:.2f}."
        )

    def summary_row(self) -> dict[str, object]:
        """One row of the tapping summary table."""
        return {
            "round": self.kind,
            "pairs": self.n_pairs,
            "mean_iti_a_ms": round(self.mean_iti_a_ms, 1),
            "mean_iti_b_ms": round(self.mean_iti_b_ms, 1),
            "mean_async_ms": round(self.mean_async_ms, 1),
            "sd_async_ms": round(self.sd_async_ms, 1),
            "b_follows_a": round(self.b_follows_a, 3),
            "a_follows_b": round(self.a_follows_b, 3),
            "alpha_a": round(self.alpha_a, 3),
            "alpha_b": round(self.alpha_b, 3),
        }


def _slope(x: np.ndarray, y: np.ndarray) -> float:
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3 or np.std(x[ok]) == 0:
        return math.nan
    xc = x[ok] - x[ok].mean()
    return float((xc * (y[ok] - y[ok].mean())).sum() / (xc**2).sum())


def analyse_tapping(rnd_or_taps: Round | tuple[object, object], *, kind: str = "") -> TappingResult:
    """Inter-tap intervals, asynchrony, lag-1 cross-correlations and phase correction of a tapping round.

    Parameters
    ----------
    rnd_or_taps : Round or (array_like, array_like)
        A tapping round, or the two players' tap times in seconds.
    kind : str, optional
        The round's kind when tap times are given.

    Returns
    -------
    TappingResult

    Raises
    ------
    InputError
        Fewer than :data:`MIN_TAP_PAIRS` taps of one player, or too few taps that can be paired.

    Examples
    --------
    >>> from empathy_explorer.games.virtual import simulate_taps
    >>> a, b = simulate_taps(400, alpha_a=0.4, alpha_b=0.1, timekeeper_sd_s=0.02, seed=0)
    >>> res = analyse_tapping((a, b))
    >>> res.n_pairs, round(res.alpha_a, 2), round(res.alpha_b, 2)
    (400, 0.39, 0.12)
    """
    if isinstance(rnd_or_taps, Round):
        if rnd_or_taps.kind not in TAP_KINDS:
            raise ParameterError(f"analyse_tapping needs a tapping round, not {rnd_or_taps.kind}.")
        ta, tb = rnd_or_taps.tap_times_s("a"), rnd_or_taps.tap_times_s("b")
        kind = rnd_or_taps.kind
    else:
        ta, tb = (np.sort(np.asarray(t, dtype=float).reshape(-1)) for t in rnd_or_taps)
    for who, t in (("A", ta), ("B", tb)):
        if t.size < MIN_TAP_PAIRS:
            raise InputError(
                f"Player {who} tapped {t.size} times; at least {MIN_TAP_PAIRS} taps are needed. "
                "Play the round again and keep tapping until the timer ends."
            )
    ia, ib = pair_taps(ta, tb)
    if ia.size < MIN_TAP_PAIRS:
        raise InputError(
            f"Only {ia.size} of A's taps had a tap of B close by; at least {MIN_TAP_PAIRS} are needed. "
            "Try to tap together, at the same moments."
        )
    a, b = ta[ia], tb[ib]
    consecutive = (np.diff(ia) == 1) & (np.diff(ib) == 1)
    iti_a = np.where(consecutive, np.diff(a), np.nan) * 1000.0
    iti_b = np.where(consecutive, np.diff(b), np.nan) * 1000.0
    asyn = (a - b) * 1000.0

    def lag1(x: np.ndarray, y: np.ndarray) -> float:
        ok = np.isfinite(x[:-1]) & np.isfinite(y[1:])
        if ok.sum() < 3:
            return math.nan
        u, v = x[:-1][ok], y[1:][ok]
        return _corr(u, v)

    table = pd.DataFrame(
        {
            "n": np.arange(a.size),
            "tap_a_s": a,
            "tap_b_s": b,
            "async_ms": asyn,
            "iti_a_ms": np.r_[iti_a, np.nan],
            "iti_b_ms": np.r_[iti_b, np.nan],
        }
    )
    return TappingResult(
        taps=table,
        n_pairs=int(a.size),
        mean_iti_a_ms=float(np.nanmean(iti_a)) if np.isfinite(iti_a).any() else math.nan,
        mean_iti_b_ms=float(np.nanmean(iti_b)) if np.isfinite(iti_b).any() else math.nan,
        mean_async_ms=float(asyn.mean()),
        sd_async_ms=float(asyn.std(ddof=1)),
        b_follows_a=lag1(iti_a, iti_b),
        a_follows_b=lag1(iti_b, iti_a),
        alpha_a=-_slope(asyn[:-1], iti_a),
        alpha_b=_slope(asyn[:-1], iti_b),
        kind=kind,
    )


def _corr(u: np.ndarray, v: np.ndarray) -> float:
    if u.std() < 1e-9 or v.std() < 1e-9:  # ms: a metronome's intervals differ only by rounding
        return math.nan
    return float(np.corrcoef(u, v)[0, 1])
