"""Parameter checks shared by the models, with messages a medical student can act on.

Every public model calls these before computing anything, so a slider or a typed value outside the
valid range gives :class:`empathy_explorer.errors.ParameterError` naming the parameter, what it means,
the allowed range and the value received -- never a numpy warning or an IndexError.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np

from empathy_explorer.errors import ParameterError

__all__ = [
    "as_choice",
    "as_count",
    "as_flag",
    "as_number",
    "as_probability",
    "as_seed",
    "freeze",
]


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
) -> float:
    """Return ``value`` as a finite float inside [low, high], else raise ParameterError.

    ``low``/``high`` may be open (``low_inclusive=False``), e.g. a time constant must be > 0.
    """
    what = _describe(name, meaning)
    unit_txt = f" {unit}" if unit else ""
    if isinstance(value, bool) or not isinstance(value, Real | np.floating | np.integer):
        raise ParameterError(f"{what} must be a number{unit_txt}; got {value!r}.")
    number = float(value)
    if not math.isfinite(number):
        raise ParameterError(f"{what} must be a finite number{unit_txt}; got {value!r}.")
    if low is not None and (number < low or (not low_inclusive and number == low)):
        if low == 0 and not low_inclusive:
            rule = "must be greater than 0"
        elif low == 0:
            rule = "cannot be negative"
        else:
            rule = f"must be {'at least' if low_inclusive else 'greater than'} {low:g}{unit_txt}"
        raise ParameterError(f"{what} {rule}; got {number:g}{unit_txt}.")
    if high is not None and (number > high or (not high_inclusive and number == high)):
        rule = f"must be {'at most' if high_inclusive else 'less than'} {high:g}{unit_txt}"
        raise ParameterError(f"{what} {rule}; got {number:g}{unit_txt}.")
    return number


def as_probability(value: object, name: str, *, meaning: str = "") -> float:
    """Return ``value`` as a probability in [0, 1], else raise ParameterError."""
    what = _describe(name, meaning)
    if isinstance(value, bool) or not isinstance(value, Real | np.floating | np.integer):
        raise ParameterError(f"{what} is a probability and must be a number between 0 and 1; got {value!r}.")
    number = float(value)
    if not math.isfinite(number) or number < 0.0 or number > 1.0:
        raise ParameterError(
            f"{what} is a probability and must lie between 0 and 1 (0 % to 100 %); got {value!r}."
        )
    return number


def as_count(value: object, name: str, *, meaning: str = "", low: int = 1, high: int | None = None) -> int:
    """Return ``value`` as an int in [low, high] (whole numbers only), else raise ParameterError."""
    what = _describe(name, meaning)
    if isinstance(value, bool):
        raise ParameterError(f"{what} must be a whole number; got {value!r}.")
    if isinstance(value, Integral | np.integer):
        number = int(value)
    elif isinstance(value, Real | np.floating) and math.isfinite(float(value)) and float(value).is_integer():
        number = int(float(value))
    else:
        raise ParameterError(f"{what} must be a whole number; got {value!r}.")
    if number < low:
        raise ParameterError(f"{what} must be at least {low}; got {number}.")
    if high is not None and number > high:
        raise ParameterError(
            f"{what} must be at most {high} (more would make the app slow for no new insight); got {number}."
        )
    return number


def as_seed(value: object, name: str = "seed") -> int:
    """Return a non-negative integer random seed, else raise ParameterError."""
    return as_count(value, name, meaning="random seed, any whole number ≥ 0", low=0)


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


def freeze(array: np.ndarray) -> np.ndarray:
    """Make ``array`` read-only so a frozen result cannot be changed behind the chart's back."""
    array = np.asarray(array)
    array.flags.writeable = False
    return array
