"""Pool a class's mirror-game and tapping rounds and test real pairs against pseudo-pairs (issue 16).

A workshop in which pairs play the mirror game (Noy, Dekel & Alon 2011) or tap together produces a data
set of its own: one round file per pair and round kind (format: ``ROUND_FORMAT.md``, written by the game
page). This module turns a heap of such files into the lesson of notebook 06 with the class's own data:

- :func:`read_class_files` -- many uploaded files (CSV rounds, or ZIP archives of them) read in memory,
  nothing written to disk; each file that is not a usable round is set aside with a plain message, and
  the rest of the class still loads.
- :func:`round_sync` -- the synchrony numbers of one round: for the mirror game the game page's own
  (:func:`empathy_explorer.games.analysis.analyse_movement`: mean peak r of the windowed lagged
  cross-correlation of the velocities, Boker et al. 2002, and the lag of the lag profile's peak); for
  tapping the same cross-correlation of smoothed tap trains (this module's choice).
- :func:`analyse_class` -- per round kind, the honest null: **pseudo-pairs** (player A of pair *i* with
  player B of pair *j* ≠ *i*, same kind and length; the engine's :func:`~empathy_explorer.synchrony.
  pseudo_pairs`, as Bernieri et al. 1988). Real-pair against pseudo-pair distribution, the effect size of
  SUSY (Tschacher & Meier 2020), a p-value, the class's confidence interval; and leader/follower rounds
  against joint rounds, pair by pair.
- :func:`projected_ci` / :func:`published_comparison` -- how wide the class's interval is, what more
  pairs would change, next to the 20 dyads of Marci et al. (2007).

Privacy: rounds carry pair and player labels only (``P03``, ``A``/``B``); :meth:`ClassAnalysis.export_table`
holds nothing the uploads did not.

Speed: the windowed cross-correlation is the engine's vectorised one (no loop over windows or lags);
pseudo-pairs compute the statistic once per ordered pair needed (n² for n pairs, a loop over pairs, not
over windows or lags). 20 rounds of 60 s at 50 Hz, read from a ZIP and analysed with all 400 pair
statistics, took 1.2–3.7 s on a shared 2-core machine (the slowest at a load of 17), about 180–215× faster
than the naive per-window, per-lag loop (``benchmarks/class_pooling.py``; target < 10 s).

References
----------
Noy, L., Dekel, E., & Alon, U. (2011). The mirror game as a paradigm for studying the dynamics of two
people improvising motion together. PNAS, 108(52), 20947–20952. https://doi.org/10.1073/pnas.1108155108

Bernieri, F. J., Reznick, J. S., & Rosenthal, R. (1988). Synchrony, pseudosynchrony, and dissynchrony:
measuring the entrainment process in mother-infant interactions. Journal of Personality and Social
Psychology, 54(2), 243–253. https://doi.org/10.1037/0022-3514.54.2.243

Boker, S. M., Xu, M., Rotondo, J. L., & King, K. (2002). Windowed cross-correlation and peak picking for
the analysis of variability in the association between behavioral time series. Psychological Methods,
7(3), 338–355. https://doi.org/10.1037/1082-989X.7.3.338

Tschacher, W., & Meier, D. (2020). Physiological synchrony in psychotherapy sessions. Psychotherapy
Research, 30(5), 558–573. https://doi.org/10.1080/10503307.2019.1612114

Marci, C. D., Ham, J., Moran, E., & Orr, S. P. (2007). Physiologic correlates of perceived therapist
empathy and social-emotional process during psychotherapy. J Nerv Ment Dis, 195(2), 103–111.
https://doi.org/10.1097/01.nmd.0000253731.71025.fc
"""

from __future__ import annotations

import hashlib
import io
import math
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from empathy_explorer.errors import EmpathyExplorerError, InputError, ParameterError, RecordingError

__all__ = [
    "JOINT_KINDS",
    "KIND_LABELS",
    "LED_KINDS",
    "MAX_FILES",
    "MIN_PAIRS",
    "ClassAnalysis",
    "ClassData",
    "ClassRound",
    "KindTest",
    "LedJointComparison",
    "analyse_class",
    "pool_rounds",
    "projected_ci",
    "published_comparison",
    "read_class_files",
    "round_sync",
    "sync_signal",
]

