"""Input checks shared by every numerical function of the package.

Each check turns a user's value into the exact type the numerics need (a 1-D float64 array, a positive
finite sampling rate, a whole number of samples) or raises the package's own error with a sentence a
medical student can act on:

- :func:`as_signal` -- one 1-D, finite, real-valued recording.
- :func:`as_signal_pair` -- two such recordings of equal length (e.g. patient and clinician).
- :func:`as_fs` -- a sampling rate in Hz (> 0, finite, a number).
- :func:`as_duration_s` -- a method parameter in seconds (window, step, lag) that must be a positive number.
- :func:`seconds_to_samples` -- a duration in seconds turned into a whole number of samples.
- :func:`check_fits` -- a window (or window plus lags) that must fit inside the recording.
- :func:`check_not_constant` -- a recording that must change over time for a correlation to exist.

Bad signals and sampling rates raise :class:`~empathy_explorer.errors.InputError`; bad method
parameters (a negative window, a step of 0 s) raise :class:`~empathy_explorer.errors.ParameterError`.

Examples
--------
>>> from empathy_explorer.validation import as_fs, as_signal, seconds_to_samples
>>> as_signal([1, 2, 3]).dtype
dtype('float64')
>>> seconds_to_samples(30.0, as_fs(32), name="window_s")
960
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from empathy_explorer.errors import InputError, ParameterError

__all__ = [
    "as_duration_s",
    "as_fs",
    "as_signal",
    "as_signal_pair",
    "check_fits",
    "check_not_constant",
    "format_seconds",
    "seconds_to_samples",
]


def format_seconds(value_s: float) -> str:
    """Plain-language duration: ``"30 s"``, ``"2.5 s"``, ``"12 min 30 s"``.

    Examples
    --------
    >>> format_seconds(750.0)
    '12 min 30 s'
    """
    if not math.isfinite(value_s):
        return f"{value_s} s"
    if abs(value_s) >= 120.0:
        minutes, seconds = divmod(round(value_s), 60)
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    return f"{value_s:.3g} s"


def _is_number(value: object) -> bool:
    return not isinstance(value, bool | np.bool_) and isinstance(value, Real | np.integer | np.floating)


def as_signal(
    values: object,
    name: str = "x",
    *,
    allow_nan: bool = False,
    min_length: int = 2,
) -> np.ndarray:
    """Return ``values`` as a new 1-D float64 array, or raise :class:`InputError`.

    Parameters
    ----------
    values : array_like
        The recording: a list, numpy array or pandas Series of numbers.
    name : str
        How the message names the signal (e.g. ``"x (patient)"``).
    allow_nan : bool
        Accept missing values (NaN), e.g. for gap handling. Infinite values are never accepted, and a
        signal with no valid value at all is always refused.
    min_length : int
        Fewest samples accepted.

    Returns
    -------
    numpy.ndarray
        A contiguous float64 copy (the caller's array is never modified).

    Raises
    ------
    InputError
        For 2-D tables, text, complex numbers, empty or too short recordings, missing or infinite values.

    Examples
    --------
    >>> as_signal((1, 2.5, 3)).tolist()
    [1.0, 2.5, 3.0]
    """
    arr = np.asarray(values)
    if arr.dtype == object or arr.dtype.kind in "USV":
        raise InputError(
            f"The signal {name} must contain numbers only; it contains text or other objects "
            f"(type {arr.dtype}). Check that the right column was chosen."
        )
    if arr.dtype.kind == "c":
        raise InputError(
            f"The signal {name} contains complex numbers; a physiological recording must be real-valued."
        )
    if arr.dtype.kind not in "biuf":
        raise InputError(f"The signal {name} must contain numbers; got data of type {arr.dtype}.")
    if arr.ndim != 1:
        shape = " × ".join(str(s) for s in arr.shape) or "a single number"
        raise InputError(
            f"The signal {name} must be one column of values over time (1-D), but it has shape {shape}. "
            "Pass one person's recording at a time."
        )
    if arr.size == 0:
        raise InputError(f"The signal {name} is empty: it contains no samples.")
    if arr.size < min_length:
        raise InputError(
            f"The signal {name} is too short: it has {arr.size} sample(s) and at least {min_length} "
            "are needed."
        )
    out = np.array(arr, dtype=np.float64, copy=True, order="C")
    finite = np.isfinite(out)
    if not finite.all():
        if np.isinf(out).any():
            raise InputError(
                f"The signal {name} contains infinite values; remove or replace them before analysis."
            )
        if not finite.any():
            raise InputError(f"The signal {name} has no valid values: every sample is missing (NaN).")
        if not allow_nan:
            n_missing = int(out.size - finite.sum())
            raise InputError(
                f"The signal {name} has {n_missing} missing value(s) (NaN). Fill short gaps first with "
                "empathy_explorer.preprocess.fill_gaps, or cut the recording to a part without gaps."
            )
    return out


def as_signal_pair(
    x: object,
    y: object,
    names: tuple[str, str] = ("x", "y"),
    *,
    allow_nan: bool = False,
    min_length: int = 2,
) -> tuple[np.ndarray, np.ndarray]:
    """Return two recordings as float64 arrays of equal length, or raise :class:`InputError`.

    Parameters
    ----------
    x, y : array_like
        The two people's recordings, sampled at the same rate and starting at the same time.
    names : tuple of str
        How the messages name the two signals.
    allow_nan, min_length
        As in :func:`as_signal`.

    Returns
    -------
    tuple of numpy.ndarray
        ``(x, y)`` as new 1-D float64 arrays.

    Examples
    --------
    >>> x, y = as_signal_pair([1, 2, 3], [3, 2, 1])
    >>> x.shape == y.shape
    True
    """
    xa = as_signal(x, names[0], allow_nan=allow_nan, min_length=min_length)
    ya = as_signal(y, names[1], allow_nan=allow_nan, min_length=min_length)
    if xa.size != ya.size:
        raise InputError(
            f"The two signals must have the same length, but {names[0]} has {xa.size} samples and "
            f"{names[1]} has {ya.size}. Put both on one time base first "
            "(empathy_explorer.preprocess.resample_pair)."
        )
    return xa, ya


def as_fs(fs: object) -> float:
    """Return the sampling rate ``fs`` (Hz) as a positive finite float, or raise :class:`InputError`.

    Examples
    --------
    >>> as_fs(32)
    32.0
    """
    if not _is_number(fs):
        raise InputError(f"The sampling rate fs must be a number of samples per second (Hz); got {fs!r}.")
    value = float(fs)  # type: ignore[arg-type]
    if not math.isfinite(value):
        raise InputError(f"The sampling rate fs must be a finite number of Hz; got {value}.")
    if value <= 0:
        raise InputError(
            f"The sampling rate fs must be greater than 0 Hz (samples per second); got {value:g}."
        )
    return value


def as_duration_s(
    value: object,
    name: str,
    *,
    allow_zero: bool = False,
    meaning: str = "",
) -> float:
    """Return a method parameter in seconds as a finite float > 0 (or >= 0), else raise ParameterError.

    Parameters
    ----------
    value : float
        The duration in seconds.
    name : str
        Parameter name used in the message (e.g. ``"window_s"``).
    allow_zero : bool
        Accept 0 s (e.g. a maximum lag of 0 s).
    meaning : str
        Short description for the message (e.g. ``"the window length"``).

    Examples
    --------
    >>> as_duration_s(30, "window_s")
    30.0
    """
    what = f"{name} ({meaning})" if meaning else name
    if not _is_number(value):
        raise ParameterError(f"{what} must be a number of seconds; got {value!r}.")
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise ParameterError(f"{what} must be a finite number of seconds; got {number}.")
    if number < 0 or (number == 0 and not allow_zero):
        rule = "cannot be negative" if allow_zero else "must be greater than 0 s"
        raise ParameterError(f"{what} {rule}; got {number:g} s.")
    return number


def seconds_to_samples(
    value_s: float,
    fs: float,
    *,
    name: str,
    minimum: int = 1,
    meaning: str = "",
) -> int:
    """Convert a duration to ``round(value_s * fs)`` samples, checking it holds at least ``minimum``.

    Parameters
    ----------
    value_s : float
        Duration in seconds (already checked with :func:`as_duration_s`).
    fs : float
        Sampling rate in Hz (already checked with :func:`as_fs`).
    name : str
        Parameter name for the message.
    minimum : int
        Fewest samples accepted; below it, :class:`ParameterError`.
    meaning : str
        Short description for the message.

    Returns
    -------
    int
        Number of samples.

    Examples
    --------
    >>> seconds_to_samples(0.5, 8.0, name="step_s")
    4
    """
    n = round(value_s * fs)
    if n < minimum:
        what = f"{name} ({meaning})" if meaning else name
        raise ParameterError(
            f"{what} = {format_seconds(value_s)} is only {n} sample(s) at {fs:g} Hz; it must span at "
            f"least {minimum} sample(s) ({format_seconds(minimum / fs)}). Choose a longer duration."
        )
    return int(n)


def check_fits(
    needed_samples: int,
    n_samples: int,
    fs: float,
    *,
    what: str,
    advice: str = "Choose a shorter window or a longer recording.",
) -> None:
    """Raise :class:`InputError` when ``needed_samples`` exceed the recording's ``n_samples``.

    Parameters
    ----------
    needed_samples : int
        Samples the analysis needs (e.g. window plus twice the maximum lag).
    n_samples : int
        Samples in the recording.
    fs : float
        Sampling rate in Hz (to state both durations in seconds).
    what : str
        What needs the samples, e.g. ``"The window"`` or ``"The window plus twice the maximum lag"``.
    advice : str
        What to do about it.

    Examples
    --------
    >>> check_fits(960, 384, 32.0, what="The window")
    Traceback (most recent call last):
    ...
    empathy_explorer.errors.InputError: The window (30 s) is longer than the recording (12 s). ...
    """
    if needed_samples > n_samples:
        raise InputError(
            f"{what} ({format_seconds(needed_samples / fs)}) is longer than the recording "
            f"({format_seconds(n_samples / fs)}). {advice}"
        )


def check_not_constant(values: np.ndarray, name: str = "x") -> None:
    """Raise :class:`InputError` when a recording never changes (a correlation needs variation).

    NaN values are ignored.

    Examples
    --------
    >>> check_not_constant(np.array([2.0, 2.0, 2.0]), "x (patient)")
    Traceback (most recent call last):
    ...
    empathy_explorer.errors.InputError: The signal x (patient) is constant ...
    """
    finite = values[np.isfinite(values)]
    if finite.size == 0 or finite.min() == finite.max():
        level = f" (every value is {finite[0]:g})" if finite.size else ""
        raise InputError(
            f"The signal {name} is constant{level}: it never changes, so there is nothing to correlate. "
            "Check that the sensor was recording and the right column was chosen."
        )
