"""Phase synchrony: do two people's rhythms (e.g. breathing, slow heart-rate waves) keep in step?

Both recordings are band-pass filtered around the rhythm of interest (zero-phase Butterworth, forward
and backward so no time shift), the Hilbert transform gives each one's instantaneous phase, and the
phase-locking value (PLV) measures how constant their phase difference is over the recording: 1 when
one rhythm always runs the same fraction of a cycle ahead of the other, near 0 when the difference
wanders at random. PLV says nothing about amplitude and is 1 for a fixed lag of any size.

References
----------
Lachaux, J.-P., Rodriguez, E., Martinerie, J., & Varela, F. J. (1999). Measuring phase synchrony in
brain signals. Human Brain Mapping, 8(4), 194–208.
https://doi.org/10.1002/(SICI)1097-0193(1999)8:4<194::AID-HBM4>3.0.CO;2-C
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import fft as _fft

from empathy_explorer.errors import ParameterError
from empathy_explorer.preprocess import bandpass
from empathy_explorer.synchrony._common import require_varying, unit_scaled, with_pair_parameters
from empathy_explorer.validation import (
    ReadOnlyArrays,
    as_band,
    as_duration_s,
    as_fs,
    as_signal,
    as_signal_pair,
)

__all__ = [
    "FILTER_ORDER",
    "PhaseSynchronyResult",
    "hilbert_imag",
    "phase_synchrony",
    "windowed_plv",
]

#: Butterworth order of each pass of the band-pass filter.
FILTER_ORDER = 4


@dataclass(frozen=True)
class PhaseSynchronyResult(ReadOnlyArrays):
    """Phase-locking of two band-passed recordings.

    Attributes
    ----------
    plv : float
        Phase-locking value ``|mean(exp(i Δφ))|``, from 0 (no locking) to 1 (constant phase difference).
    phase_diff : numpy.ndarray
        Instantaneous phase difference ``φx − φy`` per sample, radians, wrapped to (−π, π]; positive when
        x's rhythm runs ahead of y's.
    times_s : numpy.ndarray
        Time of each sample, seconds.
    band : tuple of float
        The pass band (low, high), Hz.
    fs : float
        Sampling rate, Hz.
    """

    plv: float
    phase_diff: np.ndarray
    times_s: np.ndarray
    band: tuple[float, float]
    fs: float

    @property
    def mean_phase_diff(self) -> float:
        """Direction of the mean phase-difference vector, radians (NaN when plv is 0)."""
        z = np.exp(1j * self.phase_diff).mean()
        return float(np.angle(z)) if abs(z) > 0 else math.nan

    @property
    def sync(self) -> np.ndarray:
        """Instantaneous synchrony ``1 − |sin(Δφ / 2)|`` per sample (1 in phase, 0 in anti-phase)."""
        return 1.0 - np.abs(np.sin(self.phase_diff / 2.0))

    def to_frame(self) -> pd.DataFrame:
        """One row per sample: time_s, phase_diff_rad, sync."""
        return pd.DataFrame({"time_s": self.times_s, "phase_diff_rad": self.phase_diff, "sync": self.sync})


def hilbert_imag(values: np.ndarray) -> np.ndarray:
    """Imaginary part of the analytic signal (the Hilbert transform) of a real recording.

    The same analytic signal as :func:`scipy.signal.hilbert` (whose real part is the signal itself),
    computed with a real FFT so that no complex array of the recording's length is needed.
    """
    n = values.size
    spec = _fft.rfft(values)
    spec *= -1j
    spec[0] = 0.0
    if n % 2 == 0:
        spec[-1] = 0.0  # the Nyquist bin has no phase to shift
    return _fft.irfft(spec, n)


@with_pair_parameters
def phase_synchrony(x: object, y: object, fs: float, *, band: tuple[float, float]) -> PhaseSynchronyResult:
    """Phase-locking value (PLV) of two recordings in a frequency band.

    Steps: zero-phase Butterworth band-pass of each recording (order 4, forward and backward:
    :func:`empathy_explorer.preprocess.bandpass`), instantaneous phase from the Hilbert transform
    (``scipy.signal.hilbert``), phase difference ``Δφ = φx − φy`` and ``PLV = |mean(exp(i Δφ))|``
    (Lachaux et al. 1999), averaged over the whole recording (the filter's edges included).

    Parameters
    ----------
    {pair_parameters}
    band : tuple of float
        Pass band (low, high) in Hz, with ``0 < low < high < fs / 2``; e.g. (0.15, 0.4) for breathing,
        (0.04, 0.15) for slow heart-rate waves.

    Returns
    -------
    PhaseSynchronyResult
        ``.plv``, the per-sample ``.phase_diff`` (radians), ``.times_s`` and ``.to_frame()``.

    Raises
    ------
    InputError
        Bad signals or ``fs``, a constant recording, or one too short for the filter or for one cycle of
        the band's lowest frequency.
    ParameterError
        A band that is not two frequencies with ``0 < low < high < fs / 2``.

    Examples
    --------
    >>> t = np.arange(0, 120, 1 / 8)
    >>> x = np.sin(2 * np.pi * 0.25 * t)
    >>> y = np.sin(2 * np.pi * 0.25 * t - 1.0)  # same rhythm, a constant 1 rad behind
    >>> res = phase_synchrony(x, y, fs=8.0, band=(0.15, 0.4))
    >>> round(res.plv, 1), round(res.mean_phase_diff, 1)  # edges of the filter cost a little
    (1.0, 1.0)

    References
    ----------
    Lachaux, J.-P., Rodriguez, E., Martinerie, J., & Varela, F. J. (1999). Measuring phase synchrony in
    brain signals. Human Brain Mapping, 8(4), 194–208.
    https://doi.org/10.1002/(SICI)1097-0193(1999)8:4<194::AID-HBM4>3.0.CO;2-C
    """
    fs = as_fs(fs)
    xa, ya = as_signal_pair(x, y)
    band = as_band(band, fs)
    require_varying(xa, "x")
    require_varying(ya, "y")
    n = xa.size
    # Analytic signals a + i·b, kept as real pairs (half the memory of complex arrays).
    ax = bandpass(unit_scaled(xa), fs, band, order=FILTER_ORDER)
    del xa
    bx = hilbert_imag(ax)
    ay = bandpass(unit_scaled(ya), fs, band, order=FILTER_ORDER)
    del ya
    by = hilbert_imag(ay)
    # φx − φy = angle(zx · conj(zy)), wrapped to (−π, π] by arctan2.
    phase_diff = np.arctan2(bx * ay - ax * by, ax * ay + bx * by)
    del ax, bx, ay, by
    plv = float(np.hypot(np.cos(phase_diff).mean(), np.sin(phase_diff).mean()))
    return PhaseSynchronyResult(
        plv=min(plv, 1.0),
        phase_diff=phase_diff,
        times_s=np.arange(n) / fs,
        band=band,
        fs=fs,
    )


def windowed_plv(phase_diff: object, fs: float, window_s: float) -> np.ndarray:
    """Phase-locking value over time: ``|mean(exp(i Δφ))|`` in a moving window centred on each sample.

    From cumulative sums of the unit phasors (no loop over windows).

    Parameters
    ----------
    phase_diff : array_like
        Per-sample phase difference in radians, e.g. :attr:`PhaseSynchronyResult.phase_diff`.
    fs : float
        Sampling rate, Hz.
    window_s : float
        Window length in seconds (``round(window_s * fs)`` samples, at least 1).

    Returns
    -------
    numpy.ndarray
        One value per sample in [0, 1]; NaN near the two ends, where a centred window does not fit.

    Raises
    ------
    ParameterError
        A window longer than the recording.

    Examples
    --------
    >>> plv = windowed_plv(np.full(80, 0.7), fs=8.0, window_s=2.0)
    >>> round(float(np.nanmin(plv)), 6), int(np.isnan(plv).sum())
    (1.0, 15)

    References
    ----------
    Lachaux et al. (1999), https://doi.org/10.1002/(SICI)1097-0193(1999)8:4<194::AID-HBM4>3.0.CO;2-C
    """
    fs = as_fs(fs)
    window_s = as_duration_s(window_s, "window_s", meaning="the moving window of the phase-locking value")
    dphi = as_signal(phase_diff, "phase_diff")
    n = dphi.size
    w = max(1, round(window_s * fs))
    if w > n:
        raise ParameterError(
            f"The window ({window_s:g} s) is longer than the recording ({n / fs:g} s); "
            "choose a shorter window."
        )
    csum = np.concatenate(([0.0 + 0.0j], np.cumsum(np.exp(1j * dphi))))
    local = np.minimum(np.abs(csum[w:] - csum[:-w]) / w, 1.0)
    out = np.full(n, np.nan)
    out[w // 2 : w // 2 + local.size] = local
    return out