#: Round kinds of ROUND_FORMAT.md, with the words the page shows.
KIND_LABELS: dict[str, str] = {
    "mirror_a_leads": "Mirror game, A leads",
    "mirror_b_leads": "Mirror game, B leads",
    "mirror_joint": "Mirror game, no leader (joint)",
    "mirror_solo_follow": "Mirror game, following the computer",
    "mirror_solo_lead": "Mirror game, the computer follows",
    "tap_metronome": "Tapping with a metronome",
    "tap_mutual": "Tapping together, no metronome",
    "tap_solo": "Tapping with a virtual partner",
}
#: Rounds with a designated leader, compared with :data:`JOINT_KINDS`.
LED_KINDS: tuple[str, ...] = ("mirror_a_leads", "mirror_b_leads")
#: Rounds without a leader.
JOINT_KINDS: tuple[str, ...] = ("mirror_joint",)
#: Fewest pairs for pseudo-pairs (A of one pair with B of another, never with their own partner).
MIN_PAIRS = 3
#: Below this many pairs the pseudo-pair test is somewhat liberal (see ``synchrony.pseudo_pairs``).
FEW_PAIRS = 10
#: Most files read from one upload (a class of 40 pairs with 10 rounds each fits).
MAX_FILES = 500
#: Most bytes read from all files of one upload together (after unzipping).
MAX_TOTAL_BYTES = 100_000_000


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
# Rounds
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ClassRound:
    """One round of one pair, as pooled for the class.

    Attributes
    ----------
    pair : str
        Pair label (e.g. ``"P03"``); never a name.
    kind : str
        Round kind (a key of :data:`KIND_LABELS`).
    round_id : str
        The round's id from its header (unique per round).
    player_a, player_b : str
        Player labels.
    fs_hz : float
        Sampling rate, Hz.
    a, b : numpy.ndarray
        Player A's and player B's signal (positions 0–1, or tap onsets 0/1 per sample).
    signal : str
        ``"position"`` or ``"taps"``.
    simulated : bool
        True for virtual partners and the example class.
    source : str
        The file it came from (for messages).
    settings : dict
        The round's settings (e.g. virtual partner delay).
    digest : str
        SHA-1 of the signals (finds the same round uploaded twice under another name).
    """

    pair: str
    kind: str
    round_id: str
    player_a: str
    player_b: str
    fs_hz: float
    a: np.ndarray
    b: np.ndarray
    signal: str = "position"
    simulated: bool = False
    source: str = ""
    settings: Mapping[str, Any] = field(default_factory=dict)
    digest: str = ""

    @property
    def n_samples(self) -> int:
        """Samples per player."""
        return int(self.a.size)

    @property
    def duration_s(self) -> float:
        """Length of the round, seconds."""
        return self.n_samples / self.fs_hz

    @classmethod
    def from_round(cls, rnd: Any, source: str = "") -> ClassRound:
        """A pooled round from the game's :class:`~empathy_explorer.games.rounds.Round`."""
        a = np.asarray(rnd.player_a, dtype=float)
        b = np.asarray(rnd.player_b, dtype=float)
        a.setflags(write=False)
        b.setflags(write=False)
        return cls(
            pair=rnd.pair,
            kind=rnd.kind,
            round_id=rnd.round_id,
            player_a=rnd.label_a,
            player_b=rnd.label_b,
            fs_hz=float(rnd.fs_hz),
            a=a,
            b=b,
            signal=rnd.signal,
            simulated=bool(rnd.simulated),
            source=source,
            settings=dict(rnd.settings),
            digest=_digest(a, b, float(rnd.fs_hz)),
        )


def _digest(a: np.ndarray, b: np.ndarray, fs: float) -> str:
    h = hashlib.sha1(np.ascontiguousarray(a, dtype=float).tobytes())
    h.update(np.ascontiguousarray(b, dtype=float).tobytes())
    h.update(repr(float(fs)).encode())
    return h.hexdigest()


