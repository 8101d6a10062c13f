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

import functools
from collections.abc import Mapping, Sequence

from empathy_explorer.errors import EmpathyExplorerError, InputError, RecordingError
from empathy_explorer.recordings import generic
from empathy_explorer.recordings._columns import _check_kind
from empathy_explorer.recordings._common import (
    EDA_MAX_US,
    HR_RANGE_BPM,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_FS,
    MAX_GAP_S,
    MAX_SAMPLES,
    MIN_DURATION_S,
    MIN_FS,
    _decode,
    _label,
    _read_bytes,
    rr_to_heart_rate,
)
from empathy_explorer.recordings._pair import _load_pair
from empathy_explorer.recordings._sniff import FORMATS, _describe, sniff
from empathy_explorer.recordings._zip import MAX_ZIP_MEMBERS, _load_zip
from empathy_explorer.recordings.e4 import E4File, read_e4
from empathy_explorer.recordings.rr import read_rr
from empathy_explorer.sessions.session import PEOPLE, Session
from empathy_explorer.validation import as_duration_s, as_fs

__all__ = [
    "EDA_MAX_US",
    "FORMATS",
    "HR_RANGE_BPM",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_FS",
    "MAX_GAP_S",
    "MAX_SAMPLES",
    "MAX_ZIP_MEMBERS",
    "MIN_DURATION_S",
    "MIN_FS",
    "E4File",
    "load_recording",
    "read_e4",
    "read_rr",
    "rr_to_heart_rate",
    "sniff",
]


def _load_single(data: bytes, label: str, options: generic.TableOptions) -> Session:
    text = _decode(data, label)
    fmt, _ = sniff(text, label)
    if fmt is not None and options.time_column is None and options.patient_column is None:
        raise RecordingError(
            f"This is {_describe(fmt, text, label)}, which holds one person's signal. Upload both people's "
            "files together: choose both files at once, or put them in one ZIP with 'patient' and "
            "'clinician' in their names.",
            source=label,
            row=1,
            hint="load_recording({'patient': ..., 'clinician': ...})",
        )
    return generic.load(text, label, options)


def load_recording(
    source: object,
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
    fs = None if fs is None else as_fs(fs)
    fs_out = None if fs_out is None else _check_fs_out(fs_out)
    max_gap_s = as_duration_s(max_gap_s, "max_gap_s", allow_zero=True, meaning="the longest gap to fill")
    try:
        if isinstance(source, Mapping) or (
            isinstance(source, Sequence) and not isinstance(source, str | bytes | bytearray)
        ):
            pair, names = _pair_and_names(source, name)
            return _load_pair(pair, names, kind=kind, fs_out=fs_out, max_gap_s=max_gap_s)
        if name is not None and not isinstance(name, str):
            raise InputError("name must be a text for a single file.")
        label = _label(source, name, "<upload>")
        data = _read_bytes(source, label)

        options = generic.TableOptions(
            fs, time_column, patient_column, clinician_column, kind, fs_out, max_gap_s
        )
        single = functools.partial(_load_single, options=options)
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


def _check_fs_out(fs_out: object) -> float:
    rate = as_fs(fs_out)
    if not MIN_FS <= rate <= MAX_FS:
        raise InputError(
            f"fs_out must be between {MIN_FS:g} and {MAX_FS:g} Hz for skin conductance and heart rate; "
            f"got {rate:g} Hz."
        )
    return rate


def _pair_and_names(
    source: Mapping[str, object] | Sequence[object], name: str | Sequence[str] | None
) -> tuple[tuple[object, object], tuple[str, str]]:
    """The (patient, clinician) sources of a pair argument, and their names for messages."""
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
        names = (_label(pair[0], None, "patient file"), _label(pair[1], None, "clinician file"))
        if names[0] == names[1]:
            names = (f"patient {names[0]}", f"clinician {names[1]}")
        return pair, names
    if len(name) != 2:
        raise InputError("name must be one name per file: (patient_name, clinician_name).")
    return pair, (str(name[0]), str(name[1]))
