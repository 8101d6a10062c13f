"""Associative sequence learning: mirror links by Rescorla–Wagner, reversed by counter-mirror training.

An illustrative teaching model, **not fitted to data**, after Heyes & Ray (2000) and Catmur, Walsh & Heyes
(2009). Associative sequence learning (ASL) says that mirror responses are sensory–motor links built by
*correlated* experience of doing an action and seeing it. We let the sight of each of two actions (cues)
predict doing each action (outcomes), with the Rescorla–Wagner rule

    ΔV(cue → action) = α·(λ − ΣV(present cues → action))   for every cue present on the trial,

where λ = 1 if the action is done and 0 if not. A context cue is present on every trial, so the links
track **contingency** (does seeing predict doing better than the context alone?), not mere co-occurrence.

Three teaching points
---------------------
- **Development.** Seeing your own action (a hand: ``self_view = 1``) builds mirror links. A facial
  expression is *perceptually opaque*: you cannot see your own smile (``self_view = 0``). It becomes
  mirrored only if others imitate you (``imitated > 0``), as parents imitate their infants' expressions
  (Catmur, Walsh & Heyes 2009).
- **Counter-mirror training** (doing A while seeing B) reverses the mapping: after enough training, the
  sight of A activates B more than A (Catmur et al. 2007, reviewed in Catmur, Walsh & Heyes 2009).
- **Contingency.** Seeing actions you are not doing (``unpaired_sight``) weakens the links even though the
  number of paired trials is unchanged. Cook, Press, Dickinson & Heyes (2010) showed this contingency
  effect in people and concluded that this learning is "not purely Hebbian"; compare
  :mod:`empathy_explorer.models.hebbian`, where unpaired sights have no effect.

Whether the resulting mirror responses serve action *understanding* is disputed (Hickok 2009).

References
----------
Heyes, C. M., & Ray, E. (2000). What is the significance of imitation in animals? Advances in the Study of
Behavior, 29, 215–245 (where ASL was proposed).

Heyes, C. (2001). Causes and consequences of imitation. Trends in Cognitive Sciences, 5(6), 253–261.

Catmur, C., Walsh, V., & Heyes, C. (2009). Associative sequence learning: the role of experience in the
development of imitation and the mirror system. Phil. Trans. R. Soc. B, 364, 2369–2380.
https://doi.org/10.1098/rstb.2009.0048

Catmur, C., Walsh, V., & Heyes, C. (2007). Sensorimotor learning configures the human mirror system.
Current Biology, 17(17), 1527–1531. https://doi.org/10.1016/j.cub.2007.08.006

Cook, R., Press, C., Dickinson, A., & Heyes, C. (2010). Acquisition of automatic imitation is sensitive to
sensorimotor contingency. Journal of Experimental Psychology: Human Perception and Performance, 36(4),
840–852. https://doi.org/10.1037/a0019256

Cook, R., Bird, G., Catmur, C., Press, C., & Heyes, C. (2014). Mirror neurons: from origin to function.
Behavioral and Brain Sciences, 37(2), 177–192. https://doi.org/10.1017/S0140525X13000903

Rescorla, R. A., & Wagner, A. R. (1972). A theory of Pavlovian conditioning. In A. H. Black &
W. F. Prokasy (Eds.), Classical Conditioning II (pp. 64–99). Appleton-Century-Crofts.

Hickok, G. (2009). Eight problems for the mirror neuron theory of action understanding in monkeys and
humans. Journal of Cognitive Neuroscience, 21(7), 1229–1243. https://doi.org/10.1162/jocn.2009.21189
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from empathy_explorer.errors import ParameterError
from empathy_explorer.validation import (
    ReadOnlyArrays,
    as_choice,
    as_count,
    as_name_pair,
    as_number,
    as_probability,
    as_seed,
)

__all__ = ["AssociativeResult", "associative_sequence_learning"]

_TRAINING = ("none", "mirror", "counter-mirror")


@dataclass(frozen=True, eq=False)
class AssociativeResult(ReadOnlyArrays):
    """Link strengths over trials from :func:`associative_sequence_learning` (simulated).

    Attributes
    ----------
    trials : ndarray of int
        Trial number, 0 (before any experience) to ``n_development + n_training``.
    phase : ndarray of str
        ``"start"``, ``"development"`` or ``"training"`` for each entry of ``trials``.
    link_history : ndarray, shape (n_trials + 1, 2, 2)
        ``link_history[k, i, j]`` is the strength of the link "see action i → do action j" after trial k.
    context_history : ndarray, shape (n_trials + 1, 2)
        Strength of the context → do-action links (what the setting alone predicts).
    mirror_index_history : ndarray
        Mean mirror link (see i → do i) minus mean counter link (see i → do j ≠ i) after each trial:
        > 0 mirror, < 0 counter-mirror, 0 none.
    links_before_training, links_after : ndarray, shape (2, 2)
        Links at the end of development and at the end of training.
    mirror_index_before_training, mirror_index_after : float
        Mirror index at the same two moments.
    labels : tuple of str
        Names of the two actions.
    parameters : Mapping
        The parameter values used.
    """

    trials: np.ndarray
    phase: np.ndarray
    link_history: np.ndarray
    context_history: np.ndarray
    mirror_index_history: np.ndarray
    links_before_training: np.ndarray
    links_after: np.ndarray
    mirror_index_before_training: float
    mirror_index_after: float
    labels: tuple[str, str]
    parameters: Mapping[str, object] = field(default_factory=dict)
    simulated: bool = True

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per trial and link. Columns ``trial``, ``phase``, ``link`` (e.g.
        ``"see smile → do smile"``), ``kind`` (``"mirror"`` or ``"counter-mirror"``), ``strength``,
        ``simulated``."""
        n = self.trials.size
        names, kinds, values = [], [], []
        for i in range(2):
            for j in range(2):
                names.append(f"see {self.labels[i]} → do {self.labels[j]}")
                kinds.append("mirror" if i == j else "counter-mirror")
                values.append(self.link_history[:, i, j])
        return pd.DataFrame(
            {
                "trial": np.tile(self.trials, 4),
                "phase": np.tile(self.phase, 4),
                "link": np.repeat(names, n),
                "kind": np.repeat(kinds, n),
                "strength": np.concatenate(values),
                "simulated": True,
            }
        )


