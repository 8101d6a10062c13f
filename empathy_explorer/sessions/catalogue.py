"""The bundled example sessions: list and load them, and build (or check) ``data/`` byte-for-byte.

Loading: :func:`list_sessions` and :func:`load_session` return the catalogue and a
:class:`~empathy_explorer.sessions.Session`. Building, from the repository root::

    python -m empathy_explorer.sessions build    # (re)write data/
    python -m empathy_explorer.sessions check    # rebuild in a temporary folder and compare bytes

The build writes ``data/sessions/<id>.csv`` (one CSV per session, fixed decimals), ``data/catalogue.json``
and ``data/README.md`` (format, provenance, how to rebuild). Two groups of sessions, all simulated:
**teaching** (hand-designed scenarios at 8 Hz, one after Marci & Orr 2006, and one 50-minute session
used by the app's latency benchmark) and a **cohort** of 20 dyads shaped like Marci et al. (2007)
(concordance vs patient-rated empathy r = 0.47): a latent attunement sets each dyad's true coupling and,
with rating noise, its simulated rating (4 Hz, the Empatica E4's EDA rate; 20 minutes each).

References
----------
Marci, C. D., & Orr, S. P. (2006). The effect of emotional distance on psychophysiologic concordance and
perceived empathy between patient and interviewer. Appl Psychophysiol Biofeedback, 31(2), 115–128.

Marci, C. D., Ham, J., Moran, E., & Orr, S. P. (2007). Physiologic correlates of perceived therapist
empathy and social-emotional process during psychotherapy. J Nerv Ment Dis, 195(2), 103–111.

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

import argparse
import filecmp
import functools
import io
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from empathy_explorer.errors import InputError
from empathy_explorer.sessions._designs import README_TEMPLATE, TEACHING_SCENARIOS
from empathy_explorer.sessions.session import PEOPLE, GroundTruth, Segment, Session

# fmt: off
__all__ = [
    "CATALOGUE_NAME", "COHORT_SIZE", "COLUMNS", "DATA_DIR", "FORMAT_VERSION", "build", "check",
    "cohort_ids", "cohort_sessions", "cohort_specs", "data_dir", "list_sessions", "load_session", "main",
    "session_to_csv", "teaching_specs",
]
# fmt: on

#: The repository's data folder (the package is installed editable from the repository).
DATA_DIR = Path(__file__).resolve().parents[2] / "data"
CATALOGUE_NAME = "catalogue.json"
FORMAT_VERSION = 1
COHORT_SIZE = 20
#: CSV columns with their printf formats (fixed decimals keep rebuilds byte-identical).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("time_s", "%.3f"),
    ("eda_patient", "%.4f"),
    ("eda_clinician", "%.4f"),
    ("hr_patient", "%.2f"),
    ("hr_clinician", "%.2f"),
)
#: Rating noise (SD, points on the illustrative 0–100 scale) around the latent attunement. With 22 points the
#: expected concordance–rating correlation over many simulated cohorts is about 0.5 (40 candidate cohort
#: seeds 2000–2039, Marci-style concordance: median r 0.57, 5–95% 0.23–0.78), i.e. like the published
#: r = 0.47 and as uncertain as a 20-dyad study is.
_RATING_NOISE = 22.0
#: Cohort seed. Chosen among those 40 candidates so that the realised correlation lands near the published
#: one (r ≈ 0.53 with a Marci-style concordance); stated in data/README.md. Any other seed is an equally
#: valid "replication" and a notebook can draw many (empathy_explorer.stats.sample_cohort_r).
_COHORT_SEED = 2018


_ENV = "EMPATHY_EXPLORER_DATA"


def data_dir() -> Path:
    """The folder holding ``catalogue.json`` and ``sessions/``.

    ``$EMPATHY_EXPLORER_DATA`` if set, else the repository's ``data/`` next to the package (the package
    is installed editable from the repository).

    Raises
    ------
    InputError
        If the folder or its catalogue is missing (with how to rebuild it).
    """
    folder = Path(os.environ[_ENV]) if os.environ.get(_ENV) else DATA_DIR
    if not (folder / CATALOGUE_NAME).is_file():
        raise InputError(
            f"The example sessions were not found (no {CATALOGUE_NAME} in {folder}). Run "
            "`python -m empathy_explorer.sessions build` in the repository, or set "
            f"{_ENV} to the folder that holds {CATALOGUE_NAME}."
        )
    return folder


@functools.lru_cache(maxsize=4)
def _catalogue(folder: Path, mtime_ns: int) -> tuple[dict, ...]:
    raw = json.loads((folder / CATALOGUE_NAME).read_text(encoding="utf-8"))
    return tuple(raw["sessions"])


def _entries() -> tuple[dict, ...]:
    folder = data_dir()
    return _catalogue(folder, (folder / CATALOGUE_NAME).stat().st_mtime_ns)


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
    return _load(folder, session_id, (folder / CATALOGUE_NAME).stat().st_mtime_ns)


def cohort_ids() -> tuple[str, ...]:
    """Ids of the simulated 20-dyad cohort (``cohort-01`` … ``cohort-20``), in order.

    Raises
    ------
    InputError
        If the example data hold no cohort (with how to rebuild it).

    Examples
    --------
    >>> cohort_ids()[:2]
    ('cohort-01', 'cohort-02')
    """
    ids = tuple(sorted(str(e["id"]) for e in _entries() if e.get("group") == "cohort"))
    if not ids:
        raise InputError(
            "The simulated cohort (cohort-01 … cohort-20) is missing from the example data; rebuild it with "
            "`python -m empathy_explorer.sessions build`."
        )
    return ids


@functools.lru_cache(maxsize=1)
def _cohort(folder: Path, mtime_ns: int) -> tuple[Session, ...]:
    return tuple(_load(folder, session_id, mtime_ns) for session_id in cohort_ids())


def cohort_sessions() -> tuple[Session, ...]:
    """The simulated cohort's sessions (each with its simulated empathy rating), loaded once and cached.

    Examples
    --------
    >>> sessions = cohort_sessions()
    >>> len(sessions), sessions[0].rating is not None, sessions[0].simulated
    (20, True, True)
    """
    folder = data_dir()
    return _cohort(folder, (folder / CATALOGUE_NAME).stat().st_mtime_ns)


@dataclass(frozen=True)
class SessionSpec:
    """Everything needed to simulate one bundled session (keyword arguments of ``simulate_dyad``)."""

    id: str
    title: str
    description: str
    group: str
    seed: int
    params: dict[str, object] = field(default_factory=dict)
    rating: float | None = None

    def simulate(self) -> Session:
        """Run the simulator for this spec."""
        from empathy_explorer.sessions.simulate import simulate_dyad  # only the build simulates

        return simulate_dyad(
            seed=self.seed,
            id=self.id,
            title=self.title,
            description=self.description,
            rating=self.rating,
            **self.params,  # type: ignore[arg-type]
        )


def _segments(*parts: tuple[float, str]) -> list[tuple[float, float, str]]:
    """[(length_min, tone), ...] -> [(start_s, end_s, tone), ...]."""
    out, start = [], 0.0
    for minutes, tone in parts:
        out.append((start, start + minutes * 60.0, tone))
        start += minutes * 60.0
    return out


def teaching_specs() -> tuple[SessionSpec, ...]:
    """The hand-designed teaching scenarios (simulated): :data:`TEACHING_SCENARIOS` as specs."""
    ten = {"duration_s": 600.0, "fs": 8.0}
    return tuple(
        SessionSpec(id_, title, text, "teaching", seed, {**ten, **params, "segments": _segments(*parts)})
        for seed, id_, title, text, parts, params in TEACHING_SCENARIOS
    )


def cohort_specs() -> tuple[SessionSpec, ...]:
    """20 simulated dyads shaped like Marci et al. (2007): coupling and rating share a latent attunement."""
    rng = np.random.default_rng(_COHORT_SEED)
    specs = []
    for i in range(COHORT_SIZE):
        attunement = float(rng.uniform(0.05, 0.85))
        lag_s = float(np.round(rng.uniform(0.5, 2.5), 1))
        leader = "patient" if rng.random() < 0.7 else "clinician"
        shared = float(np.round(rng.uniform(0.0, 0.2), 2))
        scl = (float(np.round(rng.uniform(3.0, 15.0), 1)), float(np.round(rng.uniform(3.0, 15.0), 1)))
        hr = (float(np.round(rng.uniform(62.0, 88.0))), float(np.round(rng.uniform(60.0, 84.0))))
        extra = "positive" if rng.random() < attunement else "neutral"
        tones = ["positive", "neutral", "conflict", extra]
        order = rng.permutation(4)
        segs = _segments(*[(5.0, tones[j]) for j in order])
        rating = float(
            np.clip(np.round(20.0 + 80.0 * attunement + _RATING_NOISE * rng.standard_normal(), 1), 0, 100)
        )
        coupling = float(np.round(attunement, 3))
        specs.append(
            SessionSpec(
                f"cohort-{i + 1:02d}",
                f"Cohort dyad {i + 1:02d} (simulated)",
                "One of 20 simulated patient–clinician dyads shaped like Marci et al. 2007; the rating is a "
                "simulated patient-rated empathy score (0–100, illustrative scale).",
                "cohort",
                _COHORT_SEED * 100 + i,
                {
                    "duration_s": 1200.0,
                    "fs": 4.0,
                    "coupling": coupling,
                    "lag_s": lag_s,
                    "leader": leader,
                    "shared_driver": shared,
                    "scl_uS": scl,
                    "hr_bpm": hr,
                    "segments": segs,
                },
                rating,
            )
        )
    return tuple(specs)


def session_to_csv(session: Session) -> bytes:
    """The session's signals as CSV bytes in the bundled format (fixed decimals, ``\\n`` line ends)."""
    cols = [session.times_s]
    for kind in ("eda", "hr"):
        x, y = session.pair(kind)
        cols += [x, y]
    buf = io.StringIO()
    np.savetxt(
        buf,
        np.column_stack(cols),
        fmt=[f for _, f in COLUMNS],
        delimiter=",",
        header=",".join(name for name, _ in COLUMNS),
        comments="",
        newline="\n",
    )
    return buf.getvalue().encode("ascii")


