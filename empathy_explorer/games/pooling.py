"""Pool a class's mirror-game and tapping rounds and test real pairs against pseudo-pairs.

A workshop in which pairs play the mirror game (Noy, Dekel & Alon 2011) or tap together produces a data
set of its own: one round file per pair and round kind (format: ``ROUND_FORMAT.md``, written by the game
page). These modules turn a heap of such files into the lesson of notebook 06 with the class's own data
(every name below can be imported from here):

- :func:`read_class_files` (:mod:`.class_files`) -- many uploaded files (CSV rounds, or ZIP archives of
  them) read in memory, nothing written to disk; each file that is not a usable round is set aside with a
  plain message, and the rest of the class still loads.
- :func:`round_sync` (:mod:`.class_sync`) -- the synchrony numbers of one round: for the mirror game the
  game page's own (:func:`empathy_explorer.games.analysis.analyse_movement`: mean peak r of the windowed
  lagged cross-correlation of the velocities, Boker et al. 2002, and the lag of the lag profile's peak);
  for tapping the same cross-correlation of smoothed tap trains.
- :func:`analyse_class` (here; results in :mod:`.class_results`) -- per round kind, the honest null:
  **pseudo-pairs** (player A of pair *i* with player B of pair *j* ≠ *i*, same kind and length; the
  engine's :func:`~empathy_explorer.synchrony.pseudo_pairs`, as Bernieri et al. 1988). Real-pair against
  pseudo-pair distribution, the effect size of SUSY (Tschacher & Meier 2020), a p-value, the class's
  confidence interval; and leader/follower rounds against joint rounds, pair by pair.
- :func:`projected_ci` / :func:`published_comparison` (here) -- how wide the class's interval is, what
  more pairs would change, next to the 20 dyads of Marci et al. (2007).
- :func:`example_rounds` / :func:`example_class` (:mod:`.simulated_class`) -- a simulated class with known
  couplings.

Privacy: rounds carry pair and player labels only (``P03``, ``A``/``B``); :meth:`ClassAnalysis.export_table`
holds nothing the uploads did not.

Speed: the windowed cross-correlation is the engine's vectorised one (no loop over windows or lags);
pseudo-pairs compute the statistic once per ordered pair needed (n² for n pairs, a loop over pairs, not
over windows or lags). 20 rounds of 60 s at 50 Hz, read from a ZIP and analysed with all 400 pair
statistics, took 1.2–3.7 s on a shared 2-core machine (the slowest at a load of 17), about 180–215× faster
than the naive per-window, per-lag loop (``benchmarks/class_pooling.py``; target < 10 s).

References
----------
Full entries in ``docs/references.bib``: ``noy2011`` (the mirror game), ``bernieri1988`` (pseudo-pairs),
``boker2002`` (windowed cross-correlation), ``tschacher2020`` (SUSY effect size), ``marci2007`` (20 dyads).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.games.class_files import (
    JOINT_KINDS,
    KIND_LABELS,
    LED_KINDS,
    MAX_FILES,
    MAX_TOTAL_BYTES,
    ClassData,
    ClassRound,
    make_round,
    pool_rounds,
    read_class_files,
)
from empathy_explorer.games.class_results import ClassAnalysis, KindTest, LedJointComparison
from empathy_explorer.games.class_sync import SYNC_SETTINGS, TAP_SMOOTH_S, _sync_stat, round_sync, sync_signal
from empathy_explorer.games.simulated_class import (
    EXAMPLE_COUPLINGS,
    EXAMPLE_DELAYS_MS,
    EXAMPLE_KINDS,
    example_class,
    example_rounds,
)

__all__ = [
    "EXAMPLE_COUPLINGS",
    "EXAMPLE_DELAYS_MS",
    "EXAMPLE_KINDS",
    "JOINT_KINDS",
    "KIND_LABELS",
    "LED_KINDS",
    "MAX_FILES",
    "MAX_TOTAL_BYTES",
    "MIN_PAIRS",
    "SYNC_SETTINGS",
    "TAP_SMOOTH_S",
    "ClassAnalysis",
    "ClassData",
    "ClassRound",
    "KindTest",
    "LedJointComparison",
    "analyse_class",
    "example_class",
    "example_rounds",
    "make_round",
    "pool_rounds",
    "projected_ci",
    "published_comparison",
    "read_class_files",
    "round_sync",
    "sync_signal",
]

#: Fewest pairs for pseudo-pairs (A of one pair with B of another, never with their own partner).
MIN_PAIRS = 3
#: Below this many pairs the pseudo-pair test is somewhat liberal (see ``synchrony.pseudo_pairs``).
FEW_PAIRS = 10


# --------------------------------------------------------------------------------------------------
# The class analysis
# --------------------------------------------------------------------------------------------------


def _pair_list(pairs: Sequence[str]) -> str:
    """ "Pair P03 has" or "Pairs P03, P05 and P07 have"."""
    if len(pairs) == 1:
        return f"Pair {pairs[0]} has"
    return f"Pairs {', '.join(pairs[:-1])} and {pairs[-1]} have"


def _t_interval(values: np.ndarray) -> tuple[float, float]:
    from empathy_explorer.stats import t_quantile

    n = values.size
    if n < 2:
        return math.nan, math.nan
    half = float(t_quantile(0.975, n - 1)) * float(np.std(values, ddof=1)) / math.sqrt(n)
    m = float(np.mean(values))
    return m - half, m + half


def _pick_test_rounds(rounds: list[ClassRound], kind: str, messages: list[str]) -> list[ClassRound]:
    """One round per pair, all of one length and rate (the most common; ties: the longest)."""
    label = KIND_LABELS[kind]
    usable = [r for r in rounds if r.kind == kind]
    lengths = Counter((r.fs_hz, r.n_samples) for r in usable)
    (fs, n), _count = max(lengths.items(), key=lambda item: (item[1], item[0][1] / item[0][0]))
    for r in usable:
        if (r.fs_hz, r.n_samples) != (fs, n):
            messages.append(
                f"{r.round_id} ({r.source or 'round'}) is left out of the '{label}' pseudo-pair test: it is "
                f"{r.duration_s:.1f} s at {r.fs_hz:g} Hz, the other rounds of this kind {n / fs:.1f} s at "
                f"{fs:g} Hz. Pseudo-pairs need rounds of the same length."
            )
    same = [r for r in usable if (r.fs_hz, r.n_samples) == (fs, n)]
    chosen: dict[str, ClassRound] = {}
    for r in sorted(same, key=lambda r: r.round_id):
        if r.pair in chosen:
            messages.append(
                f"Pair {r.pair} has more than one '{label}' round; the pseudo-pair test uses the first "
                f"({chosen[r.pair].round_id}), the table shows all."
            )
            continue
        chosen[r.pair] = r
    return [chosen[p] for p in sorted(chosen)]


def _kind_test(
    chosen: list[ClassRound],
    kind: str,
    *,
    n_pseudo: int,
    seed: int,
    progress: Callable[[int, int], object] | None,
) -> KindTest:
    from empathy_explorer.synchrony import pseudo_pairs

    fs = chosen[0].fs_hz
    dyads = [(sync_signal(r.a, fs, r.signal), sync_signal(r.b, fs, r.signal)) for r in chosen]
    res = pseudo_pairs(dyads, _sync_stat(fs, chosen[0].signal), n_surrogates=n_pseudo, seed=seed,
                       progress=progress)  # fmt: skip
    values = np.asarray(res.pair_values)
    real = np.asarray(res.dyad_values)
    n = real.size
    off = ~np.eye(n, dtype=bool) & np.isfinite(values)
    pseudo = values[off]
    with np.errstate(invalid="ignore"):
        own_pseudo = np.nanmean(np.where(off, values, np.nan), axis=1)
    excess = real - own_pseudo
    sd = float(np.std(pseudo, ddof=1)) if pseudo.size > 1 else math.nan
    effect = (float(real.mean()) - float(pseudo.mean())) / sd if sd and math.isfinite(sd) else math.nan
    lo, hi = _t_interval(excess[np.isfinite(excess)])
    return KindTest(
        kind=kind,
        pairs=tuple(r.pair for r in chosen),
        real=real,
        pseudo=pseudo,
        p_value=float(res.p_value),
        effect_size=effect,
        n_pairings=int(res.n_surrogates),
        excess=excess,
        ci_low=lo,
        ci_high=hi,
        duration_s=chosen[0].duration_s,
        null=np.asarray(res.null),
        pair_values=np.where(np.eye(n, dtype=bool), np.diag(real), values),
    )


def _comparison(table: pd.DataFrame) -> LedJointComparison | None:
    from empathy_explorer.stats import t_upper_tail

    ok = table[np.isfinite(table["sync_r"])]
    led = ok[ok["kind"].isin(LED_KINDS)].groupby("pair")
    joint = ok[ok["kind"].isin(JOINT_KINDS)].groupby("pair")
    led_r, joint_r = led["sync_r"].mean(), joint["sync_r"].mean()
    pairs = sorted(set(led_r.index) & set(joint_r.index))
    if not pairs:
        return None
    lag = ok.assign(abs_lag=ok["lag_ms"].abs())
    led_lag = lag[lag["kind"].isin(LED_KINDS)].groupby("pair")["abs_lag"].mean()
    joint_lag = lag[lag["kind"].isin(JOINT_KINDS)].groupby("pair")["abs_lag"].mean()
    a = led_r.loc[pairs].to_numpy(dtype=float)
    b = joint_r.loc[pairs].to_numpy(dtype=float)
    diff = b - a
    lo, hi = _t_interval(diff)
    p = math.nan
    if diff.size >= 2:
        sd = float(np.std(diff, ddof=1))
        if sd > 0:
            t = float(diff.mean()) / (sd / math.sqrt(diff.size))
            p = float(2.0 * t_upper_tail(abs(t), diff.size - 1))
    return LedJointComparison(
        pairs=tuple(pairs),
        led=a,
        joint=b,
        led_lag_ms=led_lag.reindex(pairs).to_numpy(dtype=float),
        joint_lag_ms=joint_lag.reindex(pairs).to_numpy(dtype=float),
        mean_diff=float(diff.mean()),
        ci_low=lo,
        ci_high=hi,
        p_value=p,
    )


def analyse_class(
    data: ClassData | Sequence[ClassRound],
    *,
    n_pseudo: int = 1000,
    seed: int = 0,
    progress: Callable[[int, int], object] | None = None,
) -> ClassAnalysis:
    """The class analysis: every round's synchrony, real pairs vs pseudo-pairs per kind, led vs joint.

    Parameters
    ----------
    data : ClassData or sequence of ClassRound
        The class's rounds (:func:`read_class_files`).
    n_pseudo : int, default 1000
        Random re-pairings of the class when there are too many to enumerate (1–10,000; with up to 7
        pairs every re-pairing is used).
    seed : int, default 0
        Seed of the random re-pairings (the same seed gives the same numbers).
    progress : callable, optional
        ``progress(done, total)`` as the work advances (may raise to cancel).

    Returns
    -------
    ClassAnalysis

    Raises
    ------
    InputError
        No round at all.

    Examples
    --------
    >>> from empathy_explorer.games.pooling import example_rounds  # doctest: +SKIP
    >>> res = analyse_class(example_rounds())  # doctest: +SKIP
    >>> res.tests["mirror_a_leads"].p_value < 0.05  # doctest: +SKIP
    True
    """
    if not isinstance(data, ClassData):
        data = pool_rounds(list(data))
    rounds = list(data.rounds)
    if not rounds:
        raise InputError("There is no round to analyse. Upload the class's round files first.")
    messages = list(data.messages)
    kinds = data.kinds
    total = len(rounds) + 100 * len(kinds)
    report = progress or (lambda _d, _t: None)

    table = _round_table(rounds, report, total, messages)
    if len(kinds) > 1:
        _note_single_rounds(table, messages)
    by_id = {r.round_id: r for r in rounds}
    usable_ids = set(table.loc[np.isfinite(table["sync_r"]), "round_id"])
    tests: dict[str, KindTest] = {}
    in_test: set[str] = set()
    for k, kind in enumerate(kinds):
        candidates = [by_id[i] for i in table.loc[table["kind"] == kind, "round_id"] if i in usable_ids]
        chosen = _pick_test_rounds(candidates, kind, messages) if candidates else []

        def step(done: int, n_todo: int, k: int = k) -> None:
            report(len(rounds) + 100 * k + round(100 * done / max(n_todo, 1)), total)

        test = _kind_test_or_message(chosen, kind, n_pseudo, seed, step, messages)
        if test is None:
            if len(chosen) < MIN_PAIRS:
                report(len(rounds) + 100 * (k + 1), total)
            continue
        tests[kind] = test
        in_test.update(r.round_id for r in chosen)
    table["in_test"] = table["round_id"].isin(in_test)
    report(total, total)
    return ClassAnalysis(
        table=table,
        tests=tests,
        comparison=_comparison(table),
        messages=tuple(dict.fromkeys(messages)),
        simulated=bool(table["simulated"].all()),
    )


def _round_table(
    rounds: list[ClassRound], report: Callable[[int, int], object], total: int, messages: list[str]
) -> pd.DataFrame:
    """One row per round with its synchrony (one vectorised cross-correlation per round)."""
    rows = []
    for i, r in enumerate(rounds):
        rows.append({"pair": r.pair, "kind": r.kind, "round_id": r.round_id, "player_a": r.player_a,
                     "player_b": r.player_b, "duration_s": round(r.duration_s, 3), **round_sync(r),
                     "simulated": r.simulated, "source": r.source})  # fmt: skip
        report(i + 1, total)
    table = pd.DataFrame(rows)
    for _, row in table[table["note"] != ""].iterrows():
        messages.append(f"{row['round_id']}: {row['note']}")
    return table


def _note_single_rounds(table: pd.DataFrame, messages: list[str]) -> None:
    """Pairs with a single round count in their kind's test but cannot be compared across kinds."""
    per_pair = table.groupby("pair")["round_id"].count()
    single = list(per_pair[per_pair == 1].index)
    if single:
        messages.append(
            f"{_pair_list(single)} only one round: it counts in its kind's pseudo-pair test, but the pair "
            "cannot be compared across round kinds (e.g. leader/follower against joint)."
        )