def _mirror_index(links: np.ndarray) -> np.ndarray:
    """Mean diagonal minus mean off-diagonal of (..., 2, 2) link matrices."""
    same = (links[..., 0, 0] + links[..., 1, 1]) / 2
    cross = (links[..., 0, 1] + links[..., 1, 0]) / 2
    return same - cross


@dataclass(frozen=True)
class _Parameters:
    """The checked parameters of :func:`associative_sequence_learning`, in order (its ``parameters``)."""

    self_view: float
    imitated: float
    unpaired_sight: float
    n_development: int
    training: str
    n_training: int
    training_contingency: float
    learning_rate: float
    labels: tuple[str, str]
    seed: int


def _learn(p: _Parameters) -> np.ndarray:
    """Rescorla–Wagner over every trial: the (trials + 1, 3 cues, 2 actions) associative strengths.

    Cues 0 and 1 are the sight of action 0/1, cue 2 the context (always present).
    """
    n_total = p.n_development + p.n_training
    rng = np.random.default_rng(p.seed)
    # Fixed draws per purpose (common random numbers): a slider changes thresholds, not the draws.
    action = rng.integers(0, 2, size=n_total).tolist()
    sight_draw = rng.random(n_total).tolist()
    unpaired_draw = rng.random(n_total).tolist()
    unpaired_action = rng.integers(0, 2, size=n_total).tolist()

    p_dev = 1.0 - (1.0 - p.self_view) * (1.0 - p.imitated)
    alpha = p.learning_rate
    # v[2·cue + action]
    v = [0.0] * 6
    rows = [tuple(v)]

    def update(sight: int | None, done: int | None) -> None:
        """One Rescorla–Wagner step: the context and (if any) one sight are present."""
        for j in (0, 1):
            error = (1.0 if done == j else 0.0) - v[4 + j]
            if sight is None:
                v[4 + j] += alpha * error
            else:
                error -= v[2 * sight + j]
                v[2 * sight + j] += alpha * error
                v[4 + j] += alpha * error

    for k in range(n_total):  # ≤ 2000 scalar trials: a few ms at most, default ≈ 0.3 ms
        a = action[k]
        if k < p.n_development:
            sight = a if sight_draw[k] < p_dev else None
        elif sight_draw[k] < p.training_contingency:
            sight = a if p.training == "mirror" else 1 - a
        else:
            sight = None
        update(sight, a)
        if unpaired_draw[k] < p.unpaired_sight:
            update(unpaired_action[k], None)
        rows.append(tuple(v))
    return np.asarray(rows).reshape(n_total + 1, 3, 2)


def _result(p: _Parameters, history: np.ndarray) -> AssociativeResult:
    """The result of :func:`associative_sequence_learning` from the strengths after each trial."""
    links = history[:, :2, :]
    index = _mirror_index(links)
    phase = np.array(["start"] + ["development"] * p.n_development + ["training"] * p.n_training)
    return AssociativeResult(
        trials=np.arange(p.n_development + p.n_training + 1),
        phase=phase,
        link_history=links,
        context_history=history[:, 2, :],
        mirror_index_history=index,
        links_before_training=links[p.n_development].copy(),
        links_after=links[-1].copy(),
        mirror_index_before_training=float(index[p.n_development]),
        mirror_index_after=float(index[-1]),
        labels=p.labels,
        parameters=MappingProxyType(dataclasses.asdict(p)),
    )


