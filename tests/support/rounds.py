"""Shared helpers of the game tests (``tests/games``, ``tests/lessons/test_mirror_game.py``)."""

from __future__ import annotations

import numpy as np


def key_log(seed: int, dur_ms: float = 30_000) -> list[list]:
    """Random key presses of a mirror-game player: up, down or still for 0.2–0.9 s at a time (like a
    player on a keyboard), as ``[time_ms, "v", direction]`` events."""
    rng = np.random.default_rng(seed)
    t, ev = 0.0, []
    while t < dur_ms:
        ev.append([t, "v", int(rng.choice([-1, 0, 1, 1, -1]))])
        t += rng.uniform(200, 900)
    return ev