def _kind_test_or_message(
    chosen: list[ClassRound],
    kind: str,
    n_pseudo: int,
    seed: int,
    step: Callable[[int, int], None],
    messages: list[str],
) -> KindTest | None:
    """The kind's pseudo-pair test, or ``None`` with a message saying why there is none (too few pairs,
    or the test refused); a note when few pairs make it liberal."""
    if len(chosen) < MIN_PAIRS:
        messages.append(
            f"Only {len(chosen)} pair(s) have a usable '{KIND_LABELS[kind]}' round of one length: "
            f"pseudo-pairs need at least {MIN_PAIRS} pairs (player A of one pair with player B of "
            "another), so this kind has no test. Their numbers are in the table."
        )
        return None
    try:
        test = _kind_test(chosen, kind, n_pseudo=n_pseudo, seed=seed, progress=step)
    except (InputError, ParameterError) as err:
        messages.append(f"'{KIND_LABELS[kind]}' has no pseudo-pair test: {err}")
        return None
    if len(chosen) < FEW_PAIRS:
        messages.append(
            f"'{KIND_LABELS[kind]}' has only {len(chosen)} pairs: with fewer than {FEW_PAIRS} pairs the "
            "re-pairings overlap, and the test says 'more than chance' a little too often (about 9 % "
            "instead of 5 % with 5 pairs in the engine's own checks). Read a p-value near 0.05 with care."
        )
    return test


