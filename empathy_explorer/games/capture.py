"""The capture widget of page 08 and the kernel side of a captured round.

:class:`CaptureWidget` (anywidget) shows two parallel tracks with one handle each (mirror game) or two tap
pads (joint tapping). Player A moves with W/S and taps F; player B moves with the arrow keys and taps J; on
a touch screen each player drags their own handle or taps their own half (multi-touch); a mouse drives one
handle. Everything is drawn in the browser; the JavaScript and CSS ship in ``games/static/`` (offline, no
CDN). When a round ends the browser sends one message with each player's **event log** (key changes and
pointer positions, ms from the start) and the taps.

:func:`positions_from_events` rebuilds the 50-Hz positions from an event log by the same rule the browser
draws with (a held key moves the handle at :data:`SPEED` track lengths per second, a pointer puts it where
it is, the track ends stop it), so the samples do not depend on the browser's frame rate.
:func:`round_from_capture` turns the message into a :class:`~empathy_explorer.games.rounds.Round` plus the
messages a student needs (stopped early, tab hidden, key held, player idle).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import traitlets

from empathy_explorer.errors import ParameterError
from empathy_explorer.games.rounds import MIRROR_FS_HZ, MIRROR_KINDS, TAP_FS_HZ, TAP_KINDS, Round, make_round
from empathy_explorer.games.virtual import follow

__all__ = [
    "SPEED",
    "CaptureOutcome",
    "CaptureWidget",
    "positions_from_events",
    "round_from_capture",
]

_STATIC = Path(__file__).with_name("static")
#: Track lengths per second a held key moves a handle (the browser uses the same number).
SPEED = 0.6
#: A round shorter than this (s) is kept but not analysed.
MIN_ANALYSED_S = 15.0
#: Hidden time (ms) or a gap between timer ticks (ms) above which the round is flagged.
HIDDEN_LIMIT_MS = 300.0
GAP_LIMIT_MS = 400.0
#: A key held longer than this (ms) is reported.
HELD_LIMIT_MS = 8000.0


def positions_from_events(
    events: Sequence[Sequence[Any]], duration_s: float, fs_hz: float = MIRROR_FS_HZ, speed: float = SPEED
) -> np.ndarray:
    """Positions (0–1) on a regular grid from a handle's event log (the browser's drawing rule).

    Each event is ``[t_ms, "v", direction]`` (a key change: direction -1, 0 or +1) or
    ``[t_ms, "p", position]`` (a pointer). The handle starts at rest at 0.5; between events it moves at
    ``direction * speed`` track lengths per second and stops at 0 and 1.

    Parameters
    ----------
    events : sequence of [float, str, float]
        The log, times in ms from the round's start (sorted).
    duration_s : float
        Length of the round, s.
    fs_hz : float
        Sampling rate of the result, Hz.
    speed : float
        Track lengths per second of a held key.

    Returns
    -------
    numpy.ndarray
        ``floor(duration_s * fs_hz)`` positions, sample k at ``k / fs_hz`` s.

    Examples
    --------
    >>> positions_from_events([[0, "v", 1], [500, "v", 0]], 1.0, fs_hz=10, speed=0.6).round(2).tolist()
    [0.5, 0.56, 0.62, 0.68, 0.74, 0.8, 0.8, 0.8, 0.8, 0.8]
    """
    n = math.floor(float(duration_s) * fs_hz + 1e-9)
    if n < 1:
        return np.zeros(0)
    ev = [e for e in events if len(e) == 3 and e[1] in ("v", "p")]
    t_ev = np.array([float(e[0]) for e in ev], dtype=float)
    if t_ev.size and (not np.isfinite(t_ev).all() or np.any(np.diff(t_ev) < 0)):
        raise ParameterError("The event log's times must be numbers in increasing order.")
    # State after each event (a loop over events, a few hundred per round; samples are vectorised).
    pos0 = np.empty(t_ev.size + 1)
    vel = np.zeros(t_ev.size + 1)
    starts = np.r_[0.0, t_ev]
    pos, v, last = 0.5, 0.0, 0.0
    pos0[0] = pos
    for i, (te, kind, value) in enumerate(ev):
        pos = min(1.0, max(0.0, pos + v * speed * (float(te) - last) / 1000.0))
        last = float(te)
        if kind == "v":
            v = float(np.clip(value, -1, 1))
        else:
            pos = min(1.0, max(0.0, float(value)))
        pos0[i + 1], vel[i + 1] = pos, v
    t = np.arange(n) * (1000.0 / fs_hz)
    idx = np.searchsorted(t_ev, t, side="right")  # events at or before each sample
    return np.clip(pos0[idx] + vel[idx] * speed * (t - starts[idx]) / 1000.0, 0.0, 1.0)


@dataclass(frozen=True)
class CaptureOutcome:
    """A captured round and what the student must be told about it.

    Attributes
    ----------
    round : Round or None
        The round (None when nothing usable was recorded).
    warnings : list of str
        Problems that make the numbers less trustworthy (tab hidden, key held ...); the round is kept.
    analysable : bool
        False when the round cannot be analysed (too short, nobody moved); it is still kept.
    """

    round: Round | None
    warnings: list[str] = field(default_factory=list)
    analysable: bool = True


def _num(payload: Mapping[str, Any], key: str, default: float = 0.0) -> float:
    try:
        v = float(payload.get(key, default))
    except (TypeError, ValueError):
        return default
    return v if math.isfinite(v) else default


def round_from_capture(
    payload: Mapping[str, Any],
    *,
    pair: str = "P01",
    round_id: str | None = None,
    settings: Mapping[str, Any] | None = None,
    leader: np.ndarray | None = None,
) -> CaptureOutcome:
    """Turn the browser's end-of-round message into a round and the messages to show.

    Parameters
    ----------
    payload : mapping
        The message (``kind``, ``elapsed_ms``, ``planned_ms``, ``events_a``/``events_b`` or
        ``taps_a``/``taps_b``, ``hidden_ms``, ``max_gap_ms``, ``held_ms``, ``stopped_early``).
    pair, round_id : str
        Labels of the round.
    settings : mapping, optional
        The round's settings (virtual partner delay/gain/alpha, metronome).
    leader : numpy.ndarray, optional
        The computer's path of a ``mirror_solo_follow`` round (50 Hz).

    Returns
    -------
    CaptureOutcome

    Examples
    --------
    >>> out = round_from_capture({"kind": "mirror_joint", "elapsed_ms": 5000, "planned_ms": 30000,
    ...                           "stopped_early": True, "events_a": [[0, "v", 1]], "events_b": []})
    >>> out.analysable, out.warnings[0][:28]
    (False, 'The round was stopped after ')
    """
    kind = payload.get("kind")
    if kind not in MIRROR_KINDS + TAP_KINDS:
        raise ParameterError(f"Unknown round kind {kind!r}.")
    settings = dict(settings or {})
    elapsed_s = max(0.0, _num(payload, "elapsed_ms")) / 1000.0
    planned_s = max(0.0, _num(payload, "planned_ms")) / 1000.0
    warnings = _timing_warnings(payload, elapsed_s, planned_s)
    analysable = elapsed_s >= MIN_ANALYSED_S
    common: dict[str, Any] = {"pair": pair, "round_id": round_id, "settings": settings}
    if kind in ("mirror_solo_follow", "mirror_solo_lead", "tap_solo"):
        common["label_b"] = "computer"
    if elapsed_s * MIRROR_FS_HZ < 2:
        return CaptureOutcome(None, warnings, False)
    if kind in MIRROR_KINDS:
        a, b = _mirror_positions(payload, kind, elapsed_s, settings, leader)
        return CaptureOutcome(make_round(kind, a, b, MIRROR_FS_HZ, **common), warnings, analysable)
    from empathy_explorer.games.rounds import round_from_taps

    taps_a = np.asarray(payload.get("taps_a") or [], dtype=float) / 1000.0
    taps_b = np.asarray(payload.get("taps_b") or [], dtype=float) / 1000.0
    rnd = round_from_taps(kind, taps_a, taps_b, elapsed_s, fs_hz=TAP_FS_HZ, **common)
    return CaptureOutcome(rnd, warnings, analysable)


def _timing_warnings(payload: Mapping[str, Any], elapsed_s: float, planned_s: float) -> list[str]:
    """What makes the round's numbers less trustworthy: stopped early, too short, tab hidden, key held."""
    warnings: list[str] = []
    if payload.get("stopped_early") or elapsed_s + 0.05 < planned_s:
        warnings.append(
            f"The round was stopped after {elapsed_s:.0f} s of {planned_s:.0f} s. It is kept below; "
            "its numbers rest on less data."
        )
    if elapsed_s < MIN_ANALYSED_S:
        warnings.append(
            f"{elapsed_s:.0f} s is too short to analyse (at least {MIN_ANALYSED_S:.0f} s are needed). "
            "Press Start round and play the whole round."
        )
    hidden = _num(payload, "hidden_ms")
    gap = _num(payload, "max_gap_ms")
    if hidden > HIDDEN_LIMIT_MS or gap > GAP_LIMIT_MS:
        warnings.append(
            f"The page was in the background or its timers stalled during the round (hidden "
            f"{hidden / 1000:.1f} s, longest pause {gap / 1000:.1f} s): browsers slow pages that are not in "
            "front, so timing may be off. Keep this tab in front and play the round again."
        )
    held = payload.get("held_ms") or {}
    for who in ("a", "b"):
        h = _num(held, who) if isinstance(held, Mapping) else 0.0
        if h > HELD_LIMIT_MS:
            warnings.append(
                f"Player {who.upper()} held a key down for {h / 1000:.0f} s at a stretch, so the handle "
                "sat at the end of the track. Move up and down instead of holding one key."
            )
    return warnings


