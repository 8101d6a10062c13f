"""Physiological synchrony between two people: one module per method, all re-exported here.

- :func:`windowed_xcorr` (:mod:`.xcorr`) -- windowed lagged cross-correlation with peak picking
  (Boker et al. 2002).
"""

from empathy_explorer.synchrony.xcorr import WindowedXcorrResult, pick_peaks, windowed_xcorr

__all__ = ["WindowedXcorrResult", "pick_peaks", "windowed_xcorr"]
