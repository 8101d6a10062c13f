"""The bundled example sessions: list them and load one as a :class:`~empathy_explorer.sessions.Session`.

All bundled sessions are simulated (see ``data/README.md``); ``python -m empathy_explorer.sessions build``
rebuilds them.

Examples
--------
>>> from empathy_explorer.sessions import list_sessions, load_session
>>> cat = list_sessions()
>>> "warm-rapport" in set(cat["id"])
True
>>> s = load_session("warm-rapport")
>>> s.simulated, s.fs, s.ground_truth.leader
(True, 8.0, 'patient')
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from empathy_explorer.errors import InputError
from empathy_explorer.sessions.session import GroundTruth, Segment, Session

__all__ = ["data_dir", "list_sessions", "load_session"]

_ENV = "EMPATHY_EXPLORER_DATA"
_CATALOGUE = "catalogue.json"


def data_dir() -> Path:
    """The folder holding ``catalogue.json`` and ``sessions/``.

    ``$EMPATHY_EXPLORER_DATA`` if set, else the repository's ``data/`` next to the package (the package
    is installed editable from the repository).

    Raises
    ------
    InputError
        If the folder or its catalogue is missing (with how to rebuild it).
    """
    folder = Path(os.environ[_ENV]) if os.environ.get(_ENV) else Path(__file__).resolve().parents[2] / "data"
    if not (folder / _CATALOGUE).is_file():
        raise InputError(
            f"The example sessions were not found (no {_CATALOGUE} in {folder}). Run "
            "`python -m empathy_explorer.sessions build` in the repository, or set "
            f"{_ENV} to the folder that holds {_CATALOGUE}."
        )
    return folder


@functools.lru_cache(maxsize=4)
def _catalogue(folder: Path, mtime_ns: int) -> tuple[dict, ...]:
    raw = json.loads((folder / _CATALOGUE).read_text(encoding="utf-8"))
    return tuple(raw["sessions"])


def _entries() -> tuple[dict, ...]:
    folder = data_dir()
    return _catalogue(folder, (folder / _CATALOGUE).stat().st_mtime_ns)


def list_sessions() -> pd.DataFrame:
    """The catalogue of bundled sessions, one row per session.

    Returns
    -------
    pandas.DataFrame
        Columns ``id, title, description, group, fs, duration_s, rating, coupling, lag_s, leader,
        shared_driver, tones, simulated`` (``tones``: the segment tones in order, comma-separated).

    Examples
    --------
    >>> list_sessions().query("group == 'cohort'").shape[0]
    20
    """
    rows = []
    for e in _entries():
        gt = e.get("ground_truth") or {}
        rows.append(
            {
                "id": e["id"],
                "title": e["title"],
                "description": e["description"],
                "group": e["group"],
                "fs": float(e["fs"]),
                "duration_s": float(e["duration_s"]),
                "rating": np.nan if e.get("rating") is None else float(e["rating"]),
                "coupling": gt.get("coupling", np.nan),
                "lag_s": gt.get("lag_s", np.nan),
                "leader": gt.get("leader", ""),
                "shared_driver": gt.get("shared_driver", np.nan),
                "tones": ", ".join(seg["tone"] for seg in e.get("segments", [])),
                "simulated": bool(e["simulated"]),
            }
        )
    return pd.DataFrame(rows)


@functools.lru_cache(maxsize=8)
def _load(folder: Path, session_id: str, mtime_ns: int) -> Session:
    entry = next(e for e in _catalogue(folder, mtime_ns) if e["id"] == session_id)
    frame = pd.read_csv(folder / entry["file"], dtype=np.float64)
    signals = {}
    for kind in ("eda", "hr"):
        if f"{kind}_patient" in frame.columns:
            signals[kind] = (frame[f"{kind}_patient"].to_numpy(), frame[f"{kind}_clinician"].to_numpy())
    gt = entry.get("ground_truth")
    return Session(
        id=entry["id"],
        title=entry["title"],
        description=entry["description"],
        fs=float(entry["fs"]),
        signals=signals,
        segments=tuple(Segment(s["start_s"], s["end_s"], s["tone"]) for s in entry.get("segments", [])),
        ground_truth=GroundTruth(**gt) if gt else None,
        rating=entry.get("rating"),
        simulated=bool(entry["simulated"]),
        notes=("Simulated data: a bundled example session, not a recording.",) if entry["simulated"] else (),
    )


def load_session(session_id: str) -> Session:
    """Load one bundled session by its id.

    Parameters
    ----------
    session_id
        An id from :func:`list_sessions` (e.g. ``"warm-rapport"``, ``"cohort-07"``).

    Returns
    -------
    Session
        Signals ``eda`` (µS) and ``hr`` (bpm), segments, ground truth, simulated rating,
        ``simulated=True``. Sessions are cached, and their arrays are read-only, so loading again is cheap.

    Raises
    ------
    InputError
        If the id is unknown (the message lists the valid ids).
    """
    entries = _entries()
    ids = [e["id"] for e in entries]
    if session_id not in ids:
        raise InputError(
            f"There is no example session called {session_id!r}. Choose one of: {', '.join(ids)}."
        )
    folder = data_dir()
    return _load(folder, session_id, (folder / _CATALOGUE).stat().st_mtime_ns)
