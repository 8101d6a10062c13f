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
- :func:`as_number`, :func:`as_count`, :func:`as_probability`, :func:`as_seed`, :func:`as_flag`,
  :func:`as_choice`, :func:`as_name_pair` -- one parameter (of a method, a model or a simulation)
  inside its range.
- :func:`as_band` -- a frequency band (low, high) in Hz below half the sampling rate.
- :func:`readonly` -- mark an array read-only; :class:`ReadOnlyArrays` does it for every array of a
  result dataclass.

Bad signals and sampling rates raise :class:`~empathy_explorer.errors.InputError`; bad method
parameters (a negative window, a step of 0 s) raise :class:`~empathy_explorer.errors.ParameterError`.
Each kind of mistake has one wording, whichever function finds it: "must be a number", "must be a
finite number", "must be greater than 0", "cannot be negative", "must be at least / at most",
"must be a whole number", "is a probability and must lie between 0 and 1".

Examples
--------
>>> from empathy_explorer.validation import as_fs, as_signal, seconds_to_samples
>>> as_signal([1, 2, 3]).dtype
dtype('float64')
>>> seconds_to_samples(30.0, as_fs(32), name="window_s")
960
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from numbers import Integral, Real

import numpy as np

from empathy_explorer.errors import EmpathyExplorerError, InputError, ParameterError

__all__ = [
    "ReadOnlyArrays",
    "as_band",
    "as_choice",
    "as_count",
    "as_duration_s",
    "as_flag",
    "as_fs",
    "as_name_pair",
    "as_number",
    "as_probability",
    "as_rng",
    "as_seed",
    "as_signal",
    "as_signal_pair",
    "check_fits",
    "check_not_constant",
    "format_seconds",
    "readonly",
    "seconds_to_samples",
]

#: How a message says "a number of <unit>" for the units the package uses.
_UNIT_WORDS = {"s": "seconds", "ms": "milliseconds", "Hz": "Hz"}


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


def _describe(name: str, meaning: str) -> str:
    return f"{name} ({meaning})" if meaning else name


def as_number(
    value: object,
    name: str,
    *,
    meaning: str = "",
    unit: str = "",
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    error: type[EmpathyExplorerError] = ParameterError,
) -> float:
    """Return ``value`` as a finite float inside [low, high], else raise ``error`` (ParameterError).

    Parameters
    ----------
    value : float
        What the user gave.
    name, meaning : str
        How the message names it: ``"tau_s (time constant)"``.
    unit : str
        Unit of the value, e.g. ``"s"``, ``"ms"``, ``"Hz"``; said in the message.
    low, high : float or None
        Allowed range; ``None`` is unbounded. ``low_inclusive=False`` makes it open, e.g. a time constant
        must be greater than 0.
    error : type
        The error raised (:class:`InputError` for a sampling rate, which belongs to the recording).

    Examples
    --------
    >>> as_number(0.5, "tau_s", unit="s", low=0, low_inclusive=False)
    0.5
    >>> as_number(-1, "lag_s", unit="s", low=0)
    Traceback (most recent call last):
    ...
    empathy_explorer.errors.ParameterError: lag_s cannot be negative; got -1 s.
    """
    what = _describe(name, meaning)
    unit_txt = f" {unit}" if unit else ""
    of = f" of {_UNIT_WORDS.get(unit, unit)}" if unit else ""
    if not _is_number(value):
        raise error(f"{what} must be a number{of}; got {value!r}.")
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise error(f"{what} must be a finite number{of}; got {number}.")
    if low is not None and (number < low or (not low_inclusive and number == low)):
        if low == 0 and not low_inclusive:
            rule = f"must be greater than 0{unit_txt}"
        elif low == 0:
            rule = "cannot be negative"
        else:
            rule = f"must be {'at least' if low_inclusive else 'greater than'} {low:g}{unit_txt}"
        raise error(f"{what} {rule}; got {number:g}{unit_txt}.")
    if high is not None and (number > high or (not high_inclusive and number == high)):
        rule = f"must be {'at most' if high_inclusive else 'less than'} {high:g}{unit_txt}"
        raise error(f"{what} {rule}; got {number:g}{unit_txt}.")
    return number


def as_fs(fs: object) -> float:
    """Return the sampling rate ``fs`` (Hz) as a positive finite float, or raise :class:`InputError`.

    Examples
    --------
    >>> as_fs(32)
    32.0
    """
    return as_number(fs, "The sampling rate fs", unit="Hz", low=0, low_inclusive=False, error=InputError)


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
    return as_number(value, name, meaning=meaning, unit="s", low=0, low_inclusive=allow_zero)


def as_probability(value: object, name: str, *, meaning: str = "") -> float:
    """Return ``value`` as a probability in [0, 1], else raise ParameterError.

    Examples
    --------
    >>> as_probability(0.25, "coupling")
    0.25
    """
    what = _describe(name, meaning)
    if not _is_number(value):
        raise ParameterError(f"{what} is a probability and must be a number between 0 and 1; got {value!r}.")
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number) or number < 0.0 or number > 1.0:
        raise ParameterError(
            f"{what} is a probability and must lie between 0 and 1 (0 % to 100 %); got {value!r}."
        )
    return number