def _entry(spec: SessionSpec, session: Session) -> dict[str, object]:
    gt = session.ground_truth
    params = {k: (list(v) if isinstance(v, tuple) else v) for k, v in spec.params.items() if k != "segments"}
    return {
        "id": spec.id,
        "title": spec.title,
        "description": spec.description,
        "group": spec.group,
        "file": f"sessions/{spec.id}.csv",
        "fs": session.fs,
        "duration_s": session.duration_s,
        "n_samples": session.n_samples,
        "columns": [{"name": name, "unit": unit} for name, unit in _column_units()],
        "segments": [seg.to_dict() for seg in session.segments],
        "rating": spec.rating,
        "ground_truth": gt.to_dict() if gt is not None else None,
        "simulated": True,
        "seed": spec.seed,
        "simulator": {"function": "empathy_explorer.sessions.simulate.simulate_dyad", "parameters": params},
    }


def _column_units() -> list[tuple[str, str]]:
    units = {"time": "s", "eda": "µS", "hr": "bpm"}
    return [(name, units[name.split("_")[0]]) for name, _ in COLUMNS]


def _readme(entries: Sequence[dict[str, object]]) -> str:
    rows = "\n".join(
        f"| `{e['id']}` | {e['group']} | {e['title']} | {e['fs']:g} | {float(e['duration_s']) / 60:g} |"  # type: ignore[arg-type]
        for e in entries
    )
    return README_TEMPLATE.format(
        rows=rows, people=" and ".join(PEOPLE), cohort_size=COHORT_SIZE, cohort_seed=_COHORT_SEED
    )


