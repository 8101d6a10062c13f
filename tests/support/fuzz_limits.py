"""Bounds shared by the fuzz tests (``tests/recordings/test_fuzz.py``, ``tests/synchrony/test_fuzz.py``).

Not a test module: pytest collects ``test_*.py`` only; the fuzz tests import it from this folder.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

from hypothesis import HealthCheck, settings


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
