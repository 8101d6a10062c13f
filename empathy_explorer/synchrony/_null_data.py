"""Building blocks of :mod:`empathy_explorer.synchrony.surrogate` (private).

The checks of its arguments, the vectorised builder of within-dyad surrogates (circular shift, segment
shuffle, phase randomisation; one block of surrogates at a time) and the pseudo-pairings across dyads
(derangements: every ``x_i`` paired with another dyad's ``y``).
"""

from __future__ import annotations

import inspect
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import cast

import numpy as np
from scipy import fft as _fft

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.validation import (
    as_choice,
    as_count,
    as_duration_s,
    as_signal_pair,
    format_seconds,
    readonly,
)

#: Within-dyad surrogate methods of :func:`surrogate_test`.
METHODS: tuple[str, ...] = ("circular_shift", "segment_shuffle", "phase_randomize")
#: Largest number of surrogates (or pseudo-pairings) accepted.
MAX_SURROGATES = 10_000
#: Default segment length of ``"segment_shuffle"``, seconds (illustrative: long enough for several
#: skin-conductance responses, short enough for a 10-minute session to give 20 segments).
DEFAULT_SEGMENT_S = 30.0
#: Fewest segments ``"segment_shuffle"`` accepts (4 segments allow 24 orders).
MIN_SEGMENTS = 4
#: Default smallest circular shift, as a share of the recording (shifts lie in 10 %–90 % of its length).
DEFAULT_MIN_SHIFT_SHARE = 0.1


def _as_count(value: object, name: str, meaning: str, high: int = MAX_SURROGATES) -> int:
    return as_count(value, name, meaning=meaning, low=1, high=high, integers_only=True)


def _check_statistic(statistic: object, n_args: int = 2) -> Callable[..., object]:
    if not callable(statistic):
        raise ParameterError(
            "statistic must be a function statistic(x, y) that returns one number, e.g. "
            f"lambda x, y: windowed_xcorr(x, y, fs).mean_peak_r; got {statistic!r}."
        )
    try:
        sig = inspect.signature(statistic)
    except (TypeError, ValueError):  # some builtins have no signature; trust them
        return statistic
    try:
        sig.bind(*range(n_args))
    except TypeError:
        raise ParameterError(
            "statistic must accept exactly two arguments, the two signals (x, y), and return one number. "
            "Close over anything else yourself, e.g. lambda x, y: my_statistic(x, y, fs)."
        ) from None
    return statistic


def _as_value(value: object, what: str) -> float:
    """The statistic's return value as a float (NaN allowed), or a clear error."""
    if isinstance(value, bool | np.bool_):
        raise ParameterError(f"statistic must return a number, not a yes/no value ({what}).")
    if isinstance(value, Real):
        return float(value)
    arr = np.asarray(value) if isinstance(value, np.ndarray | np.generic) else None
    if arr is not None and arr.size == 1 and arr.dtype.kind in "iuf":
        return float(arr.reshape(()))
    raise ParameterError(
        f"statistic must return one number ({what}); it returned {type(value).__name__} "
        f"{value!r:.60}. Reduce the result to one summary value, e.g. .mean_peak_r."
    )


def _check_progress(progress: object) -> Callable[[int, int], object] | None:
    if progress is not None and not callable(progress):
        raise ParameterError(f"progress must be a function progress(done, total) or None; got {progress!r}.")
    return progress  # type: ignore[return-value]


@dataclass(frozen=True)
class _Plan:
    """What is needed to build surrogates of ``y`` block by block with one random stream."""

    method: str
    y: np.ndarray
    min_shift: int = 0  # circular_shift
    bounds: np.ndarray | None = None  # segment_shuffle: segment boundaries, samples
    spectrum: np.ndarray | None = None  # phase_randomize: rfft of the centred, scaled y
    centre: float = 0.0
    scale: float = 1.0

    @property
    def bytes_per_surrogate(self) -> int:
        n = self.y.size
        return 40 * n if self.method == "phase_randomize" else 16 * n


