"""The session object: two people's physiological signals on one time base, with segments and ground truth.

Every example session, simulated dyad and loaded recording is a :class:`Session`. The synchrony
methods, charts and notebooks all read sessions through the same small interface:
``session.pair("eda")`` gives the (patient, clinician) arrays, ``session.fs`` the sampling rate in Hz,
``session.segments`` the parts of the session with their emotional tone, and ``session.ground_truth``
the coupling the simulator put in (``None`` for a real recording).

Simulated sessions have ``simulated=True``; the app labels them as simulated everywhere.

Examples
--------
>>> import numpy as np
>>> from empathy_explorer.sessions.session import Segment, Session
>>> x = np.linspace(5.0, 6.0, 40)
>>> s = Session(id="demo", title="Demo", description="Two lines.", fs=4.0,
...             signals={"eda": (x, x + 1.0)}, segments=(Segment(0.0, 10.0, "neutral"),))
>>> s.duration_s, s.kinds, s.units["eda"]
(10.0, ('eda',), 'µS')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, cast

import numpy as np
import pandas as pd

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.validation import as_choice, as_fs, as_number, as_probability

__all__ = [
    "DEFAULT_UNITS",
    "LEADERS",
    "PEOPLE",
    "TONES",
    "GroundTruth",
    "Segment",
    "Session",
]

#: The two people of a dyad, in the order every ``(x, y)`` pair uses.
PEOPLE: tuple[str, str] = ("patient", "clinician")
#: Emotional tone of a session segment.
TONES: tuple[str, ...] = ("positive", "neutral", "conflict")
#: Who leads a coupled dyad (``"none"``: no true coupling).
LEADERS: tuple[str, ...] = ("patient", "clinician", "none")
#: Units of the signal kinds the package knows; other kinds need an explicit unit.
DEFAULT_UNITS: Mapping[str, str] = MappingProxyType({"eda": "µS", "hr": "bpm"})

Tone = Literal["positive", "neutral", "conflict"]
Leader = Literal["patient", "clinician", "none"]


@dataclass(frozen=True)
class Segment:
    """A part of a session with one emotional tone.

    Parameters
    ----------
    start_s, end_s
        Start and end of the segment in seconds from the start of the session (``end_s > start_s``).
    tone
        ``"positive"``, ``"neutral"`` or ``"conflict"``.
    """

    start_s: float
    end_s: float
    tone: Tone

    def __post_init__(self) -> None:
        start = as_number(self.start_s, "Segment start_s", unit="s", low=0)
        end = as_number(self.end_s, "Segment end_s", unit="s")
        if end <= start:
            raise ParameterError(f"Segment end_s ({end:g} s) must come after start_s ({start:g} s).")
        as_choice(self.tone, "Segment tone", TONES)
        object.__setattr__(self, "start_s", start)
        object.__setattr__(self, "end_s", end)

    @property
    def duration_s(self) -> float:
        """Length of the segment in seconds."""
        return self.end_s - self.start_s

    def to_dict(self) -> dict[str, object]:
        """Plain dict (for JSON), in field order."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class GroundTruth:
    """What the simulator put into a session: the answer a synchrony method should recover.

    Parameters
    ----------
    coupling
        Probability (0–1) that the follower responds to each of the leader's skin-conductance events
        (true, directed coupling). 0 means no coupling.
    lag_s
        Delay in seconds between the leader's event and the follower's response (>= 0).
    leader
        ``"patient"``, ``"clinician"`` or ``"none"`` (no coupling).
    shared_driver
        Probability (0–1) that each person responds to each common outside event (both hear the same
        alarm, the same bad news): synchrony without coupling. 0 means no shared driver.
    """

    coupling: float
    lag_s: float
    leader: Leader
    shared_driver: float

    def __post_init__(self) -> None:
        coupling = as_probability(self.coupling, "GroundTruth coupling")
        shared = as_probability(self.shared_driver, "GroundTruth shared_driver")
        lag = as_number(self.lag_s, "GroundTruth lag_s", unit="s", low=0)
        as_choice(self.leader, "GroundTruth leader", LEADERS)
        if coupling > 0 and self.leader == "none":
            raise ParameterError("GroundTruth with coupling > 0 needs a leader ('patient' or 'clinician').")
        object.__setattr__(self, "coupling", coupling)
        object.__setattr__(self, "shared_driver", shared)
        object.__setattr__(self, "lag_s", lag)

    def to_dict(self) -> dict[str, object]:
        """Plain dict (for JSON), in field order."""
        return dataclasses.asdict(self)


