"""Physiological synchrony between two people: one module per method, all re-exported here.

- :func:`windowed_xcorr` (:mod:`.xcorr`) -- windowed lagged cross-correlation with peak picking
  (Boker et al. 2002).
"""

from empathy_explorer.synchrony.surrogate import SurrogateResult, pseudo_pairs, surrogate_test
from empathy_explorer.synchrony.xcorr import WindowedXcorrResult, pick_peaks, windowed_xcorr

__all__ = [
    "SurrogateResult",
    "WindowedXcorrResult",
    "pick_peaks",
    "pseudo_pairs",
    "surrogate_test",
    "windowed_xcorr",
]