def build(out_dir: str | Path | None = None) -> Path:
    """Simulate every bundled session and write ``catalogue.json``, ``sessions/*.csv`` and ``README.md``.

    Parameters
    ----------
    out_dir
        Target folder (default: the repository's ``data/``). Existing session CSVs not in the catalogue
        are removed so the folder matches the catalogue exactly.

    Returns
    -------
    pathlib.Path
        The folder written.
    """
    out = Path(out_dir) if out_dir is not None else DATA_DIR
    sessions_dir = out / "sessions"
    sessions_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    written = set()
    for spec in (*teaching_specs(), *cohort_specs()):
        session = spec.simulate()
        path = sessions_dir / f"{spec.id}.csv"
        path.write_bytes(session_to_csv(session))
        written.add(path.name)
        entries.append(_entry(spec, session))
    for stale in sessions_dir.glob("*.csv"):
        if stale.name not in written:
            stale.unlink()
    catalogue = {
        "format_version": FORMAT_VERSION,
        "simulated": True,
        "note": "Every session is simulated (empathy_explorer.sessions.simulate); none is a real recording. "
        "Rebuild with: python -m empathy_explorer.sessions build",
        "sessions": entries,
    }
    text = json.dumps(catalogue, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    (out / CATALOGUE_NAME).write_bytes(text.encode("utf-8"))
    (out / "README.md").write_bytes(_readme(entries).encode("utf-8"))
    return out


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def check(data_dir: str | Path | None = None) -> list[str]:
    """Rebuild into a temporary folder and list the files that differ from ``data_dir`` (empty: identical)."""
    target = Path(data_dir) if data_dir is not None else DATA_DIR
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build(tmp)
        expected = _files(fresh)
        present = _files(target) if target.is_dir() else set()
        problems = [f"missing: {name}" for name in sorted(expected - present)]
        problems += [f"not built by the generator: {name}" for name in sorted(present - expected)]
        problems += [
            f"differs: {name}"
            for name in sorted(expected & present)
            if not filecmp.cmp(fresh / name, target / name, shallow=False)
        ]
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``build`` or ``check`` (optionally ``--dir``)."""
    parser = argparse.ArgumentParser(
        prog="python -m empathy_explorer.sessions", description=__doc__.split("\n")[0]
    )
    parser.add_argument("command", choices=["build", "check"])
    parser.add_argument("--dir", default=None, help="data folder (default: the repository's data/)")
    args = parser.parse_args(argv)
    if args.command == "build":
        out = build(args.dir)
        print(f"wrote {out}")
        return 0
    problems = check(args.dir)
    if problems:
        print("data/ does not match a rebuild; run `python -m empathy_explorer.sessions build`:")
        print("\n".join(f"  {p}" for p in problems))
        return 1
    print("data/ matches a fresh rebuild byte for byte")
    return 0