def _as_signal(values: object, label: str) -> np.ndarray:
    try:
        arr = np.array(values, dtype=float)  # a private copy the caller cannot change
    except (TypeError, ValueError):
        raise InputError(f"{label} must be a sequence of numbers.") from None
    if arr.ndim != 1:
        raise InputError(f"{label} must be one-dimensional; got shape {arr.shape}.")
    if arr.size < 2:
        raise InputError(f"{label} needs at least 2 samples; got {arr.size}.")
    bad = ~np.isfinite(arr)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{label} has {int(bad.sum())} missing or infinite value(s) (first at sample {first}); "
            "fill or cut the gap before building a session."
        )
    arr.setflags(write=False)
    return arr


def _checked_signals(given: object) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], int]:
    """``{kind: (patient, clinician)}`` as read-only copies on one time base, and its number of samples."""
    if not isinstance(given, Mapping) or len(given) == 0:
        raise InputError("A session needs at least one signal kind, e.g. {'eda': (patient, clinician)}.")
    signals: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    n_ref: int | None = None
    for kind, pair in given.items():
        if not isinstance(kind, str) or not kind:
            raise InputError(f"Signal kinds are names like 'eda' or 'hr'; got {kind!r}.")
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise InputError(f"signals[{kind!r}] must be a pair (patient, clinician) of arrays.")
        x = _as_signal(pair[0], f"The patient's {kind} signal")
        y = _as_signal(pair[1], f"The clinician's {kind} signal")
        if x.size != y.size:
            raise InputError(
                f"The patient's and clinician's {kind} signals must have the same length; "
                f"got {x.size} and {y.size} samples."
            )
        if n_ref is None:
            n_ref = x.size
        elif x.size != n_ref:
            raise InputError(
                f"All signals of a session share one time base; {kind} has {x.size} samples, "
                f"the others {n_ref}."
            )
        signals[kind] = (x, y)
    return signals, cast(int, n_ref)


def _checked_units(given: object, signals: Mapping[str, object]) -> dict[str, str]:
    """The unit of every signal kind, in the order of ``signals`` (known kinds default)."""
    units = dict(given) if isinstance(given, Mapping) else None
    if units is None:
        raise InputError("units must be a mapping {kind: unit}.")
    for kind in signals:
        if kind not in units:
            if kind not in DEFAULT_UNITS:
                raise InputError(f"Signal kind {kind!r} needs a unit in units={{'{kind}': '...'}}.")
            units[kind] = DEFAULT_UNITS[kind]
    return {k: units[k] for k in signals}


def _checked_segments(given: object, duration: float, fs: float) -> tuple[Segment, ...]:
    """Segments in time order, not overlapping, inside a session of ``duration`` seconds."""
    segments = tuple(cast(Iterable[Segment], given))
    tol = 1.0 / fs + 1e-9
    for i, seg in enumerate(segments):
        if not isinstance(seg, Segment):
            raise InputError(f"segments[{i}] must be a Segment; got {type(seg).__name__}.")
        if seg.end_s > duration + tol:
            raise InputError(
                f"Segment {i} ends at {seg.end_s:g} s, after the end of the session ({duration:g} s)."
            )
        if i and seg.start_s < segments[i - 1].end_s - 1e-9:
            raise InputError(f"Segments must be in time order without overlap; segment {i} overlaps {i - 1}.")
    return segments


