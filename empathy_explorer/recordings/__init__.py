"""Read a real two-person recording (patient, clinician) into a :class:`~empathy_explorer.sessions.Session`.

:func:`load_recording` is the one entry point (the app's upload button and the API). Everything is read
from bytes in memory: nothing the user uploads is written to disk, and a file larger than
:data:`MAX_FILE_BYTES` (20 MB) is refused before it is parsed.

What it reads (one module per format; each has a ``sniff(text, name) -> (bool, reason)`` and a ``parse``,
and the loader asks each sniffer in turn, see :data:`FORMATS`):

* **a two-person CSV** (:mod:`.generic`): one column per person plus a time column or a sampling rate
  (``fs=``); ``#`` comment lines and ``# key: value`` metadata (the games' round files) are allowed;
* **two one-person files** (given as ``{"patient": a, "clinician": b}``, as a pair, or in one ZIP whose
  file or folder names say who is who): Empatica E4 ``EDA.csv``/``HR.csv``/``IBI.csv`` (:mod:`.e4`),
  whole E4 session ZIPs, Polar ``.hrm`` (:mod:`.polar_hrm`), HRV Logger ``RRIntervals.csv``
  (:mod:`.hrv_logger`), Elite HRV and other one-interval-per-line RR files (:mod:`.rr`), Welltory
  (:mod:`.welltory`), RR with an annotation column (:mod:`.rr_annotated`), Movesense HR/RR
  (:mod:`.movesense`), Polar Sensor Logger / H10 (:mod:`.polar_sensor_logger`), Shimmer GSR CSV
  (:mod:`.shimmer`) and OpenSignals text files from BITalino / biosignalsplux (:mod:`.opensignals`).

Two files are aligned on their clock times when both have one (E4 and Shimmer: UTC; Polar, HRV Logger,
Movesense and OpenSignals: the device's local clock), otherwise both are taken to start together
(reported in ``session.notes``). Beat intervals become an evenly sampled heart rate
(:func:`rr_to_heart_rate`). A file that is not the signal asked for is refused with a message that says
what it is (``This is an E4 skin-temperature file (TEMP.csv, 4 Hz, °C), not skin conductance``), never
analysed as something else. When names do not say who is who, :class:`RecordingError` carries
``choices`` (the app asks the user; the API takes ``patient=``).

Every mistake raises :class:`~empathy_explorer.errors.RecordingError` whose message names the file, the
line and what to do, in words for the app (buttons and file names, no Python); wrong arguments raise
:class:`~empathy_explorer.errors.InputError` or :class:`~empathy_explorer.errors.ParameterError`.

Examples
--------
>>> import numpy as np
>>> t = np.arange(0, 60, 0.25)
>>> rows = "\\n".join(f"{ti:.2f},{5 + np.sin(ti / 5):.4f},{7 + np.cos(ti / 7):.4f}" for ti in t)
>>> s = load_recording(("time,patient,clinician\\n" + rows).encode(), name="demo.csv")
>>> s.fs, s.duration_s, s.kinds, s.simulated
(4.0, 60.0, ('eda',), False)

References
----------
Empatica E4 file layout: the ``info.txt`` of E4 session ZIPs; *wearables* R package, ``read_e4``,
https://search.r-project.org/CRAN/refmans/wearables/html/read_e4.html. Other formats: see each module.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from empathy_explorer import preprocess
from empathy_explorer.errors import EmpathyExplorerError, InputError, RecordingError
from empathy_explorer.recordings import (
    e4,
    generic,
    hrv_logger,
    movesense,
    opensignals,
    polar_hrm,
    polar_sensor_logger,
    rr,
    rr_annotated,
    shimmer,
    welltory,
)
from empathy_explorer.recordings._common import (
    _KIND_NAMES,
    EDA_MAX_US,
    HR_RANGE_BPM,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_FS,
    MAX_GAP_S,
    MAX_SAMPLES,
    MIN_DURATION_S,
    MIN_FS,
    Track,
    _check_kind,
    _check_size,
    _clock_text,
    _decode,
    _finish,
    _label,
    _person_of,
    _read_bytes,
    _Text,
    resample_np,
    rr_to_heart_rate,
)
from empathy_explorer.recordings.e4 import E4File, read_e4
from empathy_explorer.recordings.rr import read_rr
from empathy_explorer.sessions.session import PEOPLE, Session
from empathy_explorer.validation import as_duration_s, as_fs, format_seconds

__all__ = [
    "EDA_MAX_US",
    "FORMATS",
    "HR_RANGE_BPM",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_FS",
    "MAX_GAP_S",
    "MAX_SAMPLES",
    "MIN_DURATION_S",
    "MIN_FS",
    "E4File",
    "load_recording",
    "read_e4",
    "read_rr",
    "rr_to_heart_rate",
    "sniff",
]

#: The one-person formats, asked in this order (the most specific header first); the two-person CSV
#: (:mod:`.generic`) is the fallback for a file given on its own.
FORMATS = (
    opensignals,
    shimmer,
    polar_hrm,
    polar_sensor_logger,
    hrv_logger,
    movesense,
    e4,
    rr_annotated,
    welltory,
    rr,
)


def sniff(text: _Text, label: str) -> tuple[Any, str]:
    """The first format module whose ``sniff`` recognises ``text`` (or ``None``) and its reason.

    Parameters
    ----------
    text : _Text
        The decoded file (from :func:`~empathy_explorer.recordings._common._decode`).
    label : str
        The file name (some formats use it, e.g. E4 ``TEMP.csv``).

    Returns
    -------
    module or None, str
        The format module and why it matched, or ``None`` and the reasons every format declined.

    Examples
    --------
    >>> from empathy_explorer.recordings._common import _decode
    >>> fmt, why = sniff(_decode(b"1600000000.0\\n4.0\\n0.5\\n0.6\\n", "EDA.csv"), "EDA.csv")
    >>> fmt.NAME
    'Empatica E4'
    """
    reasons = []
    for fmt in FORMATS:
        ok, reason = fmt.sniff(text, label)
        if ok:
            return fmt, reason
        reasons.append(f"{fmt.NAME}: {reason}")
    return None, "; ".join(reasons)


def _describe(fmt: Any, text: _Text, label: str) -> str:
    if fmt is e4:
        return e4.WHAT[e4.identify(text, label)]
    return f"a {fmt.NAME} file"


def _single_track(text: _Text, label: str, kind: str | None, max_gap_s: float, person: str) -> Track:
    fmt, _ = sniff(text, label)
    if fmt is None:
        raise RecordingError(
            "This file is not one of the one-person exports read here (Empatica E4, Polar .hrm, Polar "
            "Sensor Logger, HRV Logger, Elite HRV, Welltory, Movesense, Shimmer, OpenSignals, or RR "
            "intervals one per line). A file with a column for each person must be uploaded on its own, "
            "not as one of two files.",
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
    notes = [*notes, *p.notes, *c.notes]
    both = f"{p.label} + {c.label}"
    if p.kind != c.kind:
        raise RecordingError(
            f"The two files hold different signals ({p.label}: {_KIND_NAMES[p.kind]}, {c.label}: "
            f"{_KIND_NAMES[c.kind]}). Give both people's files of the same kind.",
            source=both,
        )
    clocked = p.start_s is not None and c.start_s is not None and p.clock == c.clock
    if clocked:
        start_p, start_c = float(p.start_s or 0.0), float(c.start_s or 0.0)  # both set when clocked
        t0 = min(start_p, start_c)
        sp, sc = start_p - t0, start_c - t0
        later, offset = ("clinician", sc - sp) if sc >= sp else ("patient", sp - sc)
        notes.append(
            f"Aligned on the files' clock times ({p.label}: {_clock_text(p)}, {c.label}: {_clock_text(c)}); "
            f"the {later}'s recording started {offset:.3g} s later, so the session starts there and ends "
            "when the first recording ends."
        )
    else:
        sp = sc = 0.0
        why = "carry no clock time" if p.start_s is None or c.start_s is None else "use different clocks"
        notes.append(
            f"The files {why}, so both are taken to start at the same moment (the first sample or beat of "
            "each file)."
        )
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
    # One rate for both, chosen here and reached with numpy (resample_pair then only aligns): the lower of
    # the two, capped at MAX_FS, unless fs_out says otherwise.
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
                source=both,
            ) from None
        raise
    if p.fs != c.fs:
        notes.append(f"Sampling rates differ ({p.fs:g} and {c.fs:g} Hz); both put on {pair.fs:g} Hz.")
    elif p.fs != target:
        notes.append(f"Both resampled from {p.fs:g} Hz to {target:g} Hz.")
    columns = {(p.kind, "patient"): np.asarray(pair.x), (p.kind, "clinician"): np.asarray(pair.y)}
    ok = np.isfinite(pair.x) & np.isfinite(pair.y)
    if not ok.all():
        idx = np.flatnonzero(ok)
        if idx.size < 2:
            raise RecordingError("The two recordings have no valid samples in common.", source=both)
        columns = {k: v[idx[0] : idx[-1] + 1] for k, v in columns.items()}
        for key, v in columns.items():
            report = preprocess.fill_gaps(v, pair.fs, max_gap_s=max_gap_s)
            if report.long_gaps:
                raise RecordingError(
                    f"The {key[1]}'s recording has a gap of "
                    f"{format_seconds(report.long_gaps[0].duration_s)}; cut the files before or after it.",
                    source=both,
                )
            columns[key] = np.asarray(report.values)
    return _finish(
        columns,
        pair.fs,
        both,
        notes=notes,
        fs_out=None if fs_out is None else pair.fs,
        title=title or both,
        description=f"Recording from {p.label} (patient) and {c.label} (clinician), {p.fmt} format.",
    )


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


_ZIP_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError,
    ValueError, zlib.error, struct.error, IndexError, KeyError, UnicodeError,
)  # fmt: skip
#: Most files read from one ZIP upload (two E4 sessions of eight files each, with room to spare).
MAX_ZIP_MEMBERS = 40


def _unzip(data: bytes, label: str, *, nested: bool = True) -> list[tuple[str, bytes]]:
    """The files inside a ZIP upload as (path inside the archive, bytes), read in memory with the size
    limit applied to each (no zip bombs). ZIPs inside it (one per person) are opened one level deep and
    their files named ``inner.zip/EDA.csv``."""
    not_usable = (
        "This ZIP archive cannot be opened (damaged, encrypted or an Excel .xlsx workbook saved as .zip). "
        "Upload the CSV file(s) themselves, or a plain ZIP holding the patient's and the clinician's file."
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [
            i
            for i in archive.infolist()
            if i.filename
            and not i.is_dir()
            and not i.filename.startswith("__MACOSX")
            and not Path(i.filename).name.startswith(".")
        ]
    except _ZIP_ERRORS:
        raise RecordingError(not_usable, source=label) from None
    names = [i.filename for i in infos]
    if any(n.startswith("xl/") or n == "[Content_Types].xml" for n in names):
        raise RecordingError(
            "This is an Excel .xlsx workbook, not a CSV file. In Excel choose File > Save As > CSV and "
            "upload that file.",
            source=label,
        )
    if len(infos) > MAX_ZIP_MEMBERS:
        raise RecordingError(
            f"The ZIP archive holds {len(infos)} files; it must hold either one CSV with both people or "
            "two files (or two device sessions), one per person, with 'patient' and 'clinician' in their "
            "names.",
            source=label,
        )
    out: list[tuple[str, bytes]] = []
    for info in infos:
        inner = f"{label}/{Path(info.filename).name}"
        _check_size(info.file_size, inner)
        try:
            with archive.open(info) as fh:
                content = fh.read(MAX_FILE_BYTES + 1)
        except _ZIP_ERRORS:
            raise RecordingError(not_usable, source=label) from None
        _check_size(len(content), inner)
        if nested and info.filename.lower().endswith(".zip") and content.startswith(b"PK"):
            out.extend((f"{info.filename}/{n}", b) for n, b in _unzip(content, inner, nested=False))
        else:
            out.append((info.filename, content))
    return out


def _owner(path: str) -> str:
    """The part of a member path that can name its person: the top folder or inner ZIP, else the file."""
    parts = path.split("/")
    return parts[0] if len(parts) > 1 else path


def _stem(name: str) -> str:
    return Path(name).stem if name.lower().endswith((".zip", ".csv", ".txt", ".tsv", ".hrm")) else name


def _assign(names: tuple[str, str], label: str, patient: str | None) -> tuple[int, int]:
    """Indexes (patient, clinician) of two names, from ``patient=`` or from the names' words."""
    if patient is not None:
        hits = [i for i, n in enumerate(names) if patient.strip().lower() in (n.lower(), _stem(n).lower())]
        if len(hits) != 1:
            raise InputError(f"patient={patient!r} names neither {names[0]!r} nor {names[1]!r}.")
        return hits[0], 1 - hits[0]
    people = [_person_of(_stem(n)) for n in names]
    if sorted(p or "" for p in people) == ["clinician", "patient"]:
        i = people.index("patient")
        return i, 1 - i
    raise RecordingError(
        f"Cannot tell whose file is whose in the ZIP archive ({names[0]!r}, {names[1]!r}). Choose which one "
        "is the patient's, or put 'patient' in one name and 'clinician' (or 'therapist', 'doctor') in the "
        "other.",
        source=label,
        hint="load_recording(..., patient=<one of the choices>)",
        choices=names,
    )


