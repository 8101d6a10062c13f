"""A class's round files: :class:`ClassRound`, and many uploads (CSV rounds, ZIPs of them) read in memory.

Each file is held to the upload limit before it is parsed; a file that is not a usable round is set aside
with a plain message, and the rest of the class still loads (:func:`read_class_files`). Round files are
written by the game page (format: ``ROUND_FORMAT.md``) and read by :func:`empathy_explorer.games.rounds.
read_round`. Rounds carry pair and player labels only (``P03``, ``A``/``B``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import numpy as np

from empathy_explorer.errors import EmpathyExplorerError, InputError, RecordingError
from empathy_explorer.games.rounds import Round

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
#: Most files read from one upload (a class of 40 pairs with 10 rounds each fits).
MAX_FILES = 500
#: Most bytes read from all files of one upload together (after unzipping).
MAX_TOTAL_BYTES = 100_000_000


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
    def from_round(cls, rnd: Round, source: str = "") -> ClassRound:
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
    a: object,
    b: object,
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


@dataclass
class _Upload:
    """The files collected from one upload so far, and the limits on their number and size."""

    skipped: list[tuple[str, str]]
    max_file_bytes: int
    files: list[tuple[str, bytes]] = field(default_factory=list)
    total: int = 0

    @property
    def full(self) -> bool:
        return len(self.files) >= MAX_FILES

    def skip(self, name: str, reason: str) -> None:
        self.skipped.append((name, reason))

    def skip_rest(self, name: str) -> None:
        self.skip(name, f"more than {MAX_FILES} files in one upload; the rest was not read.")

    def too_big(self, size: int, name: str) -> bool:
        if size > self.max_file_bytes:
            self.skipped.append(
                (name, f"the file is {size / 1e6:.1f} MB; files up to {_limit_mb()} can be read here.")
            )
            return True
        return False


def _expand(files: Iterable[tuple[str, bytes]], skipped: list[tuple[str, str]]) -> list[tuple[str, bytes]]:
    """Every file, with ZIP archives opened in memory; size limits applied before anything is parsed."""
    from empathy_explorer.recordings import MAX_FILE_BYTES

    upload = _Upload(skipped, MAX_FILE_BYTES)
    for name, data in files:
        name = str(name)
        if upload.too_big(len(data), name):
            continue
        if not data.startswith(b"PK\x03\x04"):
            if upload.full:
                upload.skip_rest(name)
                continue
            upload.files.append((name, bytes(data)))
            upload.total += len(data)
            continue
        if not _add_archive(upload, name, data):
            return upload.files
        if upload.full:
            break
    return upload.files


def _add_archive(upload: _Upload, name: str, data: bytes) -> bool:
    """Add a ZIP archive's files (not nested ZIPs); False when the upload's total size limit was reached."""
    from empathy_explorer.recordings._zip import ZIP_ERRORS, open_zip, read_member

    try:
        archive, infos = open_zip(data)
    except ZIP_ERRORS:
        upload.skip(name, "this ZIP archive cannot be opened (damaged or encrypted).")
        return True
    if not infos:
        upload.skip(name, "this ZIP archive holds no files.")
    for info in infos:
        inner = f"{name}/{PurePosixPath(info.filename).name}"
        if upload.full:
            upload.skip_rest(inner)
            break
        if upload.too_big(info.file_size, inner):
            continue
        try:
            content = read_member(archive, info, upload.max_file_bytes)
        except ZIP_ERRORS:
            upload.skip(inner, "this file in the ZIP archive cannot be read (damaged or encrypted).")
            continue
        if upload.too_big(len(content), inner):
            continue
        if content.startswith(b"PK\x03\x04"):
            upload.skip(inner, "a ZIP inside a ZIP is not opened; upload the inner archive itself.")
            continue
        upload.total += len(content)
        if upload.total > MAX_TOTAL_BYTES:
            limit = f"{MAX_TOTAL_BYTES / 1e6:.0f} MB"
            upload.skip(inner, f"the upload holds more than {limit} of rounds; the rest is left out.")
            return False
        upload.files.append((inner, content))
    return True


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