@dataclass(frozen=True, eq=False)
class Session:
    """Two people's signals, sampled together at ``fs``, with segments and (if simulated) ground truth.

    Parameters
    ----------
    id
        Short identifier (``"warm-rapport"``).
    title
        Human-readable title.
    description
        One or two sentences for the app.
    fs
        Sampling rate in Hz (> 0), shared by all signals.
    signals
        ``{kind: (patient, clinician)}``; kinds are ``"eda"`` (skin conductance, µS) and ``"hr"``
        (heart rate, bpm) or any other name with a unit in ``units``. All arrays have the same length.
        Arrays are copied and made read-only.
    units
        ``{kind: unit}``; filled in from :data:`DEFAULT_UNITS` for known kinds.
    segments
        Parts of the session with their emotional tone, in time order, not overlapping.
    ground_truth
        The coupling the simulator put in; ``None`` for a real recording.
    rating
        Simulated patient-rated empathy (``None`` when there is none).
    simulated
        ``True`` for simulated data (labelled as simulated everywhere).
    notes
        Remarks, e.g. what a loader guessed (which column is the patient).
    metadata
        ``{key: value}`` text pairs a recording file carried (e.g. the ``# key: value`` header lines of a
        game round file); empty for most sessions.

    Examples
    --------
    >>> import numpy as np
    >>> hr = (np.full(6, 70.0), np.full(6, 80.0))
    >>> s = Session(id="d", title="D", description="", fs=2.0, signals={"hr": hr})
    >>> s.to_frame().columns.tolist()
    ['time_s', 'hr_patient', 'hr_clinician']
    """

    id: str
    title: str
    description: str
    fs: float
    signals: Mapping[str, tuple[np.ndarray, np.ndarray]]
    units: Mapping[str, str] = field(default_factory=dict)
    segments: tuple[Segment, ...] = ()
    ground_truth: GroundTruth | None = None
    rating: float | None = None
    simulated: bool = False
    notes: tuple[str, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise InputError(f"A session needs a non-empty text id; got {self.id!r}.")
        fs = as_fs(self.fs)
        object.__setattr__(self, "fs", fs)
        signals, n_samples = _checked_signals(self.signals)
        object.__setattr__(self, "signals", MappingProxyType(signals))
        object.__setattr__(self, "units", MappingProxyType(_checked_units(self.units, signals)))
        object.__setattr__(self, "segments", _checked_segments(self.segments, n_samples / fs, fs))
        if self.ground_truth is not None and not isinstance(self.ground_truth, GroundTruth):
            raise InputError("ground_truth must be a GroundTruth or None.")
        if self.rating is not None:
            object.__setattr__(self, "rating", as_number(self.rating, "The empathy rating", error=InputError))
        object.__setattr__(self, "simulated", bool(self.simulated))
        object.__setattr__(self, "notes", tuple(str(n) for n in self.notes))
        object.__setattr__(
            self, "metadata", MappingProxyType({str(k): str(v) for k, v in dict(self.metadata).items()})
        )

    # ------------------------------------------------------------------ accessors
    @property
    def kinds(self) -> tuple[str, ...]:
        """Signal kinds in this session, e.g. ``("eda", "hr")``."""
        return tuple(self.signals)

    @property
    def n_samples(self) -> int:
        """Number of samples per signal."""
        return int(next(iter(self.signals.values()))[0].size)

    @property
    def duration_s(self) -> float:
        """Length of the session in seconds (``n_samples / fs``)."""
        return self.n_samples / self.fs

    @property
    def times_s(self) -> np.ndarray:
        """Sample times in seconds from the start (``arange(n) / fs``)."""
        return np.arange(self.n_samples) / self.fs

    def pair(self, kind: str = "eda") -> tuple[np.ndarray, np.ndarray]:
        """The (patient, clinician) arrays of one signal kind (read-only views).

        Raises
        ------
        InputError
            If the session has no such kind (the message lists the kinds it has).
        """
        if kind not in self.signals:
            raise InputError(f"Session {self.id!r} has no {kind!r} signal; it has: {', '.join(self.kinds)}.")
        return self.signals[kind]

    def tone_at(self, times_s: np.ndarray | float) -> np.ndarray:
        """Tone of the segment containing each time (``""`` outside every segment)."""
        t = np.atleast_1d(np.asarray(times_s, dtype=float))
        out = np.full(t.shape, "", dtype=object)
        for seg in self.segments:
            out[(t >= seg.start_s) & (t < seg.end_s)] = seg.tone
        return out

    def to_frame(self) -> pd.DataFrame:
        """Tidy frame: ``time_s``, then one column per kind and person (``eda_patient``, ...)."""
        cols: dict[str, np.ndarray] = {"time_s": self.times_s}
        for kind, (x, y) in self.signals.items():
            cols[f"{kind}_{PEOPLE[0]}"] = np.asarray(x)
            cols[f"{kind}_{PEOPLE[1]}"] = np.asarray(y)
        return pd.DataFrame(cols)

    def __repr__(self) -> str:
        label = "simulated" if self.simulated else "recorded"
        return (
            f"Session(id={self.id!r}, {label}, fs={self.fs:g} Hz, duration={self.duration_s:g} s, "
            f"kinds={self.kinds}, segments={len(self.segments)})"
        )