def _plan(y: np.ndarray, fs: float, method: object, min_shift_s: object, segment_s: object) -> _Plan:
    n = y.size
    method = as_choice(method, "method", METHODS)
    if method == "circular_shift":
        if min_shift_s is None:
            m = max(1, math.ceil(DEFAULT_MIN_SHIFT_SHARE * n))
        else:
            value = as_duration_s(min_shift_s, "min_shift_s", allow_zero=True, meaning="the smallest shift")
            # compared in seconds first, so that an absurd value cannot overflow the rounding
            m = max(1, round(value * fs)) if value <= n / fs else n
        if n - 2 * m < 0:
            raise InputError(
                f"min_shift_s asks for shifts of at least {format_seconds(m / fs)} away from both ends, "
                f"but the recording is only {format_seconds(n / fs)} long. Choose a min_shift_s below "
                f"half the recording ({format_seconds(n / fs / 2)})."
            )
        return _Plan(method, y, min_shift=m)
    if method == "segment_shuffle":
        seg_s = DEFAULT_SEGMENT_S if segment_s is None else segment_s
        seg_s = as_duration_s(seg_s, "segment_s", meaning="the segment length")
        seg = round(seg_s * fs) if seg_s <= n / fs else n + 1  # no overflow for absurd values
        n_seg = n // seg if seg >= 1 else 0
        if seg < 1 or n_seg < MIN_SEGMENTS:
            raise InputError(
                f"Segment shuffling needs at least {MIN_SEGMENTS} segments, but a recording of "
                f"{format_seconds(n / fs)} holds {max(n_seg, 0)} segment(s) of {format_seconds(seg_s)}. "
                f"Choose a segment_s of at most {format_seconds(n / fs / MIN_SEGMENTS)}."
            )
        bounds = np.rint(np.arange(n_seg + 1) * (n / n_seg)).astype(np.intp)
        return _Plan(method, y, bounds=bounds)
    # phase_randomize: work on y / max|y| so that even huge values cannot overflow the FFT
    scale = float(np.max(np.abs(y)))
    z = y / scale
    centre = float(z.mean())
    return _Plan(method, y, spectrum=_fft.rfft(z - centre), centre=centre, scale=scale)


def _segment_orders(keys: np.ndarray) -> np.ndarray:
    """Uniformly random orders of the segments: ``argsort`` of uniform keys, one row per surrogate.

    All orders are equally likely, including those that leave a segment at its own time (on average
    one per surrogate). Excluding them (always mismatching, as SUSY does) looks stricter but makes the
    test liberal: such surrogates share more with one another than with the real data, and in checks on
    independent AR(1) pairs with 10 segments the false-positive rate at 0.05 rose to 7.4 %. With all
    orders the surrogates and the real order are exchangeable (a permutation group), so the p-value is
    exact when the segments themselves are exchangeable.
    """
    return np.argsort(keys, axis=1, kind="stable")


def _build(plan: _Plan, rng: np.random.Generator, count: int, shifts: np.ndarray | None) -> np.ndarray:
    """``count`` surrogates of ``plan.y`` as rows; random numbers are drawn from ``rng`` in a fixed order."""
    y = plan.y
    n = y.size
    if plan.method == "circular_shift":
        assert shifts is not None
        idx = np.arange(n)[None, :] - shifts[:, None]
        idx %= n
        return y[idx]
    if plan.method == "segment_shuffle":
        bounds = plan.bounds
        assert bounds is not None
        n_seg = bounds.size - 1
        order = _segment_orders(rng.random((count, n_seg)))  # position p gets y's segment order[p]
        lengths = np.diff(bounds)[order]
        starts = bounds[:-1][order]
        out_start = np.cumsum(lengths, axis=1) - lengths
        idx = np.repeat((starts - out_start).ravel(), lengths.ravel()).reshape(count, n)
        idx += np.arange(n)[None, :]
        return y[idx]
    spectrum = plan.spectrum
    assert spectrum is not None
    phases = 2.0 * np.pi * rng.random((count, spectrum.size))
    phases[:, 0] = 0.0  # the mean stays
    if n % 2 == 0:
        phases[:, -1] = 0.0  # the Nyquist coefficient of a real signal must stay real
    out = _fft.irfft(spectrum[None, :] * np.exp(1j * phases), n, axis=1)
    with np.errstate(over="ignore", invalid="ignore"):
        out += plan.centre
        out *= plan.scale
    if not np.isfinite(out).all():
        raise InputError(
            "The signal y has values too large to phase-randomise without overflow; rescale it first "
            "(e.g. empathy_explorer.preprocess z-scoring)."
        )
    return out