# --------------------------------------------------------------------------------------------------
# The class next to the published design
# --------------------------------------------------------------------------------------------------


def projected_ci(test: KindTest, n_pairs: Sequence[int] = (5, 10, 20, 40, 80)) -> pd.DataFrame:
    """How wide the class's 95% interval of the real-minus-pseudo difference would be with more pairs.

    The interval half-width is ``t(0.975, n − 1) · SD / √n`` with the class's own SD of the per-pair
    excess (an assumption: more pairs like these). Quadrupling the pairs roughly halves the width.

    Returns
    -------
    pandas.DataFrame
        ``pairs``, ``ci_low``, ``ci_high``, ``width``, ``is_class`` (the row of the class's own size).

    Examples
    --------
    >>> t = KindTest("mirror_joint", ("a", "b", "c", "d"), np.ones(4), np.zeros(12), 0.01, 2.0, 9,
    ...              np.array([0.1, 0.2, 0.3, 0.4]), 0.0, 0.5, 60.0, np.zeros(9))
    >>> projected_ci(t, (4, 16))["width"].round(3).tolist()
    [0.411, 0.138]
    """
    from empathy_explorer.stats import t_quantile

    excess = test.excess[np.isfinite(test.excess)]
    if excess.size < 2:
        raise InputError("The interval needs at least 2 pairs with a number.")
    sd, m = float(np.std(excess, ddof=1)), float(np.mean(excess))
    ns = np.unique(np.concatenate([np.asarray(n_pairs, dtype=int), [excess.size]]))
    ns = ns[ns >= 2]
    half = t_quantile(0.975, ns - 1) * sd / np.sqrt(ns)
    return pd.DataFrame(
        {
            "pairs": ns,
            "ci_low": m - half,
            "ci_high": m + half,
            "width": 2 * half,
            "is_class": ns == excess.size,
        }
    )


