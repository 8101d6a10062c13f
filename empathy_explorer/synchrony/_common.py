"""Small helpers shared by the synchrony methods (private: not part of the public API)."""

from __future__ import annotations

import math

import numpy as np

from empathy_explorer.errors import InputError
from empathy_explorer.validation import as_duration_s, format_seconds, seconds_to_samples

__all__ = [
    "check_fits_samples",
    "constant_windows",
    "duration_samples",
    "nanmean_quiet",
    "nanstd_quiet",
    "readonly",
    "say_seconds",
    "unit_scaled",
]


def readonly(arr: np.ndarray) -> np.ndarray:
    """Mark an array read-only so a frozen result cannot be changed in place."""
    arr.flags.writeable = False
    return arr


def say_seconds(value_s: float) -> str:
    """:func:`format_seconds`, safe for absurdly large durations (no overflow, no 20-digit minutes)."""
    return format_seconds(value_s) if abs(value_s) < 1e9 else f"{value_s:.3g} s"


def duration_samples(
    value: object,
    fs: float,
    n: int,
    *,
    name: str,
    meaning: str,
    minimum: int = 1,
    allow_zero: bool = False,
    cap_at_recording: bool = False,
    what: str | None = None,
) -> tuple[float, int]:
    """Check a duration parameter and turn it into samples without overflow.

    Returns ``(value_s, round(value_s * fs))``. A duration longer than the recording of ``n`` samples
    raises :class:`InputError` naming ``what`` (e.g. "The window"), unless ``cap_at_recording`` is set
    (e.g. a step: any step beyond the recording gives the same single window), then the sample count is
    capped at ``n``. Checked in seconds first, so ``1e308`` s never reaches ``round``.
    """
    value_s = as_duration_s(value, name, allow_zero=allow_zero, meaning=meaning)
    duration_s = n / fs
    if value_s * fs > n + 1:  # +1: leave the exact rounding decision to the caller's own check
        if cap_at_recording:
            return value_s, int(n)
        shorter = (meaning or name).removeprefix("the ")
        raise InputError(
            f"{what or name} ({say_seconds(value_s)}) is longer than the recording "
            f"({say_seconds(duration_s)}). Choose a shorter {shorter} or a longer recording."
        )
    if allow_zero and round(value_s * fs) == 0:
        return value_s, 0
    return value_s, seconds_to_samples(value_s, fs, name=name, minimum=minimum, meaning=meaning)


def check_fits_samples(needed: int, n: int, fs: float, *, what: str, advice: str) -> None:
    """Raise :class:`InputError` when ``needed`` samples exceed the recording's ``n``."""
    if needed > n:
        raise InputError(
            f"{what} ({say_seconds(needed / fs)}) is longer than the recording ({say_seconds(n / fs)}). "
            f"{advice}"
        )


def unit_scaled(values: np.ndarray) -> np.ndarray:
    """``values / max|values|`` (every value in [-1, 1]).

    Correlations do not depend on the scale of a signal, and after this no sum, square or mean can
    overflow, even for values near 1e308. A zero signal is returned unchanged.
    """
    top = float(np.max(np.abs(values))) if values.size else 0.0
    return values / top if top > 0 else values


def constant_windows(values: np.ndarray, w: int) -> np.ndarray:
    """``out[a]`` is True when ``values[a:a+w]`` has one single value (for every start a, O(n)).

    Exact (no tolerance): it counts the changes between neighbouring samples with a cumulative sum,
    so a window is constant exactly when it holds no change.
    """
    changes = np.concatenate(([0], np.cumsum(values[1:] != values[:-1], dtype=np.int64)))
    return changes[w - 1 :] == changes[: changes.size - w + 1]


def nanmean_quiet(values: np.ndarray) -> float:
    """Mean of the finite values; NaN (without a numpy warning) when there are none."""
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else math.nan


def nanstd_quiet(values: np.ndarray, ddof: int = 1) -> float:
    """Standard deviation of the finite values; NaN (without a warning) when too few."""
    finite = values[np.isfinite(values)]
    return float(finite.std(ddof=ddof)) if finite.size > ddof else math.nan
