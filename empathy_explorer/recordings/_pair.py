"""Two one-person files (one per person) into one Session: parse each, align on clock times, resample."""

from __future__ import annotations

import numpy as np
import pandas as pd

from empathy_explorer import preprocess
from empathy_explorer.errors import EmpathyExplorerError, InputError, RecordingError
from empathy_explorer.recordings import e4
from empathy_explorer.recordings._common import (
    _KIND_NAMES,
    MAX_FS,
    Track,
    _clock_text,
    _decode,
    _read_bytes,
    _Text,
    resample_np,
)
from empathy_explorer.recordings._grid import _finish
from empathy_explorer.recordings._sniff import FORMATS, sniff
from empathy_explorer.sessions.session import PEOPLE, Session
from empathy_explorer.validation import format_seconds


def _single_track(text: _Text, label: str, kind: str | None, max_gap_s: float, person: str) -> Track:
    fmt, _ = sniff(text, label)
    if fmt is None:
        names = [f.NAME for f in FORMATS]
        raise RecordingError(
            f"This file is not one of the one-person exports read here ({', '.join(names[:-1])} or "
            f"{names[-1]}). A file with a column for each person must be uploaded on its own, not as one "
            "of two files.",
            source=label,
            row=1,
        )
    try:
        track = fmt.parse(text, label, kind=kind, max_gap_s=max_gap_s, person=person)
    except EmpathyExplorerError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, OverflowError, ZeroDivisionError, StopIteration,
            AttributeError, pd.errors.ParserError, pd.errors.EmptyDataError):  # fmt: skip
        # A damaged or edited file that passed the format's sniff: say what it looked like.
        raise RecordingError(
            f"This looks like a {fmt.NAME} file, but its contents do not follow that format (damaged or "
            "edited?). Export it again from the device's app and upload that file unchanged.",
            source=label,
        ) from None
    if kind is not None and track.kind != kind:
        raise RecordingError(
            f"This {fmt.NAME} file gives {_KIND_NAMES[track.kind]}, not {_KIND_NAMES[kind]}. Choose both "
            "people's files of the same signal.",
            source=label,
        )
    track.notes[:0] = list(text.notes)
    return track


def _coverage(track: Track, lo_s: float, hi_s: float) -> float:
    if track.covered is None:
        return 1.0
    t = np.arange(track.values.size) / track.fs
    inside = (t >= lo_s - 1e-9) & (t <= hi_s + 1e-9)
    return float(track.covered[inside].mean()) if inside.any() else 0.0


def _pair_session(
    p: Track, c: Track, *, fs_out: float | None, max_gap_s: float, notes: list[str], title: str | None = None
) -> Session:
    """The two people's tracks on one time base (clock times when both have one) as a Session."""
    notes = [*notes, *p.notes, *c.notes]
    both = f"{p.label} + {c.label}"
    if p.kind != c.kind:
        raise RecordingError(
            f"The two files hold different signals ({p.label}: {_KIND_NAMES[p.kind]}, {c.label}: "
            f"{_KIND_NAMES[c.kind]}). Give both people's files of the same kind.",
            source=both,
        )
    sp, sc, clocked = _start_offsets(p, c, notes)
    _check_beat_coverage(p, c, sp, sc, notes)
    pair = _on_one_grid(p, c, sp, sc, clocked=clocked, fs_out=fs_out, notes=notes)
    columns = {(p.kind, "patient"): np.asarray(pair.x), (p.kind, "clinician"): np.asarray(pair.y)}
    ok = np.isfinite(pair.x) & np.isfinite(pair.y)
    if not ok.all():
        columns = _common_stretch(columns, ok, pair.fs, max_gap_s, both)
    return _finish(
        columns,
        pair.fs,
        both,
        notes=notes,
        fs_out=None if fs_out is None else pair.fs,
        title=title or both,
        description=f"Recording from {p.label} (patient) and {c.label} (clinician), {p.fmt} format.",
    )


def _start_offsets(p: Track, c: Track, notes: list[str]) -> tuple[float, float, bool]:
    """Each track's start (s) after the earlier one, and whether they were aligned on clock times."""
    clocked = p.start_s is not None and c.start_s is not None and p.clock == c.clock
    if not clocked:
        why = "carry no clock time" if p.start_s is None or c.start_s is None else "use different clocks"
        notes.append(
            f"The files {why}, so both are taken to start at the same moment (the first sample or beat of "
            "each file)."
        )
        return 0.0, 0.0, False
    start_p, start_c = float(p.start_s or 0.0), float(c.start_s or 0.0)  # both set when clocked
    t0 = min(start_p, start_c)
    sp, sc = start_p - t0, start_c - t0
    later, offset = ("clinician", sc - sp) if sc >= sp else ("patient", sp - sc)
    notes.append(
        f"Aligned on the files' clock times ({p.label}: {_clock_text(p)}, {c.label}: {_clock_text(c)}); "
        f"the {later}'s recording started {offset:.3g} s later, so the session starts there and ends "
        "when the first recording ends."
    )
    return sp, sc, True