def published_comparison(test: KindTest) -> pd.DataFrame:
    """The class's design and interval next to Marci et al. (2007) (20 dyads, r = 0.47, p = 0.03).

    Returns
    -------
    pandas.DataFrame
        Rows "Marci et al. 2007" and "This class": ``study``, ``pairs``, ``question``, ``estimate``,
        ``ci_low``, ``ci_high``, ``ci_width``, ``p_value``.

    Examples
    --------
    >>> t = KindTest("mirror_joint", ("a", "b", "c", "d"), np.ones(4), np.zeros(12), 0.01, 2.0, 9,
    ...              np.array([0.1, 0.2, 0.3, 0.4]), 0.0, 0.5, 60.0, np.zeros(9))
    >>> published_comparison(t)["ci_width"].round(2).tolist()
    [0.72, 0.5]
    """
    from empathy_explorer.lessons.cohort import PUBLISHED_N, PUBLISHED_P, PUBLISHED_R
    from empathy_explorer.stats import r_confidence_interval

    lo, hi = r_confidence_interval(PUBLISHED_R, PUBLISHED_N)
    return pd.DataFrame(
        [
            {
                "study": "Marci et al. 2007 (real patients)",
                "pairs": PUBLISHED_N,
                "question": "Do dyads with more skin-conductance concordance rate the therapist as more "
                "empathic? (r across dyads)",
                "estimate": PUBLISHED_R,
                "ci_low": lo,
                "ci_high": hi,
                "ci_width": hi - lo,
                "p_value": PUBLISHED_P,
            },
            {
                "study": "This class",
                "pairs": test.n_pairs,
                "question": f"Are real pairs more in sync than pseudo-pairs? ({KIND_LABELS[test.kind]}; "
                "mean peak r, real minus pseudo)",
                "estimate": test.mean_excess,
                "ci_low": test.ci_low,
                "ci_high": test.ci_high,
                "ci_width": test.ci_high - test.ci_low,
                "p_value": test.p_value,
            },
        ]
    )
