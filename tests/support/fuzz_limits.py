"""Bounds shared by the fuzz tests (``tests/recordings/test_fuzz.py``, ``tests/synchrony/test_fuzz.py``).

Not a test module: pytest collects ``test_*.py`` only; the fuzz tests import it from this folder.
"""

from __future__ import annotations

import contextlib
import signal
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from empathy_explorer.errors import EmpathyExplorerError


class Hang(Exception):
    """A call ran past its time bound."""


@contextlib.contextmanager
def time_bound(seconds: float) -> Iterator[None]:
    """Raise :class:`Hang` inside the block if it runs longer than ``seconds`` (SIGALRM, main thread)."""

    def _alarm(signum, frame):
        raise Hang(f"call did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fuzz_settings(max_examples: int) -> settings:
    """Hypothesis settings of the fuzz tests: reproducible (derandomised, no database), no deadline."""
    return settings(
        derandomize=True,
        database=None,
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


def call_checked(fn: Callable[..., Any], *args: Any, _timeout_s: float = 5.0, **kwargs: Any) -> Any:
    """Call ``fn``; return its result, or ``None`` if it raised the package's own error.

    Anything else (another exception, a RuntimeWarning, a hang past ``_timeout_s``) fails the test with
    the input shown by hypothesis.
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
            pytest.fail(f"{fn.__name__} hung (> {_timeout_s} s)")
    numpy_warnings = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert not numpy_warnings, f"{fn.__name__} let a RuntimeWarning escape: {numpy_warnings[0].message}"
    return result
