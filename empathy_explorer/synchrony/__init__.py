"""Physiological synchrony between two people: one module per method, all re-exported here.

Every function takes two equal-length 1-D recordings ``x`` (first partner, e.g. patient) and ``y``
(second partner, e.g. clinician) and a sampling rate ``fs`` in Hz, and returns a small frozen result with
a ``to_frame()`` for charts. Bad input raises the package's own errors with a plain message.

- :func:`windowed_xcorr` (:mod:`.xcorr`) -- windowed lagged cross-correlation with peak picking
  (Boker et al. 2002): who follows whom, window by window.
- :func:`pick_peaks` (:mod:`.xcorr`) -- the peak nearest lag 0 of each window's lag profile.
- :func:`rolling_correlation` (:mod:`.rolling`) -- lag-0 Pearson r in a window centred on each sample.
- :func:`concordance_index` (:mod:`.concordance`) -- skin-conductance concordance of Marci & Orr (2006)
  and Marci et al. (2007): correlations of moving slopes and their log ratio.
- :func:`phase_synchrony` (:mod:`.phase`) -- band-pass, Hilbert phases and the phase-locking value
  (Lachaux et al. 1999).
- :func:`surrogate_test` and :func:`pseudo_pairs` (:mod:`.surrogate`) -- is the synchrony more than chance?
  (surrogate and between-dyad null distributions).
"""

from empathy_explorer.synchrony.concordance import ConcordanceResult, concordance_index
from empathy_explorer.synchrony.phase import PhaseSynchronyResult, phase_synchrony
from empathy_explorer.synchrony.rolling import RollingCorrelationResult, rolling_correlation
from empathy_explorer.synchrony.surrogate import SurrogateResult, pseudo_pairs, surrogate_test
from empathy_explorer.synchrony.xcorr import WindowedXcorrResult, pick_peaks, windowed_xcorr

__all__ = [
    "ConcordanceResult",
    "PhaseSynchronyResult",
    "RollingCorrelationResult",
    "SurrogateResult",
    "WindowedXcorrResult",
    "concordance_index",
    "phase_synchrony",
    "pick_peaks",
    "pseudo_pairs",
    "rolling_correlation",
    "surrogate_test",
    "windowed_xcorr",
]
