"""A ZIP upload: its files read in memory (size limits first), who is who, then one or two files loaded."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from empathy_explorer.errors import InputError, RecordingError
from empathy_explorer.recordings import e4
from empathy_explorer.recordings._columns import _person_of
from empathy_explorer.recordings._common import MAX_FILE_BYTES, _check_size
from empathy_explorer.recordings._pair import _load_pair
from empathy_explorer.sessions.session import Session

#: What opening or reading a damaged, encrypted or unusual ZIP archive can raise.
ZIP_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError,
    ValueError, zlib.error, struct.error, IndexError, KeyError, UnicodeError,
)  # fmt: skip
#: Most files read from one ZIP upload (two E4 sessions of eight files each, with room to spare).
MAX_ZIP_MEMBERS = 40


def open_zip(data: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """A ZIP archive opened in memory and its files: no folders, no macOS ``__MACOSX`` copies, no hidden
    files. Raises one of :data:`ZIP_ERRORS` when it cannot be opened."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = [
        i
        for i in archive.infolist()
        if i.filename
        and not i.is_dir()
        and not i.filename.startswith("__MACOSX")
        and not PurePosixPath(i.filename).name.startswith(".")
    ]
    return archive, infos


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int) -> bytes:
    """One file of the archive, at most ``max_bytes + 1`` bytes (so that a larger one can be refused
    without unpacking all of it). Raises one of :data:`ZIP_ERRORS` when it cannot be read."""
    with archive.open(info) as fh:
        return fh.read(max_bytes + 1)


def _unzip(data: bytes, label: str, *, nested: bool = True) -> list[tuple[str, bytes]]:
    """The files inside a ZIP upload as (path inside the archive, bytes), read in memory with the size
    limit applied to each (no zip bombs). ZIPs inside it (one per person) are opened one level deep and
    their files named ``inner.zip/EDA.csv``."""
    not_usable = (
        "This ZIP archive cannot be opened (damaged, encrypted or an Excel .xlsx workbook saved as .zip). "
        "Upload the CSV file(s) themselves, or a plain ZIP holding the patient's and the clinician's file."
    )
    try:
        archive, infos = open_zip(data)
    except ZIP_ERRORS:
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
            content = read_member(archive, info, MAX_FILE_BYTES)
        except ZIP_ERRORS:
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
    single: Callable[[bytes, str], Session],
) -> Session:  # fmt: skip
    """One two-person file, or one file (or E4 session) per person, from a ZIP upload."""
    files = _unzip(data, label)
    if not files:
        raise RecordingError("The ZIP archive is empty.", source=label)
    owners = _by_owner(files)
    if len(owners) > 2 and e4.is_session([p for p, _ in files]):
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
    ip, ic = _assign((groups[0][0], groups[1][0]), label, patient)
    used_kind = kind
    chosen = []
    for i in (ip, ic):
        path, content, used_kind = _one_member(*groups[i], kind, label, used_kind)
        chosen.append((path, content))
    pn, cn = chosen[0][0], chosen[1][0]
    how = "chosen by you" if patient is not None else "from the names"
    notes = [f"{label}: ZIP archive; patient = {pn!r}, clinician = {cn!r} ({how})."]
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


def _by_owner(files: list[tuple[str, bytes]]) -> dict[str, list[tuple[str, bytes]]]:
    """The files grouped by the name that can say whose they are; one folder at the top is looked into."""
    owners: dict[str, list[tuple[str, bytes]]] = {}
    for path, content in files:
        owners.setdefault(_owner(path), []).append((path, content))
    if len(owners) == 1 and len(files) > 1:  # one folder at the top: look inside it
        top = next(iter(owners))
        owners = {}
        for path, content in files:
            owners.setdefault(_owner(path[len(top) + 1 :]), []).append((path, content))
    return owners


def _one_member(
    owner: str, members: list[tuple[str, bytes]], kind: str | None, label: str, used_kind: str | None
) -> tuple[str, bytes, str | None]:
    """One person's file: their only file, or the wanted signal's file of their E4 session."""
    member_paths = [p for p, _ in members]
    if len(members) == 1:
        path, content = members[0]
        return path, content, used_kind
    if e4.is_session(member_paths):
        want, used_kind = e4.pick_member(member_paths, kind)
        path, content = next(m for m in members if m[0] == want)
        return path, content, used_kind
    raise RecordingError(
        f"{owner!r} holds {len(members)} files that are not an Empatica E4 session; give one file "
        "per person.",
        source=label,
    )
