"""Heavy imports made on first use, one copy for the whole package."""

from __future__ import annotations

from types import ModuleType


def scipy_signal() -> ModuleType:
    """``scipy.signal``, imported on first use.

    Importing it also loads ``scipy.stats`` (≈ 45 MB and ≈ 0.5 s in every kernel), which pages that never
    filter or simulate (e.g. the session explorer on its default method) should not pay for.
    """
    from scipy import signal

    return signal