def associative_sequence_learning(
    *,
    self_view: float = 1.0,
    imitated: float = 0.0,
    unpaired_sight: float = 0.0,
    n_development: int = 200,
    training: str = "none",
    n_training: int = 200,
    training_contingency: float = 1.0,
    learning_rate: float = 0.1,
    labels: tuple[str, str] = ("action A", "action B"),
    seed: int = 0,
) -> AssociativeResult:
    """Learn see→do links by Rescorla–Wagner, through development and an optional training phase.

    On every trial the learner does one of two actions (chosen at random). During **development** they see
    the same action with probability ``1 − (1 − self_view)·(1 − imitated)`` (they watch themselves, or
    someone imitates them). During **training** they see the same action (``"mirror"``) or the other one
    (``"counter-mirror"``) with probability ``training_contingency``. On any trial, with probability
    ``unpaired_sight``, they also watch a random action while not moving (a trial with no action).

    Parameters
    ----------
    self_view : float, default 1.0
        P(see own action | do it), 0–1. 1 for a hand action you can watch; 0 for a facial expression,
        which is perceptually opaque (Catmur, Walsh & Heyes 2009). The default is the hand case.
    imitated : float, default 0.0
        P(someone imitates you | you do it), 0–1: how often a partner copies your action back, e.g.
        parents imitating their infant's expressions. Illustrative.
    unpaired_sight : float, default 0.0
        Probability, 0–1, per trial of also seeing an action while not doing anything. Lowers the
        contingency between seeing and doing. Illustrative.
    n_development : int, default 200
        Number of development trials (0–1000). Illustrative.
    training : {"none", "mirror", "counter-mirror"}, default "none"
        Training after development: none, more mirror pairings, or counter-mirror pairings (do A, see B;
        as in Catmur et al. 2007).
    n_training : int, default 200
        Number of training trials (0–1000; ignored when ``training="none"``). Illustrative.
    training_contingency : float, default 1.0
        Probability, 0–1, that a training action is followed by its (mirror or counter-mirror) sight.
    learning_rate : float, default 0.1
        α·β of the Rescorla–Wagner rule, 0–1 (> 0). Illustrative.
    labels : tuple of two str, default ("action A", "action B")
        Names of the two actions for charts, e.g. ("smile", "frown").
    seed : int, default 0
        Random seed for the order of actions and sights. Each probability uses its own fixed random
        draws, so moving one slider does not reshuffle the others.

    Returns
    -------
    AssociativeResult
        ``link_history``, ``mirror_index_history``, links and mirror index before and after training;
        ``.to_frame()`` for charts. Simulated data.

    Raises
    ------
    ParameterError
        For probabilities outside [0, 1], a learning rate of 0 or above 1, no trials at all, an unknown
        training type, or labels that are not two different names.

    Examples
    --------
    >>> from empathy_explorer.models import associative_sequence_learning as asl
    >>> asl(self_view=0.0, imitated=0.0).mirror_index_after  # an opaque action, never imitated
    0.0
    >>> asl(self_view=0.0, imitated=0.8).mirror_index_after > 0.5  # being imitated teaches the mirror
    True
    >>> reversed_ = asl(training="counter-mirror")
    >>> reversed_.mirror_index_before_training > 0 > reversed_.mirror_index_after
    True

    References
    ----------
    Heyes & Ray (2000), Adv Study Behav 29:215–245. Heyes (2001), Trends Cogn Sci 5:253–261.
    Catmur, Walsh & Heyes (2007), Curr Biol 17:1527–1531. Catmur, Walsh & Heyes (2009), Phil Trans R Soc B
    364:2369–2380. Cook et al. (2014), Behav Brain Sci 37:177–192. Rescorla & Wagner (1972).
    """
    training = as_choice(training, "training", _TRAINING, meaning="type of training")
    n_training = as_count(n_training, "n_training", meaning="number of training trials", low=0, high=1000)
    p = _Parameters(
        self_view=as_probability(self_view, "self_view", meaning="P(see own action | do it)"),
        imitated=as_probability(imitated, "imitated", meaning="P(someone imitates you | you act)"),
        unpaired_sight=as_probability(
            unpaired_sight, "unpaired_sight", meaning="P(see an action while still)"
        ),
        n_development=as_count(
            n_development, "n_development", meaning="number of development trials", low=0, high=1000
        ),
        training=training,
        n_training=0 if training == "none" else n_training,
        training_contingency=as_probability(
            training_contingency, "training_contingency", meaning="P(training sight | action)"
        ),
        learning_rate=as_number(
            learning_rate,
            "learning_rate",
            meaning="α·β of the Rescorla–Wagner rule",
            low=0,
            low_inclusive=False,
            high=1,
        ),
        labels=as_name_pair(labels, "labels", example=("smile", "frown")),
        seed=as_seed(seed),
    )
    if p.n_development + p.n_training == 0:
        raise ParameterError(
            "There are no trials to learn from: set n_development or n_training (with a training type) "
            "to at least 1."
        )
    return _result(p, _learn(p))