def make_round(
    pair: str,
    kind: str,
    a: Any,
    b: Any,
    fs_hz: float,
    *,
    round_id: str | None = None,
    player_a: str = "A",
    player_b: str = "B",
    simulated: bool = False,
    source: str = "",
    settings: Mapping[str, Any] | None = None,
) -> ClassRound:
    """A :class:`ClassRound` from two arrays, checked by the game's ``rounds.make_round``.

    Raises
    ------
    ParameterError
        Unknown kind, bad labels, unequal lengths, positions outside 0–1, missing values.

    Examples
    --------
    >>> r = make_round("P01", "mirror_joint", np.linspace(0, 1, 500), np.linspace(0, 1, 500), 50.0)
    >>> r.duration_s, r.round_id
    (10.0, 'P01-mirror_joint')
    """
    from empathy_explorer.games import rounds

    rnd = rounds.make_round(
        kind,
        a,
        b,
        fs_hz,
        pair=pair,
        label_a=player_a,
        label_b=player_b,
        round_id=round_id,
        simulated=simulated,
        settings=settings,
    )
    return ClassRound.from_round(rnd, source)


# --------------------------------------------------------------------------------------------------
# Reading a class's uploads
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassData:
    """The rounds of a class and what was set aside.

    Attributes
    ----------
    rounds : tuple of ClassRound
        Every usable round, each once.
    skipped : tuple of (str, str)
        ``(file, reason)`` for every file or round that was left out.
    notes : tuple of str
        Other plain messages (e.g. several round kinds in one upload).
    """

    rounds: tuple[ClassRound, ...]
    skipped: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def pairs(self) -> list[str]:
        """Pair labels, sorted."""
        return sorted({r.pair for r in self.rounds})

    @property
    def kinds(self) -> list[str]:
        """Round kinds present, in the order of :data:`KIND_LABELS`."""
        present = {r.kind for r in self.rounds}
        return [k for k in KIND_LABELS if k in present]

    @property
    def messages(self) -> list[str]:
        """Every message, set-aside files first, as sentences for the page."""
        return [f"{name}: {reason}" for name, reason in self.skipped] + list(self.notes)


def _limit_mb() -> str:
    from empathy_explorer.recordings import MAX_FILE_BYTES

    return f"{MAX_FILE_BYTES / 1e6:.0f} MB"


_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError,
               ValueError, zlib.error, IndexError, KeyError, UnicodeError)  # fmt: skip


def _expand(files: Iterable[tuple[str, bytes]], skipped: list[tuple[str, str]]) -> list[tuple[str, bytes]]:
    """Every file, with ZIP archives opened in memory; size limits applied before anything is parsed."""
    from empathy_explorer.recordings import MAX_FILE_BYTES

    out: list[tuple[str, bytes]] = []
    total = 0

    def too_big(size: int, name: str) -> bool:
        if size > MAX_FILE_BYTES:
            skipped.append(
                (name, f"the file is {size / 1e6:.1f} MB; files up to {_limit_mb()} can be read here.")
            )
            return True
        return False

    for name, data in files:
        name = str(name)
        if too_big(len(data), name):
            continue
        if not data.startswith(b"PK\x03\x04"):
            if len(out) >= MAX_FILES:
                skipped.append((name, f"more than {MAX_FILES} files in one upload; the rest was not read."))
                continue
            out.append((name, bytes(data)))
            total += len(data)
            continue
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = [
                i
                for i in archive.infolist()
                if not i.is_dir()
                and not i.filename.startswith("__MACOSX")
                and not PurePosixPath(i.filename).name.startswith(".")
            ]
        except _ZIP_ERRORS:
            skipped.append((name, "this ZIP archive cannot be opened (damaged or encrypted)."))
            continue
        if not infos:
            skipped.append((name, "this ZIP archive holds no files."))
        for info in infos:
            inner = f"{name}/{PurePosixPath(info.filename).name}"
            if len(out) >= MAX_FILES:
                skipped.append((inner, f"more than {MAX_FILES} files in one upload; the rest was not read."))
                break
            if too_big(info.file_size, inner):
                continue
            try:
                with archive.open(info) as fh:
                    content = fh.read(MAX_FILE_BYTES + 1)
            except _ZIP_ERRORS:
                skipped.append((inner, "this file in the ZIP archive cannot be read (damaged or encrypted)."))
                continue
            if too_big(len(content), inner):
                continue
            if content.startswith(b"PK\x03\x04"):
                skipped.append((inner, "a ZIP inside a ZIP is not opened; upload the inner archive itself."))
                continue
            total += len(content)
            if total > MAX_TOTAL_BYTES:
                limit = f"{MAX_TOTAL_BYTES / 1e6:.0f} MB"
                text = f"the upload holds more than {limit} of rounds; the rest is left out."
                skipped.append((inner, text))
                return out
            out.append((inner, content))
        if len(out) >= MAX_FILES:
            break
    return out


