"""Small helpers shared by the synchrony methods (private: not part of the public API)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from empathy_explorer.errors import InputError
from empathy_explorer.validation import (
    as_duration_s,
    check_not_constant,
    format_seconds,
    seconds_to_samples,
)

__all__ = [
    "PAIR_PARAMETERS",
    "check_fits_samples",
    "constant_windows",
    "duration_samples",
    "nanmean_quiet",
    "nanstd_quiet",
    "require_varying",
    "rolling_sum_sq",
    "say_seconds",
    "unit_scaled",
    "with_pair_parameters",
]


#: How every two-person method documents its ``x, y, fs`` parameters (:func:`with_pair_parameters`).
PAIR_PARAMETERS = (
    "x, y : array_like",
    "    The two partners' recordings (e.g. patient, clinician), 1-D, equal length, no missing values.",
    "fs : float",
    "    Sampling rate, Hz.",
)

_F = TypeVar("_F", bound=Callable[..., object])


def with_pair_parameters(func: _F) -> _F:
    """Write :data:`PAIR_PARAMETERS` where ``func``'s docstring has a line ``{pair_parameters}``."""
    if func.__doc__:
        func.__doc__ = re.sub(
            r"^([ \t]*)\{pair_parameters\}$",
            lambda m: "\n".join(m.group(1) + line for line in PAIR_PARAMETERS),
            func.__doc__,
            flags=re.MULTILINE,
        )
    return func


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


def require_varying(values: np.ndarray, name: str) -> None:
    """Raise the package's "constant signal" error unless a validated (finite) signal changes.

    Two passes (min, max) without copies; the shared check only runs to word the error.
    """
    if values.min() == values.max():
        check_not_constant(values, name)


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


#: Window starts per block in :func:`rolling_sum_sq` (each block is centred on its own mean).
_SUMSQ_BLOCK_WINDOWS = 8
#: Samples per row of one group of blocks (cache-sized).
_SUMSQ_GROUP_ELEMENTS = 1 << 15


def rolling_sum_sq(values: np.ndarray, w: int) -> tuple[np.ndarray, np.ndarray]:
    """For every start ``a``: the sum of squared deviations of ``values[a:a+w]`` from their mean, and
    whether that window is exactly constant. O(n), no loop over windows.

    The signal is cut into overlapping blocks a few windows long, each centred on its own mean (so a
    large level or a drift costs no precision); running means of the centred values and their squares
    come from one :func:`scipy.ndimage.uniform_filter1d` pass. Windows whose sum is within rounding of
    0 are then checked exactly against their first value. Expects finite values of moderate size
    (e.g. scaled with :func:`unit_scaled`).
    """
    from numpy.lib.stride_tricks import sliding_window_view
    from scipy.ndimage import uniform_filter1d

    n = values.size
    n_starts = n - w + 1
    block = _SUMSQ_BLOCK_WINDOWS * w
    span = block + w - 1
    n_full = n_starts // block
    top = float(np.max(np.abs(values))) if n else 0.0
    # Rounding in the running means of values within ±2·top leaves a constant window at most about
    # eps × span × 4·top² × w; anything at or below this bound is checked exactly.
    tol = 64.0 * np.finfo(float).eps * span * top * top * w
    ss = np.empty(n_starts)
    parts = []
    if n_full:
        parts.append((sliding_window_view(values, span)[::block][:n_full], 0))
    if n_starts > n_full * block:  # the last, shorter block: the remaining starts and their windows
        a = n_full * block
        parts.append((values[None, a:], a))
    for view, offset in parts:
        part_span = view.shape[1]
        part_block = part_span - w + 1
        group = max(1, _SUMSQ_GROUP_ELEMENTS // part_span)
        for b0 in range(0, view.shape[0], group):  # groups of blocks, not a loop over windows
            g = min(view.shape[0], b0 + group) - b0
            buf = np.empty((2, g, part_span))
            np.subtract(view[b0 : b0 + g], view[b0 : b0 + g].mean(axis=1, keepdims=True), out=buf[0])
            np.multiply(buf[0], buf[0], out=buf[1])
            uniform_filter1d(buf, w, axis=2, mode="constant", output=buf)
            m1, m2 = buf[:, :, w // 2 : w // 2 + part_block]
            res = ss[offset + b0 * part_block : offset + (b0 + g) * part_block].reshape(g, part_block)
            np.multiply(m1, m1, out=res)
            np.subtract(m2, res, out=res)
            res *= w
    np.maximum(ss, 0.0, out=ss)
    const = np.zeros(n_starts, dtype=bool)
    candidates = np.flatnonzero(ss <= tol)
    if candidates.size > n_starts // 64:  # many: one exact O(n) pass
        const = constant_windows(values, w)
    elif candidates.size:
        windows = sliding_window_view(values, w)[candidates]
        const[candidates] = (windows == windows[:, :1]).all(axis=1)
    ss[const] = 0.0
    return ss, const
