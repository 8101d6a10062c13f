"""Small checks shared by many test files (one copy instead of one per file)."""

from __future__ import annotations

import doctest
import time
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType

import numpy as np
import pytest

from empathy_explorer.errors import ParameterError


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
    failures, tried = doctest.testmod(module)
    assert tried > 0 and failures == 0