def pool_rounds(
    rounds: Iterable[ClassRound],
    *,
    skipped: Sequence[tuple[str, str]] = (),
    notes: Sequence[str] = (),
) -> ClassData:
    """Keep each round once: the same round uploaded twice (same signals, or same round id) counts once.

    Parameters
    ----------
    rounds : iterable of ClassRound
    skipped, notes : optional
        Messages collected so far (kept, duplicates added).

    Returns
    -------
    ClassData

    Examples
    --------
    >>> r = make_round("P01", "mirror_joint", np.linspace(0, 1, 100), np.linspace(0, 1, 100) ** 2, 50.0)
    >>> data = pool_rounds([r, r])
    >>> len(data.rounds), data.skipped[0][1][:25]
    (1, 'the same round as P01-mir')
    """
    kept: list[ClassRound] = []
    seen_digest: dict[str, ClassRound] = {}
    seen_id: dict[str, ClassRound] = {}
    out_skipped = list(skipped)
    for r in rounds:
        where = r.source or r.round_id
        if r.digest in seen_digest:
            first = seen_digest[r.digest]
            before = first.source or "uploaded before"
            out_skipped.append((where, f"the same round as {first.round_id} ({before}); counted once."))
            continue
        if r.round_id in seen_id:
            first = seen_id[r.round_id]
            out_skipped.append(
                (
                    where,
                    f"another file ({first.source or 'uploaded before'}) already has round id {r.round_id} "
                    "with different numbers; only the first is used. Check which file is the right one.",
                )
            )
            continue
        seen_digest[r.digest] = r
        seen_id[r.round_id] = r
        kept.append(r)
    out_notes = list(notes)
    kinds = {r.kind for r in kept}
    if len(kinds) > 1:
        out_notes.append(
            f"The rounds are of {len(kinds)} kinds; each kind is compared with pseudo-pairs of the same kind."
        )
    return ClassData(rounds=tuple(kept), skipped=tuple(out_skipped), notes=tuple(out_notes))


def read_class_files(files: Iterable[tuple[str, bytes]] | Mapping[str, bytes]) -> ClassData:
    """Read a class's round files in memory: several CSV files and/or ZIP archives of them.

    Nothing is written to disk. Each file is held to the upload limit of the other uploads
    (``recordings.MAX_FILE_BYTES``, 20 MB) before it is parsed, ZIP members too. A file that is not a
    round, or a round uploaded twice, is set aside with a plain message; everything else still loads.

    Parameters
    ----------
    files : iterable of (name, bytes), or mapping name -> bytes
        The uploaded files.

    Returns
    -------
    ClassData
        ``.rounds`` (each round once), ``.skipped`` (file, reason) and ``.notes``.

    Raises
    ------
    InputError
        Nothing usable at all: no file, or not one round among the files (the message lists why).

    Examples
    --------
    >>> csv = "# empathy-explorer round: 1\\n# kind: mirror_joint\\n# pair: P01\\n# fs_hz: 50\\n"
    >>> rows = "".join(f"{i / 50},{i % 7 / 7},{i % 5 / 5}\\n" for i in range(100))
    >>> csv += "time_s,player_a,player_b\\n" + rows
    >>> data = read_class_files([("p01.csv", csv.encode()), ("notes.txt", b"hello")])
    >>> len(data.rounds), data.skipped[0][0]
    (1, 'notes.txt')
    """
    items = list(files.items()) if isinstance(files, Mapping) else list(files)
    if not items:
        raise InputError("No file was uploaded. Choose the round files (or one ZIP of them) and try again.")
    skipped: list[tuple[str, str]] = []
    rounds: list[ClassRound] = []
    for name, content in _expand(items, skipped):
        try:
            rounds.append(_read_one(name, content))
        except EmpathyExplorerError as err:
            skipped.append((name, str(err)))
    data = pool_rounds(rounds, skipped=skipped)
    if not data.rounds:
        reasons = " ".join(f"{n}: {r}" for n, r in data.skipped[:5])
        raise InputError(f"None of the uploaded files is a round of the mirror game or tapping. {reasons}")
    return data


