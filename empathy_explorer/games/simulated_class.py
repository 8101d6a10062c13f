"""The simulated example class: virtual pairs with known couplings, for the class page before real data."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from empathy_explorer.errors import ParameterError
from empathy_explorer.games.class_files import JOINT_KINDS, LED_KINDS, ClassData, ClassRound, make_round

# --------------------------------------------------------------------------------------------------
# The simulated example class
# --------------------------------------------------------------------------------------------------

#: Pairs of the example class.
EXAMPLE_PAIRS = 12
#: Known couplings of the example class's pairs (0 = the follower ignores the leader, 1 = copies it).
EXAMPLE_COUPLINGS: tuple[float, ...] = (0.35, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.7, 0.75, 0.8, 0.85, 0.9)
#: Kinds each example pair plays.
EXAMPLE_KINDS: tuple[str, ...] = ("mirror_a_leads", "mirror_b_leads", "mirror_joint")
#: Follower delay of the example pairs in leader/follower rounds, ms (one per pair, 200–420 ms).
EXAMPLE_DELAYS_MS: tuple[float, ...] = tuple(200.0 + 20.0 * i for i in range(EXAMPLE_PAIRS))
#: Delay in joint rounds (both follow a shared intention), ms.
EXAMPLE_JOINT_DELAY_MS = 30.0
#: SD of the 1.5–4 Hz corrective wobble added to every simulated player's position.
EXAMPLE_JITTER_SD = 0.01


def _wobble(duration_s: float, fs: float, seed: int) -> np.ndarray:
    from empathy_explorer.games.virtual import leader_path

    w = leader_path(duration_s, fs, seed=seed, band_hz=(1.5, 4.0))
    w = w - w.mean()
    return EXAMPLE_JITTER_SD * w / w.std()


def example_rounds(
    couplings: float | Sequence[float] | None = None,
    *,
    kinds: Sequence[str] = EXAMPLE_KINDS,
    duration_s: float = 60.0,
    seed: int = 0,
) -> list[ClassRound]:
    """The bundled **simulated** example class: 12 pairs of virtual players with known couplings.

    Built deterministically at load (nothing stored) from the game's virtual players
    (:func:`empathy_explorer.games.virtual.leader_path` and :func:`~empathy_explorer.games.virtual.follow`).
    Every player has an own smooth intention (a random path). In a leader/follower round the follower
    moves to ``c · follow(leader, delay) + (1 − c) · own intention``; in a joint round both players move to
    ``c · follow(shared intention, 30 ms) + (1 − c) · own intention``, where ``c`` is the pair's coupling.
    With ``c = 0`` nobody follows anybody: real pairs are exactly as independent as pseudo-pairs. Every
    position gets a small 1.5–4 Hz wobble. This is a teaching model, not a model fitted to players.

    Parameters
    ----------
    couplings : float or sequence of float, optional
        One coupling (0–1) for every pair, or one per pair (default :data:`EXAMPLE_COUPLINGS`).
    kinds : sequence of str
        Round kinds each pair plays (mirror kinds of two players).
    duration_s : float, default 60
        Length of each round, s (50 Hz).
    seed : int, default 0

    Returns
    -------
    list of ClassRound
        ``simulated=True``, pair labels ``P01``…, settings ``{"coupling", "delay_ms"}``.

    Examples
    --------
    >>> rounds = example_rounds(duration_s=30)  # doctest: +SKIP
    >>> len(rounds), all(r.simulated for r in rounds)  # doctest: +SKIP
    (36, True)
    """
    from empathy_explorer.games.virtual import follow, leader_path

    fs = 50.0
    if couplings is None:
        cs = list(EXAMPLE_COUPLINGS)
    elif isinstance(couplings, int | float):
        cs = [float(couplings)] * EXAMPLE_PAIRS
    else:
        cs = [float(c) for c in couplings]
    if not cs or not all(0.0 <= c <= 1.0 for c in cs):
        raise ParameterError("Each coupling must be a number from 0 (no following) to 1 (exact copy).")
    bad = [k for k in kinds if k not in LED_KINDS + JOINT_KINDS]
    if bad:
        raise ParameterError(f"The example class plays mirror rounds of two people only, not {bad}.")
    out: list[ClassRound] = []
    for i, c in enumerate(cs):
        pair = f"P{i + 1:02d}"
        delay = EXAMPLE_DELAYS_MS[i % len(EXAMPLE_DELAYS_MS)]
        for k, kind in enumerate(kinds):
            base = seed * 100_000 + i * 100 + k * 10
            own_a = leader_path(duration_s, fs, seed=base + 1)
            own_b = leader_path(duration_s, fs, seed=base + 2)
            if kind == "mirror_joint":
                intention = leader_path(duration_s, fs, seed=base + 3)
                shared = follow(intention, fs, delay_ms=EXAMPLE_JOINT_DELAY_MS)
                a = c * shared + (1 - c) * own_a
                b = c * shared + (1 - c) * own_b
                settings = {"coupling": c, "delay_ms": EXAMPLE_JOINT_DELAY_MS}
            elif kind == "mirror_a_leads":
                a = own_a
                b = c * follow(own_a, fs, delay_ms=delay) + (1 - c) * own_b
                settings = {"coupling": c, "delay_ms": delay}
            else:
                b = own_b
                a = c * follow(own_b, fs, delay_ms=delay) + (1 - c) * own_a
                settings = {"coupling": c, "delay_ms": delay}
            a = np.clip(a + _wobble(duration_s, fs, base + 4), 0.0, 1.0)
            b = np.clip(b + _wobble(duration_s, fs, base + 5), 0.0, 1.0)
            out.append(
                make_round(
                    pair,
                    kind,
                    a,
                    b,
                    fs,
                    round_id=f"{pair}-{kind}-1",
                    simulated=True,
                    source="simulated example class",
                    settings=settings,
                )
            )
    return out


def example_class(couplings: float | Sequence[float] | None = None, *, seed: int = 0) -> ClassData:
    """:func:`example_rounds` as a :class:`ClassData` with a note that says it is simulated."""
    rounds = example_rounds(couplings, seed=seed)
    what = (
        "no coupling at all (nobody follows anybody)"
        if all(r.settings.get("coupling") == 0 for r in rounds)
        else "known couplings"
    )
    n_pairs = len({r.pair for r in rounds})
    return ClassData(
        rounds=tuple(rounds),
        notes=(f"SIMULATED example class: {n_pairs} pairs of virtual players with {what}.",),
    )
