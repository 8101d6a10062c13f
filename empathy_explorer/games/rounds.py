"""Round files of the mirror game and of joint tapping: write and read the round CSV (format version 1).

One round = one CSV file, UTF-8: header lines ``# key: value``, then a two-column time table::

    # empathy-explorer round: 1
    # kind: mirror_a_leads
    # pair: P03
    # player_a: A
    # player_b: B
    # round_id: P03-mirror_a_leads-1
    # fs_hz: 50
    # duration_s: 60.0
    # signal: position
    # unit: track
    # simulated: false
    # settings: {"delay_ms": 300, "gain": 1.0}
    time_s,player_a,player_b
    0.000,0.5000,0.5000

- Mirror rounds hold positions on the track (0 = bottom, 1 = top), sampled at ``fs_hz`` (50 Hz as in
  Noy, Dekel & Alon 2011).
- Tapping rounds hold, per 10-ms sample (``fs_hz`` 100), the number of tap onsets of each player (0 or
  1); tap times are recovered as the sample times of the onsets (:meth:`Round.tap_times_s`).
- Rounds carry no names: pair and player labels only (letters, digits, space, ``-`` and ``_``).
- ``settings`` is one line of JSON (virtual partner delay, gain, alpha, metronome period...). Header keys
  this reader does not know are kept in :attr:`Round.extra` and written back unchanged.

:func:`round_to_csv` writes a :class:`Round`, :func:`read_round` reads one back (from bytes, text or a
path) and refuses anything that is not a round file with a :class:`~empathy_explorer.errors.RecordingError`
naming the file, the line and what to do. The class page (:mod:`.pooling`) pools rounds read with it; the
generic CSV reader of :func:`empathy_explorer.recordings.load_recording` skips the ``#`` lines and reads
the table as a two-person recording.

Examples
--------
>>> import numpy as np
>>> t = np.arange(0, 40, 0.02)
>>> rnd = make_round("mirror_joint", 0.5 + 0.3 * np.sin(t), 0.5 + 0.3 * np.sin(t - 0.3), 50, pair="P01")
>>> back = read_round(round_to_csv(rnd))
>>> back.kind, back.fs_hz, back.duration_s, round(float(back.player_b[100]), 4)
('mirror_joint', 50.0, 40.0, 0.7975)

References
----------
Noy, L., Dekel, E., & Alon, U. (2011). The mirror game as a paradigm for studying the dynamics of two people
improvising motion together. PNAS, 108(52), 20947–20952. https://doi.org/10.1073/pnas.1108155108
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from empathy_explorer.errors import ParameterError, RecordingError

__all__ = [
    "FORMAT_VERSION",
    "MIRROR_FS_HZ",
    "MIRROR_KINDS",
    "ROUND_KINDS",
    "TAP_FS_HZ",
    "TAP_KINDS",
    "Round",
    "make_round",
    "read_round",
    "round_filename",
    "round_from_taps",
    "round_to_csv",
]

#: Version written in the first header line (``# empathy-explorer round: 1``).
FORMAT_VERSION = 1
#: Mirror-game round kinds (two people, or one person with a virtual partner as player B).
MIRROR_KINDS: tuple[str, ...] = (
    "mirror_a_leads",
    "mirror_b_leads",
    "mirror_joint",
    "mirror_solo_follow",
    "mirror_solo_lead",
)
#: Joint-tapping round kinds.
TAP_KINDS: tuple[str, ...] = ("tap_metronome", "tap_mutual", "tap_solo")
#: Every round kind.
ROUND_KINDS: tuple[str, ...] = MIRROR_KINDS + TAP_KINDS
#: Sampling rate of mirror rounds (Hz), as Noy et al. (2011).
MIRROR_FS_HZ = 50.0
#: Sampling rate of tapping rounds (Hz): 10-ms resolution of the tap times.
TAP_FS_HZ = 100.0
#: Longest round accepted (s).
MAX_DURATION_S = 600.0
#: Largest round file read (bytes).
MAX_FILE_BYTES = 5_000_000

_MAGIC = "empathy-explorer round"
_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _\-]{0,23}$")
_KNOWN_KEYS = (
    "kind",
    "pair",
    "player_a",
    "player_b",
    "round_id",
    "fs_hz",
    "duration_s",
    "signal",
    "unit",
    "simulated",
    "settings",
)
_COLUMNS = ["time_s", "player_a", "player_b"]


@dataclass(frozen=True)
class Round:
    """One round of the mirror game or of joint tapping (two players' signals on one time base).

    Attributes
    ----------
    kind : str
        One of :data:`ROUND_KINDS`.
    time_s : numpy.ndarray
        Sample times, seconds from 0, step ``1 / fs_hz``.
    player_a, player_b : numpy.ndarray
        Positions on the track (0–1, mirror rounds) or tap onsets per sample (0/1, tapping rounds).
    fs_hz : float
        Sampling rate, Hz.
    pair : str
        Pair label (no names), e.g. ``"P03"``.
    label_a, label_b : str
        Player labels (``"A"``, ``"B"``; ``"computer"`` for a virtual partner).
    round_id : str
        Unique label of the round within a class, e.g. ``"P03-mirror_a_leads-1"``.
    simulated : bool
        True for rounds played by virtual partners only, and for bundled example rounds.
    settings : mapping
        The round's settings (virtual partner delay/gain/alpha, metronome period, ...).
    extra : mapping
        Header keys this version does not know, kept and written back.
    """

    kind: str
    time_s: np.ndarray
    player_a: np.ndarray
    player_b: np.ndarray
    fs_hz: float
    pair: str = "P01"
    label_a: str = "A"
    label_b: str = "B"
    round_id: str = ""
    simulated: bool = False
    settings: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_tapping(self) -> bool:
        """True for tapping rounds (kinds ``tap_*``)."""
        return self.kind in TAP_KINDS

    @property
    def signal(self) -> str:
        """``"taps"`` for tapping rounds, ``"position"`` for mirror rounds."""
        return "taps" if self.is_tapping else "position"

    @property
    def unit(self) -> str:
        """``"count"`` for tapping rounds, ``"track"`` for mirror rounds."""
        return "count" if self.is_tapping else "track"

    @property
    def n_samples(self) -> int:
        """Number of samples."""
        return int(self.time_s.size)

    @property
    def duration_s(self) -> float:
        """Length of the round, seconds (samples / fs)."""
        return self.n_samples / self.fs_hz

    def tap_times_s(self, player: str) -> np.ndarray:
        """Tap times (s) of player ``"a"`` or ``"b"`` in a tapping round (each onset counted once)."""
        if not self.is_tapping:
            raise ParameterError(f"A {self.kind} round holds positions, not taps.")
        col = {"a": self.player_a, "b": self.player_b}.get(str(player).lower())
        if col is None:
            raise ParameterError("player must be 'a' or 'b'.")
        counts = np.round(col).astype(int)
        return np.repeat(self.time_s, np.clip(counts, 0, None))

    def to_frame(self) -> pd.DataFrame:
        """The table of the file: ``time_s``, ``player_a``, ``player_b``."""
        return pd.DataFrame({"time_s": self.time_s, "player_a": self.player_a, "player_b": self.player_b})

    def header(self) -> dict[str, str]:
        """The ``key: value`` pairs of the file's header, in file order (values as written)."""
        head = {
            "kind": self.kind,
            "pair": self.pair,
            "player_a": self.label_a,
            "player_b": self.label_b,
            "round_id": self.round_id,
            "fs_hz": f"{self.fs_hz:g}",
            "duration_s": f"{self.duration_s:.2f}",
            "signal": self.signal,
            "unit": self.unit,
            "simulated": "true" if self.simulated else "false",
            "settings": json.dumps(dict(self.settings), sort_keys=True, separators=(", ", ": ")),
        }
        head.update({k: v for k, v in self.extra.items() if k not in head})
        return head


def _check_label(value: object, what: str) -> str:
    text = str(value).strip()
    if not _LABEL.match(text):
        raise ParameterError(
            f"The {what} label {text[:30]!r} cannot be used: use up to 24 letters, digits, spaces, "
            "'-' or '_' (a label such as P03 or A, never a name)."
        )
    return text


def _check_kind(kind: object) -> str:
    if kind not in ROUND_KINDS:
        raise ParameterError(f"Unknown round kind {kind!r}; use one of: {', '.join(ROUND_KINDS)}.")
    return str(kind)


def _check_settings(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    settings = dict(settings or {})
    try:
        json.dumps(settings, allow_nan=False)
    except (TypeError, ValueError) as err:
        raise ParameterError(f"Round settings must be plain numbers, text or true/false: {err}") from None
    return settings


def make_round(
    kind: str,
    player_a: object,
    player_b: object,
    fs_hz: float,
    *,
    pair: str = "P01",
    label_a: str = "A",
    label_b: str = "B",
    round_id: str | None = None,
    simulated: bool = False,
    settings: Mapping[str, Any] | None = None,
    extra: Mapping[str, str] | None = None,
) -> Round:
    """Build a checked :class:`Round` from the two players' samples.

    Parameters
    ----------
    kind : str
        One of :data:`ROUND_KINDS`.
    player_a, player_b : array_like
        Equal-length samples: positions in 0–1 (mirror rounds) or tap onsets per sample (tapping rounds).
    fs_hz : float
        Sampling rate, Hz.
    pair, label_a, label_b : str
        Labels (no names).
    round_id : str, optional
        Default ``"<pair>-<kind>"``.
    simulated : bool
        True when no person played the round.
    settings : mapping, optional
        JSON-compatible settings of the round.
    extra : mapping, optional
        Further header keys (kept as text).

    Returns
    -------
    Round

    Raises
    ------
    ParameterError
        Unknown kind, bad labels, a sampling rate that is not a positive number, unequal lengths, values
        outside 0–1 (positions) or negative tap counts, or missing values.

    Examples
    --------
    >>> make_round("tap_mutual", [0, 1, 0, 0], [0, 0, 1, 0], 100).tap_times_s("b").tolist()
    [0.02]
    """
    kind = _check_kind(kind)
    if (
        isinstance(fs_hz, bool)
        or not isinstance(fs_hz, int | float)
        or not math.isfinite(fs_hz)
        or fs_hz <= 0
    ):
        raise ParameterError(f"The sampling rate must be a positive number of Hz, not {fs_hz!r}.")
    fs_hz = float(fs_hz)
    try:
        a = np.asarray(player_a, dtype=float).reshape(-1)
        b = np.asarray(player_b, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ParameterError("The players' samples must be numbers.") from None
    if a.size != b.size:
        raise ParameterError(f"Both players need the same number of samples ({a.size} and {b.size}).")
    if a.size < 2:
        raise ParameterError("A round needs at least two samples.")
    if a.size / fs_hz > MAX_DURATION_S:
        raise ParameterError(f"A round lasts at most {MAX_DURATION_S:.0f} s.")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ParameterError("The players' samples must not have missing values.")
    if kind in TAP_KINDS:
        if (a < 0).any() or (b < 0).any() or (a != np.round(a)).any() or (b != np.round(b)).any():
            raise ParameterError("Tapping rounds hold whole tap counts per sample (0, 1, ...).")
    elif (a < 0).any() or (a > 1).any() or (b < 0).any() or (b > 1).any():
        raise ParameterError("Positions on the track lie between 0 (bottom) and 1 (top).")
    pair = _check_label(pair, "pair")
    rid = f"{pair}-{kind}" if round_id is None else _check_label(round_id.replace(".", "_"), "round id")
    return Round(
        kind=kind,
        time_s=np.arange(a.size) / fs_hz,
        player_a=a,
        player_b=b,
        fs_hz=fs_hz,
        pair=pair,
        label_a=_check_label(label_a, "player A"),
        label_b=_check_label(label_b, "player B"),
        round_id=rid,
        simulated=bool(simulated),
        settings=MappingProxyType(_check_settings(settings)),
        extra=MappingProxyType({str(k): str(v) for k, v in (extra or {}).items()}),
    )


def round_from_taps(
    kind: str,
    taps_a_s: object,
    taps_b_s: object,
    duration_s: float,
    *,
    fs_hz: float = TAP_FS_HZ,
    **labels: Any,
) -> Round:
    """A tapping round from the two players' tap times (s): each tap becomes an onset in its 10-ms sample.

    Taps outside ``[0, duration_s)`` are dropped. Other keywords are passed to :func:`make_round`.

    Examples
    --------
    >>> rnd = round_from_taps("tap_mutual", [0.5, 1.004], [0.52], 2.0)
    >>> rnd.tap_times_s("a").tolist(), rnd.tap_times_s("b").tolist()
    ([0.5, 1.0], [0.52])
    """
    if kind not in TAP_KINDS:
        raise ParameterError(f"round_from_taps makes tapping rounds ({', '.join(TAP_KINDS)}), not {kind!r}.")
    n = round(float(duration_s) * float(fs_hz))
    if n < 2:
        raise ParameterError("A tapping round needs a positive duration.")
    cols = []
    for taps in (taps_a_s, taps_b_s):
        t = np.asarray(taps, dtype=float).reshape(-1)
        idx = np.round(t[np.isfinite(t)] * fs_hz).astype(int)
        cols.append(np.bincount(idx[(idx >= 0) & (idx < n)], minlength=n).astype(float))
    return make_round(kind, cols[0], cols[1], fs_hz, **labels)


def round_to_csv(rnd: Round) -> str:
    """The round as the text of its CSV file (header lines, then ``time_s,player_a,player_b``).

    Examples
    --------
    >>> print(round_to_csv(make_round("mirror_joint", [0.5, 0.6], [0.5, 0.5], 50)).splitlines()[0])
    # empathy-explorer round: 1
    """
    lines = [f"# {_MAGIC}: {FORMAT_VERSION}"]
    lines += [f"# {k}: {v}" for k, v in rnd.header().items()]
    value_fmt = "%d" if rnd.is_tapping else "%.4f"
    buf = io.StringIO()
    table = np.column_stack([rnd.time_s, rnd.player_a, rnd.player_b])
    np.savetxt(buf, table, fmt=["%.3f", value_fmt, value_fmt], delimiter=",")
    return "\n".join(lines) + "\n" + ",".join(_COLUMNS) + "\n" + buf.getvalue()


def round_filename(rnd: Round) -> str:
    """File name for the download button, e.g. ``"round-P03-mirror_a_leads-1.csv"``."""
    return f"round-{rnd.round_id.replace(' ', '_')}.csv"


def _text_of(source: object, label: str) -> str:
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source and len(source) < 4096):
        path = Path(source)
        if not path.is_file():
            raise RecordingError("no such file.", source=label)
        if path.stat().st_size > MAX_FILE_BYTES:
            raise RecordingError("the file is too large to be one round (5 MB at most).", source=label)
        data: bytes | str = path.read_bytes()
    elif isinstance(source, bytes | bytearray | str):
        data = source if isinstance(source, str) else bytes(source)
    else:
        raise RecordingError("give the round file's contents (bytes or text) or its path.", source=label)
    if len(data) > MAX_FILE_BYTES:
        raise RecordingError("the file is too large to be one round (5 MB at most).", source=label)
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RecordingError(
                "this is not a round file (not UTF-8 text). Use a file from the game page's "
                "'Download round' button.",
                source=label,
            ) from None
    return data.removeprefix("\ufeff")


def _parse_header(lines: list[str], label: str) -> tuple[dict[str, str], int]:
    head: dict[str, str] = {}
    first = lines[0].strip() if lines else ""
    m = re.match(rf"^#\s*{_MAGIC}:\s*(\S+)\s*$", first)
    if m is None:
        raise RecordingError(
            "this is not a round file of the game page (its first line must be "
            f"'# {_MAGIC}: {FORMAT_VERSION}'). Use a file from the 'Download round' button; "
            "other recordings open in the session explorer.",
            source=label,
            row=1,
        )
    if m.group(1) != str(FORMAT_VERSION):
        raise RecordingError(
            f"round file version {m.group(1)!r}; this app reads version {FORMAT_VERSION}.",
            source=label,
            row=1,
        )
    i = 1
    while i < len(lines) and lines[i].lstrip().startswith("#"):
        body = lines[i].lstrip()[1:].strip()
        if body:
            key, sep, value = body.partition(":")
            if not sep:
                raise RecordingError(
                    f"header line '{lines[i][:40]}' is not a 'key: value' pair.", source=label, row=i + 1
                )
            head[key.strip()] = value.strip()
        i += 1
    return head, i


def read_round(source: object, *, name: str | None = None) -> Round:
    """Read one round file (bytes, text or a path) written by :func:`round_to_csv`.

    Parameters
    ----------
    source : bytes, str or path
        The file's contents, or its path (a ``str`` without a line break is a path).
    name : str, optional
        File name used in messages (default: the path's name or ``"<round>"``).

    Returns
    -------
    Round

    Raises
    ------
    RecordingError
        Not a round file, an unknown version or kind, a missing header key, a table that is not
        ``time_s,player_a,player_b`` with numbers, time stamps off the ``fs_hz`` grid, or values outside
        their range; the message names the file and the line.

    Examples
    --------
    >>> rnd = make_round("tap_metronome", [1, 0, 0], [0, 1, 0], 100, settings={"period_ms": 600})
    >>> read_round(round_to_csv(rnd).encode(), name="r.csv").settings["period_ms"]
    600
    """
    label = name or (Path(source).name if isinstance(source, Path) else "<round>")
    if name is None and isinstance(source, str) and "\n" not in source and len(source) < 4096:
        label = Path(source).name
    text = _text_of(source, label)
    lines = text.splitlines()
    head, first_table = _parse_header(lines, label)
    fs_hz, settings = _checked_header(head, label)
    table = _read_table(lines, first_table, fs_hz, label)
    extra = {k: v for k, v in head.items() if k not in _KNOWN_KEYS}
    try:
        return make_round(
            head["kind"],
            table[:, 1],
            table[:, 2],
            fs_hz,
            pair=head.get("pair", "P01") or "P01",
            label_a=head.get("player_a", "A") or "A",
            label_b=head.get("player_b", "B") or "B",
            round_id=head.get("round_id") or None,
            simulated=head.get("simulated", "false").lower() == "true",
            settings=settings,
            extra=extra,
        )
    except ParameterError as err:
        raise RecordingError(str(err), source=label) from None


def _checked_header(head: dict[str, str], label: str) -> tuple[float, dict[str, Any]]:
    """The round's kind checked, its sampling rate (Hz) and its settings (a JSON object)."""
    missing = [k for k in ("kind", "fs_hz") if k not in head]
    if missing:
        raise RecordingError(f"the header lacks {', '.join(missing)}.", source=label)
    if head["kind"] not in ROUND_KINDS:
        raise RecordingError(
            f"unknown round kind {head['kind']!r} (this app knows {', '.join(ROUND_KINDS)}).", source=label
        )
    try:
        fs_hz = float(head["fs_hz"])
    except ValueError:
        fs_hz = math.nan
    if not (math.isfinite(fs_hz) and fs_hz > 0):
        raise RecordingError(f"fs_hz must be a positive number of Hz, not {head['fs_hz']!r}.", source=label)
    try:
        settings = json.loads(head.get("settings", "{}") or "{}")
    except json.JSONDecodeError:
        raise RecordingError("the settings line is not valid JSON.", source=label) from None
    if not isinstance(settings, dict):
        raise RecordingError("the settings line must be a JSON object {...}.", source=label)
    return fs_hz, settings


def _read_table(lines: list[str], first_table: int, fs_hz: float, label: str) -> np.ndarray:
    """The ``time_s,player_a,player_b`` table: three numbers per line, times on the ``fs_hz`` grid."""
    if first_table >= len(lines) or [c.strip() for c in lines[first_table].split(",")] != _COLUMNS:
        raise RecordingError(
            f"the table must start with the line '{','.join(_COLUMNS)}'.", source=label, row=first_table + 1
        )
    body = "\n".join(lines[first_table + 1 :])
    try:
        table = np.loadtxt(io.StringIO(body), delimiter=",", ndmin=2) if body.strip() else np.empty((0, 3))
    except ValueError as err:
        raise RecordingError(f"the table must hold three numbers per line ({err}).", source=label) from None
    if table.shape[0] < 2 or table.shape[1] != 3:
        raise RecordingError("the table holds fewer than two samples of three numbers.", source=label)
    t = table[:, 0]
    expected = np.arange(t.size) / fs_hz
    bad = np.flatnonzero(np.abs(t - expected) > 0.5 / fs_hz)
    if bad.size:
        raise RecordingError(
            f"time_s {t[bad[0]]:g} is off the {fs_hz:g} Hz grid that starts at 0 s.",
            source=label,
            row=first_table + 2 + int(bad[0]),
        )
    return table