def _check_beat_coverage(p: Track, c: Track, sp: float, sc: float, notes: list[str]) -> None:
    """Beat-interval tracks (E4 ``IBI.csv``) must have detected beats over most of the shared time."""
    lo, hi = max(sp, sc), min(sp + p.values.size / p.fs, sc + c.values.size / c.fs)
    for track, start, person in ((p, sp, "patient"), (c, sc, "clinician")):
        if track.covered is not None and hi > lo:
            share = _coverage(track, lo - start, hi - start)
            notes.append(
                f"{track.label}: detected beats cover {share:.0%} of the time both people were recorded."
            )
            if share < e4.MIN_IBI_COVERAGE:
                raise RecordingError(
                    f"Only {share:.0%} of the time both people were recorded is covered by beats the "
                    f"{person}'s wristband detected (at least {e4.MIN_IBI_COVERAGE:.0%} is needed); the "
                    "rest would be guessed. Use HR.csv instead of IBI.csv, or a stretch with less movement.",
                    source=track.label,
                )


def _on_one_grid(
    p: Track, c: Track, sp: float, sc: float, *, clocked: bool, fs_out: float | None, notes: list[str]
) -> preprocess.AlignedPair:
    """Both tracks at one rate and aligned: the lower of the two, capped at :data:`MAX_FS`, unless ``fs_out``
    says otherwise (reached with numpy here; ``resample_pair`` then only aligns)."""
    target = fs_out if fs_out is not None else min(p.fs, c.fs, MAX_FS)
    xs = resample_np(p.values, p.fs, target)
    ys = resample_np(c.values, c.fs, target)
    try:
        pair = preprocess.resample_pair(xs, target, ys, target, start_x_s=sp, start_y_s=sc)
    except InputError:
        if clocked:
            raise RecordingError(
                f"The two recordings do not overlap in time: {p.label} runs "
                f"{format_seconds(p.values.size / p.fs)} from {_clock_text(p)}, {c.label} "
                f"{format_seconds(c.values.size / c.fs)} from {_clock_text(c)}. Choose files from the same "
                "session.",
                source=f"{p.label} + {c.label}",
            ) from None
        raise
    if p.fs != c.fs:
        notes.append(f"Sampling rates differ ({p.fs:g} and {c.fs:g} Hz); both put on {pair.fs:g} Hz.")
    elif p.fs != target:
        notes.append(f"Both resampled from {p.fs:g} Hz to {target:g} Hz.")
    return pair


def _common_stretch(
    columns: dict[tuple[str, str], np.ndarray], ok: np.ndarray, fs: float, max_gap_s: float, both: str
) -> dict[tuple[str, str], np.ndarray]:
    """The stretch where both have values, short gaps inside it filled, long ones refused."""
    idx = np.flatnonzero(ok)
    if idx.size < 2:
        raise RecordingError("The two recordings have no valid samples in common.", source=both)
    columns = {k: v[idx[0] : idx[-1] + 1] for k, v in columns.items()}
    for key, v in columns.items():
        report = preprocess.fill_gaps(v, fs, max_gap_s=max_gap_s)
        if report.long_gaps:
            raise RecordingError(
                f"The {key[1]}'s recording has a gap of "
                f"{format_seconds(report.long_gaps[0].duration_s)}; cut the files before or after it.",
                source=both,
            )
        columns[key] = np.asarray(report.values)
    return columns


def _load_pair(
    sources: tuple[object, object],
    names: tuple[str, str],
    *,
    kind: str | None,
    fs_out: float | None,
    max_gap_s: float,
    notes: list[str] | None = None,
) -> Session:
    tracks = []
    for src, label, person in zip(sources, names, PEOPLE, strict=True):
        text = _decode(_read_bytes(src, label), label)
        tracks.append(_single_track(text, label, kind, max_gap_s, person))
    return _pair_session(tracks[0], tracks[1], fs_out=fs_out, max_gap_s=max_gap_s, notes=list(notes or []))