def _read_one(name: str, content: bytes) -> ClassRound:
    """One round from one file, read by the game page's own reader (ROUND_FORMAT.md)."""
    from empathy_explorer.games import rounds

    try:
        rnd = rounds.read_round(content, name=name)
    except RecordingError as err:
        text = str(err)
        if err.source and text.startswith(err.source):
            text = text[len(err.source) :].lstrip(":, ")  # the file name is shown with the message
        raise InputError(text) from None
    return ClassRound.from_round(rnd, name)


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


def _game_round(r: ClassRound) -> Any:
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


# --------------------------------------------------------------------------------------------------
# The class analysis
# --------------------------------------------------------------------------------------------------


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
        Real vs pseudo-pairs, per round kind with at least :data:`MIN_PAIRS` pairs.
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

    rows = []
    for i, r in enumerate(rounds):  # one vectorised cross-correlation per round
        rows.append({"pair": r.pair, "kind": r.kind, "round_id": r.round_id, "player_a": r.player_a,
                     "player_b": r.player_b, "duration_s": round(r.duration_s, 3), **round_sync(r),
                     "simulated": r.simulated, "source": r.source})  # fmt: skip
        report(i + 1, total)
    table = pd.DataFrame(rows)
    for _, row in table[table["note"] != ""].iterrows():
        messages.append(f"{row['round_id']}: {row['note']}")
    # pairs with a single round
    per_pair = table.groupby("pair")["round_id"].count()
    single = list(per_pair[per_pair == 1].index)
    if single and len(kinds) > 1:
        messages.append(
            f"{_pair_list(single)} only one round: it counts in its kind's pseudo-pair test, but the pair "
            "cannot be compared across round kinds (e.g. leader/follower against joint)."
        )

    by_id = {r.round_id: r for r in rounds}
    usable_ids = set(table.loc[np.isfinite(table["sync_r"]), "round_id"])
    tests: dict[str, KindTest] = {}
    in_test: set[str] = set()
    for k, kind in enumerate(kinds):
        candidates = [by_id[i] for i in table.loc[table["kind"] == kind, "round_id"] if i in usable_ids]
        chosen = _pick_test_rounds(candidates, kind, messages) if candidates else []
        if len(chosen) < MIN_PAIRS:
            messages.append(
                f"Only {len(chosen)} pair(s) have a usable '{KIND_LABELS[kind]}' round of one length: "
                f"pseudo-pairs need at least {MIN_PAIRS} pairs (player A of one pair with player B of "
                "another), so this kind has no test. Their numbers are in the table."
            )
            report(len(rounds) + 100 * (k + 1), total)
            continue

        def step(done: int, n_todo: int, k: int = k) -> None:
            report(len(rounds) + 100 * k + round(100 * done / max(n_todo, 1)), total)

        try:
            tests[kind] = _kind_test(chosen, kind, n_pseudo=n_pseudo, seed=seed, progress=step)
        except (InputError, ParameterError) as err:
            messages.append(f"'{KIND_LABELS[kind]}' has no pseudo-pair test: {err}")
            continue
        in_test.update(r.round_id for r in chosen)
        if len(chosen) < FEW_PAIRS:
            messages.append(
                f"'{KIND_LABELS[kind]}' has only {len(chosen)} pairs: with fewer than {FEW_PAIRS} pairs the "
                "re-pairings overlap, and the test says 'more than chance' a little too often (about 9 % "
                "instead of 5 % with 5 pairs in the engine's own checks). Read a p-value near 0.05 with care."
            )
    table["in_test"] = table["round_id"].isin(in_test)
    report(total, total)
    return ClassAnalysis(
        table=table,
        tests=tests,
        comparison=_comparison(table),
        messages=tuple(dict.fromkeys(messages)),
        simulated=bool(table["simulated"].all()),
    )


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
