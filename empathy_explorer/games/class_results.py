"""What the class analysis returns: one :class:`KindTest` per round kind (real pairs against pseudo-pairs),
the :class:`LedJointComparison` of leader/follower and joint rounds, and the whole :class:`ClassAnalysis`.

Computed by :func:`empathy_explorer.games.pooling.analyse_class`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from empathy_explorer.games.class_files import KIND_LABELS


@dataclass(frozen=True)
class KindTest:
    """Real pairs against pseudo-pairs for one round kind.

    Attributes
    ----------
    kind : str
    pairs : tuple of str
        The pairs in the test (one round each, all of one length).
    real : numpy.ndarray
        The synchrony of each real pair (same order as ``pairs``).
    pseudo : numpy.ndarray
        The synchrony of every pseudo-pair computed (A of pair i with B of pair j ≠ i).
    p_value : float
        One-sided: how often a random re-pairing of the class had a mean synchrony at least as high
        as the real pairs (+1 correction; :func:`~empathy_explorer.synchrony.pseudo_pairs`).
    effect_size : float
        ``(mean real − mean pseudo) / SD(pseudo)``, the effect size of SUSY (Tschacher & Meier 2020).
    n_pairings : int
        Re-pairings of the whole class in the null distribution.
    excess : numpy.ndarray
        Per real pair: its synchrony minus the mean of its own pseudo-pairs (A of the pair with the other
        pairs' B).
    ci_low, ci_high : float
        95% t-interval of the mean excess (approximate: the excesses share pseudo-partners).
    duration_s : float
        Length of the rounds in the test.
    null : numpy.ndarray
        Mean synchrony of each re-pairing of the class.
    pair_values : numpy.ndarray or None
        ``pair_values[i, j]``: synchrony of player A of pair i with player B of pair j (real pairs on the
        diagonal; NaN where not needed).
    """

    kind: str
    pairs: tuple[str, ...]
    real: np.ndarray
    pseudo: np.ndarray
    p_value: float
    effect_size: float
    n_pairings: int
    excess: np.ndarray
    ci_low: float
    ci_high: float
    duration_s: float
    null: np.ndarray
    pair_values: np.ndarray | None = None

    @property
    def n_pairs(self) -> int:
        """Real pairs in the test."""
        return len(self.pairs)

    @property
    def mean_real(self) -> float:
        """Mean synchrony of the real pairs."""
        return float(np.mean(self.real))

    @property
    def mean_pseudo(self) -> float:
        """Mean synchrony of the pseudo-pairs."""
        return float(np.mean(self.pseudo))

    @property
    def mean_excess(self) -> float:
        """Mean excess of the real pairs over their pseudo-pairs."""
        return float(np.mean(self.excess))

    def describe(self) -> str:
        """One plain sentence with the numbers."""
        p = "p < 0.001" if self.p_value < 0.001 else f"p = {self.p_value:.3f}"
        return (
            f"{KIND_LABELS.get(self.kind, self.kind)}: {self.n_pairs} real pairs, mean synchrony "
            f"{self.mean_real:.2f}; {self.pseudo.size} pseudo-pairs, mean {self.mean_pseudo:.2f}; "
            f"difference {self.mean_excess:.2f} (95% CI {self.ci_low:.2f} to {self.ci_high:.2f}), "
            f"effect size {self.effect_size:.1f} SD, {p} ({self.n_pairings:,} re-pairings)."
        )


@dataclass(frozen=True)
class LedJointComparison:
    """Leader/follower rounds against joint rounds, pair by pair (pairs that played both).

    Attributes
    ----------
    pairs : tuple of str
    led, joint : numpy.ndarray
        Per pair: mean synchrony of its leader/follower rounds, and of its joint rounds.
    led_lag_ms, joint_lag_ms : numpy.ndarray
        Per pair: mean absolute median peak lag of those rounds, ms.
    mean_diff : float
        Mean of ``joint − led``.
    ci_low, ci_high : float
        95% t-interval of the mean difference (NaN with fewer than 2 pairs).
    p_value : float
        Two-sided paired t-test of ``joint − led`` = 0 (NaN with fewer than 2 pairs).
    """

    pairs: tuple[str, ...]
    led: np.ndarray
    joint: np.ndarray
    led_lag_ms: np.ndarray
    joint_lag_ms: np.ndarray
    mean_diff: float
    ci_low: float
    ci_high: float
    p_value: float

    @property
    def n_pairs(self) -> int:
        """Pairs that played both kinds of round."""
        return len(self.pairs)


@dataclass(frozen=True)
class ClassAnalysis:
    """Everything the class page shows.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per round: ``pair``, ``kind``, ``round_id``, ``player_a``, ``player_b``, ``duration_s``,
        ``sync_r``, ``lag_ms``, ``leader``, ``share_a_leads``, ``in_test``, ``simulated``, ``note``.
    tests : dict of str to KindTest
        Real vs pseudo-pairs, per round kind with at least
        :data:`~empathy_explorer.games.pooling.MIN_PAIRS` pairs.
    comparison : LedJointComparison or None
        Leader/follower vs joint rounds (None when no pair played both).
    messages : tuple of str
        Plain sentences about what was left out and why.
    simulated : bool
        True when every round is simulated.
    """

    table: pd.DataFrame
    tests: Mapping[str, KindTest]
    comparison: LedJointComparison | None
    messages: tuple[str, ...]
    simulated: bool

    #: Columns of :meth:`export_table` (labels and numbers only: nothing the uploads did not hold).
    EXPORT_COLUMNS = ("pair", "kind", "round_id", "player_a", "player_b", "duration_s", "sync_r", "lag_ms",
                      "leader", "share_a_leads", "in_test", "simulated")  # fmt: skip

    def export_table(self) -> pd.DataFrame:
        """The class table for download: pair/player labels, round kind and id, and the numbers."""
        return self.table.loc[:, list(self.EXPORT_COLUMNS)].copy()