def _mirror_positions(
    payload: Mapping[str, Any],
    kind: str,
    elapsed_s: float,
    settings: Mapping[str, Any],
    leader: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Both players' positions at :data:`MIRROR_FS_HZ`: from their key events, or the computer's path."""
    ev_a = list(payload.get("events_a") or [])
    ev_b = list(payload.get("events_b") or [])
    speed = _num(payload, "speed", SPEED) or SPEED
    a = positions_from_events(ev_a, elapsed_s, MIRROR_FS_HZ, speed)
    if kind == "mirror_solo_lead":
        b = follow(a, MIRROR_FS_HZ, delay_ms=settings.get("delay_ms", 300.0), gain=settings.get("gain", 1.0))
    elif kind == "mirror_solo_follow":
        if leader is None:
            raise ParameterError("A mirror_solo_follow round needs the computer's path (leader).")
        b = np.resize(np.asarray(leader, dtype=float), a.size) if a.size else a
    else:
        b = positions_from_events(ev_b, elapsed_s, MIRROR_FS_HZ, speed)
    return a, b


class CaptureWidget(anywidget.AnyWidget):
    """Two tracks (mirror game) or two tap pads (joint tapping), drawn in the browser, offline.

    Set :attr:`mode`, :attr:`kind`, :attr:`duration_s` and the virtual partner's traits from the kernel;
    the Start button, countdown and timer run in the browser. At a round's end the browser sends one
    message; :meth:`on_round` registers the function that receives it (a plain dict, see
    :func:`round_from_capture`).

    Attributes
    ----------
    mode : str
        ``"mirror"`` or ``"tap"``.
    kind : str
        The round kind being played.
    duration_s : float
        Length of a round, s (30–60).
    fs_hz : float
        Sampling rate of :attr:`leader_path`.
    leader_path : list of float
        The computer's path when it leads (``mirror_solo_follow``).
    follower : dict
        ``delay_ms`` and ``gain`` of the computer follower (``mirror_solo_lead``).
    tapper : dict
        ``alpha`` and ``period_ms`` of the virtual tapper (``tap_solo``).
    metronome : dict
        ``period_ms`` (0: none) and ``beats`` (0: the whole round).
    labels : dict
        Shown names of the players (``{"a": "Player A", "b": "Player B"}``).
    message : str
        Text the widget shows in its status line (read by screen readers).
    state : str
        Set by the browser: ``"idle"``, ``"countdown"``, ``"running"``, ``"done"``.
    """

    _esm = (_STATIC / "capture.js").read_text(encoding="utf-8")
    _css = (_STATIC / "capture.css").read_text(encoding="utf-8")
    mode = traitlets.Unicode("mirror").tag(sync=True)
    kind = traitlets.Unicode("mirror_a_leads").tag(sync=True)
    duration_s = traitlets.Float(30.0).tag(sync=True)
    fs_hz = traitlets.Float(MIRROR_FS_HZ).tag(sync=True)
    leader_path = traitlets.List(traitlets.Float()).tag(sync=True)
    follower = traitlets.Dict({"delay_ms": 300.0, "gain": 1.0}).tag(sync=True)
    tapper = traitlets.Dict({"alpha": 0.5, "period_ms": 600.0}).tag(sync=True)
    metronome = traitlets.Dict({"period_ms": 0.0, "beats": 0}).tag(sync=True)
    labels = traitlets.Dict({"a": "Player A", "b": "Player B"}).tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)
    state = traitlets.Unicode("idle").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._handlers: list[Callable[[dict[str, Any]], Any]] = []
        self.on_msg(self._receive)

    def on_round(self, handler: Callable[[dict[str, Any]], Any]) -> None:
        """Call ``handler(payload)`` with each end-of-round message."""
        self._handlers.append(handler)

    def _receive(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ee-round":
            for handler in self._handlers:
                handler(content)
