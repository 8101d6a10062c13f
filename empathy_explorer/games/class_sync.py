"""Synchrony of one pooled round: the game page's own numbers for the mirror game, smoothed tap trains
for tapping.

The windowed cross-correlation is the engine's vectorised one (no loop over windows or lags).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from empathy_explorer.errors import EmpathyExplorerError
from empathy_explorer.games.class_files import ClassRound
from empathy_explorer.games.rounds import Round


def _movement_defaults() -> dict[str, float]:
    """The game page's own windowed cross-correlation settings (defaults of ``analyse_movement``)."""
    import inspect

    from empathy_explorer.games.analysis import analyse_movement

    params = inspect.signature(analyse_movement).parameters
    return {k: float(params[k].default) for k in ("window_s", "step_s", "max_lag_s")}


#: Windowed cross-correlation settings per signal (fixed before looking at any class's data): mirror-game
#: velocities exactly as the game page analyses a round (``games.analysis.analyse_movement``: 5-s windows
#: moved 1 s, lags up to ±1.5 s); tap trains in 5-s windows, lags up to ±0.5 s (about one tap interval).
SYNC_SETTINGS: dict[str, dict[str, float]] = {
    "position": _movement_defaults(),
    "taps": {"window_s": 5.0, "step_s": 1.0, "max_lag_s": 0.5},
}
#: Standard deviation of the Gaussian that turns tap onsets into a smooth tap train, seconds.
TAP_SMOOTH_S = 0.05


# --------------------------------------------------------------------------------------------------
# Synchrony of one round
# --------------------------------------------------------------------------------------------------


def sync_signal(values: np.ndarray, fs: float, signal: str) -> np.ndarray:
    """What is correlated: velocity (mirror game, as the game page) or a smooth tap train (tapping).

    Mirror-game positions drift slowly, and slow signals correlate a lot by chance; their velocities
    (:func:`empathy_explorer.games.analysis.velocities`, central differences) carry the moment-to-moment
    following that the game is about (Noy et al. 2011). Tap onsets (0/1 per sample) are convolved with a
    Gaussian of SD :data:`TAP_SMOOTH_S`.

    Examples
    --------
    >>> float(sync_signal(np.arange(10.0), 10.0, "position")[3])
    10.0
    """
    from empathy_explorer.games.analysis import velocities

    v = np.asarray(values, dtype=float)
    if signal == "taps":
        sd = max(1.0, TAP_SMOOTH_S * fs)
        half = math.ceil(4 * sd)
        t = np.arange(-half, half + 1)
        kernel = np.exp(-0.5 * (t / sd) ** 2)
        return np.convolve(v, kernel / kernel.sum(), mode="same")
    return velocities(v, fs)


def _sync_stat(fs: float, signal: str) -> Callable[[np.ndarray, np.ndarray], float]:
    from empathy_explorer.synchrony import windowed_xcorr

    settings = SYNC_SETTINGS["taps" if signal == "taps" else "position"]

    def stat(x: np.ndarray, y: np.ndarray) -> float:
        return windowed_xcorr(x, y, fs, **settings).mean_peak_r

    return stat


def round_sync(r: ClassRound) -> dict[str, float | str]:
    """Synchrony of one round, the game page's numbers: mean peak r, the lag (ms) and who led.

    Mirror rounds: :func:`empathy_explorer.games.analysis.analyse_movement` (windowed lagged
    cross-correlation of the velocities, settings :data:`SYNC_SETTINGS`; the lag of the lag profile's
    peak, positive = B followed A). Tapping rounds: the same cross-correlation of the smoothed tap trains
    (:func:`sync_signal`), lag = median peak lag. The pseudo-pair test uses the same mean peak r.

    Returns
    -------
    dict
        ``sync_r`` (mean peak r; NaN when the round has no number), ``lag_ms``, ``leader`` ("A", "B" or
        "" for nobody), ``share_a_leads`` (share of windows with B behind A), ``note`` (why no number).

    Examples
    --------
    >>> from empathy_explorer.games.virtual import follow, leader_path
    >>> from empathy_explorer.games.class_files import make_round
    >>> a = leader_path(30.0, seed=1)
    >>> out = round_sync(make_round("P01", "mirror_a_leads", a, follow(a, 50.0, delay_ms=300), 50.0))
    >>> round(out["lag_ms"], -1), out["leader"], out["sync_r"] > 0.9
    (300.0, 'A', True)
    """
    from empathy_explorer.synchrony import windowed_xcorr

    if r.signal != "taps":
        from empathy_explorer.games.analysis import analyse_movement

        try:
            s = SYNC_SETTINGS["position"]
            res = analyse_movement(
                _game_round(r),
                n_surrogates=1,
                window_s=s["window_s"],
                step_s=s["step_s"],
                max_lag_s=s["max_lag_s"],
            )
        except EmpathyExplorerError as err:
            return {"sync_r": math.nan, "lag_ms": math.nan, "leader": "", "share_a_leads": math.nan,
                    "note": str(err)}  # fmt: skip
        return {
            "sync_r": res.mean_peak_r,
            "lag_ms": res.lag_ms,
            "leader": res.leader,
            "share_a_leads": res.xcorr.share_x_leads,
            "note": "" if math.isfinite(res.mean_peak_r) else "no window with a positive correlation.",
        }
    x = sync_signal(r.a, r.fs_hz, r.signal)
    y = sync_signal(r.b, r.fs_hz, r.signal)
    try:
        xc = windowed_xcorr(x, y, r.fs_hz, **SYNC_SETTINGS["taps"])
    except EmpathyExplorerError as err:
        return {"sync_r": math.nan, "lag_ms": math.nan, "leader": "", "share_a_leads": math.nan,
                "note": _no_number_reason(r, err)}  # fmt: skip
    lag = 1000.0 * xc.median_peak_lag_s
    return {
        "sync_r": xc.mean_peak_r,
        "lag_ms": lag,
        "leader": "" if not math.isfinite(lag) or abs(lag) <= 20 else ("A" if lag > 0 else "B"),
        "share_a_leads": xc.share_x_leads,
        "note": "" if math.isfinite(xc.mean_peak_r) else "no window with a positive correlation.",
    }


def _game_round(r: ClassRound) -> Round:
    from empathy_explorer.games import rounds

    return rounds.make_round(r.kind, r.a, r.b, r.fs_hz, pair=r.pair, label_a=r.player_a, label_b=r.player_b,
                             round_id=r.round_id, simulated=r.simulated)  # fmt: skip


def _no_number_reason(r: ClassRound, err: Exception) -> str:
    if np.ptp(r.a) == 0 or np.ptp(r.b) == 0:
        who = "A" if np.ptp(r.a) == 0 else "B"
        return f"Player {who} never tapped or moved in this round, so it has no synchrony number."
    if r.duration_s < SYNC_SETTINGS["taps" if r.signal == "taps" else "position"]["window_s"] + 2:
        return f"The round is only {r.duration_s:.1f} s long, too short for the analysis."
    return f"No synchrony number: {err}"