def _load_zip(
    data: bytes, label: str, *, kind: str | None, fs_out: float | None, max_gap_s: float, patient: str | None,
    single: Any,
) -> Session:  # fmt: skip
    files = _unzip(data, label)
    paths = [p for p, _ in files]
    if not files:
        raise RecordingError("The ZIP archive is empty.", source=label)
    owners: dict[str, list[tuple[str, bytes]]] = {}
    for path, content in files:
        owners.setdefault(_owner(path), []).append((path, content))
    if len(owners) == 1 and len(files) > 1:  # one folder at the top: look inside it
        top = next(iter(owners))
        owners = {}
        for path, content in files:
            owners.setdefault(_owner(path[len(top) + 1 :]), []).append((path, content))
    if len(owners) > 2 and e4.is_session(paths):
        raise RecordingError(
            "This ZIP is one person's Empatica E4 session (EDA.csv, HR.csv, TEMP.csv ...). Upload both "
            "people's session ZIPs together: choose both files at once, or put them in one ZIP with "
            "'patient' and 'clinician' in their names.",
            source=label,
        )
    if len(owners) == 1:
        (path, content) = files[0]
        return single(content, f"{label}/{Path(path).name}")
    if len(owners) != 2:
        raise RecordingError(
            f"The ZIP archive holds {len(files)} files; it must hold either one CSV with both people or two "
            "files, one per person, with 'patient' and 'clinician' in their names.",
            source=label,
        )
    groups = list(owners.items())
    names = (groups[0][0], groups[1][0])
    ip, ic = _assign(names, label, patient)
    chosen, notes, used_kind = [], [], kind
    for i in (ip, ic):
        owner, members = groups[i]
        member_paths = [p for p, _ in members]
        if len(members) == 1:
            path, content = members[0]
        elif e4.is_session(member_paths):
            want, used_kind = e4.pick_member(member_paths, kind)
            path, content = next(m for m in members if m[0] == want)
        else:
            raise RecordingError(
                f"{owner!r} holds {len(members)} files that are not an Empatica E4 session; give one file "
                "per person.",
                source=label,
            )
        chosen.append((path, content))
    pn, cn = chosen[0][0], chosen[1][0]
    how = "chosen by you" if patient is not None else "from the names"
    notes.append(f"{label}: ZIP archive; patient = {pn!r}, clinician = {cn!r} ({how}).")
    if all(e4.is_session([p for p, _ in groups[i][1]]) for i in (ip, ic)) and kind is None:
        notes.append(
            f"{label}: the E4 sessions also hold heart rate (HR.csv, IBI.csv); skin conductance was used."
        )
    return _load_pair(
        (chosen[0][1], chosen[1][1]),
        (f"{label}/{pn}", f"{label}/{cn}"),
        kind=used_kind,
        fs_out=fs_out,
        max_gap_s=max_gap_s,
        notes=notes,
    )