def _draw_shifts(plan: _Plan, rng: np.random.Generator, n_surr: int) -> np.ndarray | None:
    """Circular shifts, drawn all at once: ``m + floor(u * (n - 2m + 1))`` with u uniform in [0, 1)."""
    if plan.method != "circular_shift":
        return None
    n, m = plan.y.size, plan.min_shift
    return m + np.floor(rng.random(n_surr) * (n - 2 * m + 1)).astype(np.intp)


def _is_pair(item: object) -> bool:
    """A tuple, list or array of two elements (a 0-d array has no length: not a pair)."""
    sized = isinstance(item, tuple | list) or (isinstance(item, np.ndarray) and item.ndim > 0)
    return sized and len(item) == 2  # type: ignore[arg-type]


def _dyads(pairs: object, kind: str) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[str]]:
    from empathy_explorer.sessions.session import Session  # local: sessions are optional for this module

    if isinstance(pairs, str | bytes) or not isinstance(pairs, Sequence | tuple | list):
        try:
            pairs = list(pairs)  # type: ignore[call-overload]
        except TypeError:
            raise InputError(
                "pairs must be a list of dyads: Session objects or (x, y) pairs of arrays; "
                f"got {type(pairs).__name__}."
            ) from None
    dyads: list[tuple[np.ndarray, np.ndarray]] = []
    labels: list[str] = []
    fs_seen: set[float] = set()
    x: object
    y: object
    for i, item in enumerate(cast(Iterable[object], pairs)):
        if isinstance(item, Session):
            x, y = item.pair(kind)
            label = f"dyad {i} ({item.id})"
            fs_seen.add(item.fs)
        elif _is_pair(item):
            x, y = cast(tuple[object, object], item)
            label = f"dyad {i}"
        else:
            raise InputError(
                f"Dyad {i} must be a Session or a pair (x, y) of two signals; got {type(item).__name__}."
            )
        xa, ya = as_signal_pair(x, y, names=(f"x of {label}", f"y of {label}"))
        dyads.append((readonly(xa), readonly(ya)))
        labels.append(label)
    if len(dyads) < 3:
        raise InputError(
            f"Pseudo-pairs need at least 3 dyads (people who never met are paired across dyads); got "
            f"{len(dyads)}."
        )
    if len(fs_seen) > 1:
        raise InputError(
            "The sessions have different sampling rates "
            f"({', '.join(f'{f:g} Hz' for f in sorted(fs_seen))}); resample them to one rate first."
        )
    return dyads, labels


def _n_derangements(n: int) -> int:
    """Number of permutations of n items with no fixed point (subfactorial)."""
    d = [1, 0]
    for k in range(2, n + 1):
        d.append((k - 1) * (d[-1] + d[-2]))
    return d[n]


def _all_derangements(n: int) -> np.ndarray:
    perms = np.array(list(itertools.permutations(range(n))), dtype=np.intp)
    return perms[(perms != np.arange(n)).all(axis=1)]


def _random_derangements(rng: np.random.Generator, count: int, n: int) -> np.ndarray:
    """``count`` uniformly random derangements: random permutations (argsort of uniform keys), keeping
    those without a fixed point, in rounds until enough are found."""
    found: list[np.ndarray] = []
    have = 0
    while have < count:  # about e tries per derangement; a handful of vectorised rounds
        perms = np.argsort(rng.random((3 * (count - have) + 8, n)), axis=1, kind="stable")
        good = perms[(perms != np.arange(n)).all(axis=1)]
        found.append(good)
        have += good.shape[0]
    return np.concatenate(found)[:count]
