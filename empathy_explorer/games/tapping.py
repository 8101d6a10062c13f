"""Analysis of a tapping round: paired taps, intervals, asynchronies, lag-1 correlations, phase correction.

Tapping (:func:`analyse_tapping`), after Konvalinka et al. (2010) and the linear phase-correction model
(Repp 2005): taps of A and B are paired (each with its nearest partner tap, one to one, within half an
interval); then the inter-tap intervals (ITI), the asynchronies (A minus B, ms), the **lag-1
cross-correlations** of the ITIs in both directions (``B follows A`` = corr(ITI_A[n], ITI_B[n+1]); positive
in both directions = mutual adaptation), and each player's **phase correction** α estimated by least
squares from ``ITI_A[n] = T_A − α_A · async[n]`` (and ``ITI_B[n] = T_B + α_B · async[n]``). The estimate is
unbiased when the taps' variability comes from the timekeeper; noise in the motor delays of the taps
biases it (a model assumption stated on the page).

References
----------
Full entries in ``docs/references.bib``: ``konvalinka2010`` (joint tapping, lag-1 cross-correlations),
``repp2005`` (linear phase correction).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.games.rounds import TAP_KINDS, Round

#: Fewest paired taps analysed.
MIN_TAP_PAIRS = 8


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