def _load_single(
    data: bytes,
    label: str,
    *,
    fs: float | None,
    time_column: str | None,
    patient_column: str | None,
    clinician_column: str | None,
    kind: str | None,
    fs_out: float | None,
    max_gap_s: float,
) -> Session:
    text = _decode(data, label)
    fmt, _ = sniff(text, label)
    if fmt is not None and time_column is None and patient_column is None:
        raise RecordingError(
            f"This is {_describe(fmt, text, label)}, which holds one person's signal. Upload both people's "
            "files together: choose both files at once, or put them in one ZIP with 'patient' and "
            "'clinician' in their names.",
            source=label,
            row=1,
            hint="load_recording({'patient': ..., 'clinician': ...})",
        )
    return generic.load(
        text,
        label,
        fs=fs,
        time_column=time_column,
        patient_column=patient_column,
        clinician_column=clinician_column,
        kind=kind,
        fs_out=fs_out,
        max_gap_s=max_gap_s,
    )


def load_recording(
    source: Any,
    *,
    name: str | Sequence[str] | None = None,
    fs: float | None = None,
    time_column: str | None = None,
    patient_column: str | None = None,
    clinician_column: str | None = None,
    kind: str | None = None,
    fs_out: float | None = None,
    max_gap_s: float = MAX_GAP_S,
    patient: str | None = None,
) -> Session:
    """Read a two-person recording (a two-person CSV, or two one-person device files) into a Session.

    See the module documentation for the accepted layouts.

    Parameters
    ----------
    source : path, bytes, file object, or a pair of them
        One CSV with a column per person; two one-person files as ``{"patient": a, "clinician": b}``
        or ``(patient, clinician)`` (Empatica E4 ``EDA.csv``/``HR.csv``, or RR intervals in ms); or a ZIP
        archive holding such a pair (file names saying who is who) or one CSV. A path is a
        ``str``/``Path``; a ``str`` containing a line break is read as the file's text. Each file may be
        at most :data:`MAX_FILE_BYTES` (20 MB); a larger one is refused before it is parsed.
    name : str or pair of str, optional
        File name(s) used in messages and as the session title (default: the path's name, or
        ``"<upload>"`` / ``"patient file"`` and ``"clinician file"``).
    fs : float, optional
        Sampling rate (Hz) of a CSV without a time column. With a time column the rate is read from the
        time stamps; ``fs`` is then the grid rate for irregular stamps.
    time_column, patient_column, clinician_column : str, optional
        Column names (CSV); guessed from the header when left out, and the guess is written to
        ``session.notes``.
    kind : {"eda", "hr"}, optional
        Signal type of the person columns (default: from the header, else ``"eda"``, reported).
    fs_out : float, optional
        Sampling rate (Hz) of the returned session (default: the file's, capped at :data:`MAX_FS`; for a
        pair, the lower of the two).
    max_gap_s : float
        Longest run of missing samples to interpolate, seconds (default 2 s); longer gaps are refused.
    patient : str, optional
        For a ZIP whose two files (or folders, or inner session ZIPs) do not say who is who: the name of
        the patient's one (one of the ``choices`` of the :class:`RecordingError` raised without it).

    Returns
    -------
    Session
        ``simulated=False``, ``ground_truth=None``, signals ``{"eda": ...}`` and/or ``{"hr": ...}`` on one
        time base starting at 0 s, and ``notes`` saying what was guessed, converted, filled or cut.

    Raises
    ------
    RecordingError
        For everything wrong with a file; the message names the file, the line and what to fix.
    InputError, ParameterError
        For wrong arguments (an ``fs`` that is not a positive number, an unknown ``kind``).

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(0, 50, 0.5)
    >>> body = "\\n".join(f"{5 + np.sin(x):.3f};{6 + np.cos(x):.3f}".replace(".", ",") for x in t)
    >>> s = load_recording(("P;C\\n" + body).encode(), name="dyad.csv", fs=2)
    >>> s.duration_s, s.pair("eda")[0][:2].tolist()
    (50.0, [5.0, 5.479])
    >>> any("GUESSED" in n or "guessed" in n for n in s.notes)
    True

    References
    ----------
    Empatica E4 layout: *wearables* R package, ``read_e4`` documentation,
    https://search.r-project.org/CRAN/refmans/wearables/html/read_e4.html.
    """
    kind = _check_kind(kind)
    if fs is not None:
        fs = as_fs(fs)
    if fs_out is not None:
        fs_out = as_fs(fs_out)
        if not MIN_FS <= fs_out <= MAX_FS:
            raise InputError(
                f"fs_out must be between {MIN_FS:g} and {MAX_FS:g} Hz for skin conductance and heart rate; "
                f"got {fs_out:g} Hz."
            )
    max_gap_s = as_duration_s(max_gap_s, "max_gap_s", allow_zero=True, meaning="the longest gap to fill")
    try:
        if isinstance(source, Mapping) or (
            isinstance(source, Sequence) and not isinstance(source, str | bytes | bytearray)
        ):
            if isinstance(source, Mapping):
                missing = [p for p in PEOPLE if p not in source]
                if missing or len(source) != 2:
                    raise InputError(
                        "A pair of files is given as {'patient': ..., 'clinician': ...}; got keys "
                        f"{sorted(map(str, source))}."
                    )
                pair = (source["patient"], source["clinician"])
            else:
                if len(source) != 2:
                    raise InputError(f"Give two files (patient, clinician); got {len(source)}.")
                pair = (source[0], source[1])
            if name is None or isinstance(name, str):
                names = (
                    _label(pair[0], None, "patient file"),
                    _label(pair[1], None, "clinician file"),
                )
                if names[0] == names[1]:
                    names = (f"patient {names[0]}", f"clinician {names[1]}")
            else:
                if len(name) != 2:
                    raise InputError("name must be one name per file: (patient_name, clinician_name).")
                names = (str(name[0]), str(name[1]))
            return _load_pair(pair, names, kind=kind, fs_out=fs_out, max_gap_s=max_gap_s)
        if name is not None and not isinstance(name, str):
            raise InputError("name must be a text for a single file.")
        label = _label(source, name, "<upload>")
        data = _read_bytes(source, label)

        def single(content: bytes, file_label: str) -> Session:
            return _load_single(
                content,
                file_label,
                fs=fs,
                time_column=time_column,
                patient_column=patient_column,
                clinician_column=clinician_column,
                kind=kind,
                fs_out=fs_out,
                max_gap_s=max_gap_s,
            )

        if data.startswith(b"PK\x03\x04"):
            return _load_zip(
                data, label, kind=kind, fs_out=fs_out, max_gap_s=max_gap_s, patient=patient, single=single
            )
        return single(data, label)
    except EmpathyExplorerError:
        raise
    except MemoryError:
        raise RecordingError(
            "The file needs more memory than this app has; cut it into shorter parts."
        ) from None