def as_count(
    value: object,
    name: str,
    *,
    meaning: str = "",
    low: int = 1,
    high: int | None = None,
    integers_only: bool = False,
) -> int:
    """Return ``value`` as an int in [low, high], else raise ParameterError.

    A float with a whole value (``20.0``, as a slider gives) is accepted unless ``integers_only``.

    Examples
    --------
    >>> as_count(20.0, "n", low=4, high=10_000)
    20
    >>> as_count(2.5, "n_trials")
    Traceback (most recent call last):
    ...
    empathy_explorer.errors.ParameterError: n_trials must be a whole number; got 2.5.
    """
    what = _describe(name, meaning)
    number: int | None = None
    if isinstance(value, Integral | np.integer) and not isinstance(value, bool | np.bool_):
        number = int(value)
    elif not integers_only and _is_number(value) and float(value).is_integer():  # type: ignore[arg-type]
        number = int(float(value))  # type: ignore[arg-type]
    if number is None:
        span = f" from {low:,} to {high:,}" if high is not None else ""
        raise ParameterError(f"{what} must be a whole number{span}; got {value!r}.")
    if number < low:
        raise ParameterError(f"{what} must be at least {low:,}; got {number:,}.")
    if high is not None and number > high:
        raise ParameterError(f"{what} must be at most {high:,}; got {number:,}.")
    return number


def as_seed(value: object, name: str = "seed", *, meaning: str = "random seed, any whole number ≥ 0") -> int:
    """Return a non-negative integer random seed (below 2**63), else raise ParameterError.

    Examples
    --------
    >>> as_seed(7)
    7
    """
    return as_count(value, name, meaning=meaning, low=0, high=2**63 - 1)


def as_rng(
    seed: object, *, meaning: str = "which random numbers are drawn"
) -> tuple[np.random.Generator, int | None]:
    """Return ``(generator, seed)`` for a whole-number seed, or ``(seed, None)`` for a numpy Generator.

    The same seed always gives the same result; a Generator lets a caller continue one random stream.

    Examples
    --------
    >>> rng, seed = as_rng(3)
    >>> seed
    3
    """
    if isinstance(seed, np.random.Generator):
        return seed, None
    value = as_count(
        seed, "seed", meaning=f"{meaning}; or a numpy Generator", low=0, high=2**63 - 1, integers_only=True
    )
    return np.random.default_rng(value), value


def as_flag(value: object, name: str, *, meaning: str = "") -> bool:
    """Return ``value`` as a bool (True/False or numpy bool), else raise ParameterError."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise ParameterError(f"{_describe(name, meaning)} must be True or False; got {value!r}.")


def as_choice(value: object, name: str, choices: tuple[str, ...], *, meaning: str = "") -> str:
    """Return ``value`` if it is one of ``choices``, else raise ParameterError listing them."""
    if isinstance(value, str) and value in choices:
        return value
    options = ", ".join(repr(c) for c in choices)
    raise ParameterError(f"{_describe(name, meaning)} must be one of {options}; got {value!r}.")


def as_name_pair(value: object, name: str, *, example: tuple[str, str]) -> tuple[str, str]:
    """Return two different, non-empty names (e.g. of two actions), else raise ParameterError.

    Examples
    --------
    >>> as_name_pair(["smile", "frown"], "labels", example=("smile", "frown"))
    ('smile', 'frown')
    """
    if (
        not isinstance(value, tuple | list)
        or len(value) != 2
        or not all(isinstance(x, str) and x for x in value)
        or value[0] == value[1]
    ):
        raise ParameterError(f"{name} must be two different names, e.g. {example!r}; got {value!r}.")
    return (str(value[0]), str(value[1]))


def as_band(band: object, fs: float) -> tuple[float, float]:
    """Return a frequency band ``(low, high)`` in Hz with ``0 < low < high < fs / 2``, else ParameterError.

    Examples
    --------
    >>> as_band((0.15, 0.4), fs=8.0)
    (0.15, 0.4)
    """
    nyquist = fs / 2.0
    example = f"e.g. band=(0.1, {min(0.5, nyquist / 2):g})"
    if isinstance(band, str | bytes) or not isinstance(band, Sequence | np.ndarray):
        raise ParameterError(f"band must be two frequencies (low, high) in Hz, {example}; got {band!r}.")
    values = list(band)
    if len(values) != 2:
        raise ParameterError(
            f"band must be exactly two frequencies (low, high) in Hz, {example}; got {len(values)} value(s)."
        )
    if not all(_is_number(v) for v in values):
        raise ParameterError(f"band must contain two numbers of Hz, {example}; got {band!r}.")
    low, high = float(values[0]), float(values[1])
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ParameterError(f"band must contain finite frequencies; got ({low:g}, {high:g}) Hz.")
    if low <= 0:
        raise ParameterError(f"The lower edge of the band must be above 0 Hz; got {low:g} Hz.")
    if high <= low:
        raise ParameterError(f"The band must be (low, high) with low below high; got ({low:g}, {high:g}) Hz.")
    if high >= nyquist:
        raise ParameterError(
            f"The upper edge of the band ({high:g} Hz) must be below half the sampling rate "
            f"({nyquist:g} Hz at fs = {fs:g} Hz): faster rhythms cannot be seen in this recording."
        )
    return low, high


class ReadOnlyArrays:
    """Base of the package's result dataclasses: every numpy array field becomes read-only on creation.

    A result is a snapshot that a chart or a cache may hold on to; read-only arrays mean that nobody can
    change it in place behind their back.
    """

    def __post_init__(self) -> None:
        for item in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, item.name)
            if isinstance(value, np.ndarray):
                value.flags.writeable = False


def readonly(array: np.ndarray) -> np.ndarray:
    """Mark ``array`` read-only (and return it) so a frozen result cannot be changed in place."""
    array = np.asarray(array)
    array.flags.writeable = False
    return array


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
