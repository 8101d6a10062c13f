"""Small checks shared by many test files (one copy instead of one per file)."""

from __future__ import annotations

import doctest
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import TypeVar

import numpy as np
import pytest
from hypothesis import strategies as st

from empathy_explorer.errors import EmpathyExplorerError, ParameterError
from tests.support.fuzz_limits import Hang, time_bound


def median_s(call: Callable[[], object], runs: int = 20) -> float:
    """Median wall time of ``call()`` in seconds over ``runs`` runs, after one warm-up run."""
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def assert_parameter_error(call: Callable[..., object], kwargs: Mapping[str, object], words: Iterable[str]):
    """``call(**kwargs)`` raises the package's ParameterError, and its message contains every word."""
    with pytest.raises(ParameterError) as info:
        call(**kwargs)
    for word in words:
        assert word in str(info.value)


def assert_doctests_pass(module: ModuleType) -> None:
    """The module's docstring examples exist and all pass."""
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0


def assert_package_error(call: Callable[[], object], error: type[Exception], message: str) -> None:
    """``call()`` raises ``error`` (one of the package's own) matching ``message``, with no warning first."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(error, match=message) as info:
            call()
    assert isinstance(info.value, EmpathyExplorerError)


@dataclass(frozen=True)
class AffineChange:
    """A change of units and level of both signals (and, with ``sign`` -1, x turned upside down)."""

    scale_x: float
    scale_y: float
    offset_x: float
    offset_y: float
    sign: float = 1.0

    def apply(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.sign * self.scale_x * x + self.offset_x, self.scale_y * y + self.offset_y


def affine_changes(*, flips: bool = False) -> st.SearchStrategy[AffineChange]:
    """Scales from 1e-3 to 1e3 and offsets from -1e3 to 1e3 (a synchrony measure must not care)."""
    return st.builds(
        AffineChange,
        st.floats(1e-3, 1e3),
        st.floats(1e-3, 1e3),
        st.floats(-1e3, 1e3),
        st.floats(-1e3, 1e3),
        st.sampled_from([1.0, -1.0]) if flips else st.just(1.0),
    )


@st.composite
def related_pairs(
    draw: st.DrawFn, sizes: tuple[int, int], flat_lengths: tuple[int, int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Two noisy signals with a random correlation; with ``flat_lengths``, sometimes a flat stretch of
    that many samples in one of them (where a windowed correlation has no value)."""
    n = draw(st.integers(*sizes))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    x = rng.normal(size=n)
    y = draw(st.floats(-1, 1)) * x + rng.normal(size=n)
    if flat_lengths is not None and draw(st.booleans()):
        a = draw(st.integers(0, n - flat_lengths[0]))
        (x if draw(st.booleans()) else y)[a : a + draw(st.integers(*flat_lengths))] = draw(st.floats(-5, 5))
    return x, y


#: Longest a fuzzed call may take before it counts as a hang (2 shared CPU cores).
CALL_TIMEOUT_S = 5.0
_T = TypeVar("_T")


def call_checked(
    fn: Callable[..., _T], *args: object, _timeout_s: float = CALL_TIMEOUT_S, **kwargs: object
) -> _T | None:
    """Call ``fn``; return its result, or ``None`` if it raised the package's own error (with a message).

    Anything else (another exception, a RuntimeWarning, a call longer than ``_timeout_s``) fails the test,
    with the input shown by hypothesis. The fuzz tests' contract.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with time_bound(_timeout_s):
                result = fn(*args, **kwargs)
        except EmpathyExplorerError as exc:
            assert str(exc).strip(), "the package's error carries no message"
            result = None
        except Hang:
            pytest.fail(f"{getattr(fn, '__name__', fn)} hung (> {_timeout_s} s)")
    numpy_warnings = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert not numpy_warnings, (
        f"{getattr(fn, '__name__', fn)} let a RuntimeWarning escape: {numpy_warnings[0].message}"
    )
    return result
