"""Fixtures shared by the whole suite.

The suite mirrors the package: ``tests/<subpackage>/`` tests ``empathy_explorer/<subpackage>/``
(``core/`` the top-level modules, ``app/`` the widgets, charts and serving, ``docs/`` and ``notebooks/``
the prose and pages, ``browser/`` the app in Chromium). Helpers that are not fixtures live in
``tests/support/`` (``checks``, ``paths``, ``fuzz_limits``, ``app_process``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest


@pytest.fixture
def warnings_as_errors() -> Iterator[None]:
    """Any warning inside the test fails it.

    Use: ``pytestmark = pytest.mark.usefixtures("warnings_as_errors")``.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
