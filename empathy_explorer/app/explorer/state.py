"""What the session explorer shows, as data: the user's settings and the numbers behind the figure.

Everything about a method (its engine function, series over time, headline number, extra numbers) comes
from the method registry, :mod:`empathy_explorer.synchrony.registry`; this module only gathers it for one
session, signal, method and slider setting.

References
----------
Boker, S. M., Xu, M., Rotondo, J. L., & King, K. (2002). Windowed cross-correlation and peak picking for the
analysis of variability in the association between behavioral time series. Psychological Methods, 7(3),
338–355. https://doi.org/10.1037/1082-989X.7.3.338

Marci, C. D., Ham, J., Moran, E., & Orr, S. P. (2007). Physiologic correlates of perceived therapist empathy
and social-emotional process during psychotherapy. J Nerv Ment Dis, 195(2), 103–111.
https://doi.org/10.1097/01.nmd.0000253731.71025.fc
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from empathy_explorer.sessions.session import Session
from empathy_explorer.synchrony import registry
from empathy_explorer.synchrony.xcorr import lag_profile

__all__ = ["METHODS", "SURROGATE_METHODS", "Settings", "SyncView", "compute_view", "headline_statistic"]

#: Method key -> registry entry (:mod:`empathy_explorer.synchrony.registry`): the methods this page offers.
METHODS = registry.METHODS

#: Surrogate method key -> label (names follow :func:`empathy_explorer.synchrony.surrogate_test`).
SURROGATE_METHODS: dict[str, str] = {
    "circular_shift": "Shift one person in time (circular shift)",
    "segment_shuffle": "Shuffle one person's segments",
    "phase_randomize": "Randomise one person's phases",
}


@dataclass(frozen=True)
class SyncView:
    """What the page shows for one session, signal, method and slider setting (all from full-rate data).

    Attributes
    ----------
    times_s, values : numpy.ndarray
        The synchrony over time (per window or per sample), in seconds and method units.
    lags_s, lag_r : numpy.ndarray
        The lag profile: mean cross-correlation across windows at each lag.
    summary : dict of str to float
        Session-level numbers; the first one is the method's headline number (the one the surrogate test
        uses).
    table : pandas.DataFrame
        The numbers over time, for CSV export.
    """

    times_s: np.ndarray
    values: np.ndarray
    lags_s: np.ndarray
    lag_r: np.ndarray
    summary: dict[str, float] = field(default_factory=dict)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def headline(self) -> tuple[str, float]:
        """The method's main number (name, value)."""
        return next(iter(self.summary.items()), ("synchrony", float("nan")))

    @property
    def peak(self) -> tuple[float, float]:
        """The lag profile's highest mean r: (lag in s, mean r); NaNs when no lag has a finite r."""
        if not np.isfinite(self.lag_r).any():
            return float("nan"), float("nan")
        i = int(np.nanargmax(self.lag_r))
        return float(self.lags_s[i]), float(self.lag_r[i])


@dataclass(frozen=True)
class Settings:
    """A consistent snapshot of what the user asked for.

    Attributes
    ----------
    gen : int
        The request's number: a result whose number is not the page's latest is thrown away.
    key : str
        The session's key in the picker.
    session : Session
    kind : str
        Signal kind (``"eda"``, ``"hr"``).
    method : str
        Key of :data:`METHODS`.
    params : mapping of str to float
        The slider settings (``window_s``, ``step_s``, ``max_lag_s``).
    """

    gen: int
    key: str
    session: Session
    kind: str
    method: str
    params: Mapping[str, float]

    @property
    def chart_key(self) -> tuple[str, str, str]:
        """What the drawn chart depends on (a change replaces the chart; a slider step does not)."""
        return (self.key, self.kind, self.method)

    def statistic(self) -> Callable[[np.ndarray, np.ndarray], float]:
        """The method's headline number as ``stat(x, y)`` with these settings (for surrogate tests)."""
        return headline_statistic(self.method, self.session.fs, **self.params)

    def view(self) -> SyncView:
        """The numbers for these settings (see :func:`compute_view`)."""
        x, y = self.session.pair(self.kind)
        return compute_view(x, y, self.session.fs, self.method, **self.params)


def headline_statistic(
    method: str, fs: float, *, window_s: float, step_s: float, max_lag_s: float
) -> Callable[[np.ndarray, np.ndarray], float]:
    """The method's headline number as a two-argument statistic, for the surrogate test.

    Parameters
    ----------
    method : str
        A key of :data:`METHODS`.
    fs : float
        Sampling rate in Hz.
    window_s, step_s, max_lag_s : float
        The slider settings, in seconds.

    Returns
    -------
    callable
        ``statistic(x, y) -> float``: mean peak r (``"wcc"``), mean r (``"rolling"``), the concordance
        index (``"concordance"``) or the phase-locking value (``"phase"``). It equals the first entry of
        :attr:`SyncView.summary` for the same settings.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=1200)
    >>> stat = headline_statistic("wcc", 4.0, window_s=30, step_s=5, max_lag_s=2)
    >>> round(stat(x, x), 3)
    1.0
    """
    return registry.get_method(method).statistic(fs, window_s=window_s, step_s=step_s, max_lag_s=max_lag_s)


def compute_view(
    x: np.ndarray, y: np.ndarray, fs: float, method: str, *, window_s: float, step_s: float, max_lag_s: float
) -> SyncView:
    """Run one synchrony method on the full-rate pair and gather what the explorer shows.

    Parameters
    ----------
    x, y : numpy.ndarray
        Patient and clinician signals at ``fs`` Hz.
    fs : float
        Sampling rate in Hz.
    method : {"wcc", "rolling", "concordance", "phase"}
        See :data:`METHODS`.
    window_s, step_s, max_lag_s : float
        Window length, window step and largest lag in seconds. The lag profile always comes from the
        windowed cross-correlation with these settings.

    Returns
    -------
    SyncView

    Raises
    ------
    InputError, ParameterError
        Settings that do not fit the recording (e.g. a window longer than the recording), or a method
        not available.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=2400)
    >>> v = compute_view(x, np.roll(x, 8), 4.0, "wcc", window_s=30, step_s=5, max_lag_s=5)
    >>> float(v.lags_s[np.nanargmax(v.lag_r)])
    2.0

    References
    ----------
    Boker et al. (2002), https://doi.org/10.1037/1082-989X.7.3.338 (windowed cross-correlation);
    Marci et al. (2007), https://doi.org/10.1097/01.nmd.0000253731.71025.fc (concordance).
    """
    spec = registry.get_method(method)
    settings = {"window_s": window_s, "step_s": step_s, "max_lag_s": max_lag_s}
    profile_method = registry.METHODS["wcc"]  # the lag profile is the windowed cross-correlation's
    wcc = profile_method.compute(x, y, fs, **settings)
    profile = lag_profile(wcc)
    res = wcc if spec is profile_method else spec.compute(x, y, fs, **settings)
    columns = {name: np.asarray(values, dtype=float) for name, values in spec.series(res, settings).items()}
    times, values = list(columns.values())[:2]
    summary = {
        spec.headline_name: spec.headline(res),
        **spec.extras(res, profile),
        "median lag at the peak (s)": profile.median_peak_lag_s,
        "windows": float(profile.n_windows),
    }
    return SyncView(times, values, profile.lags_s, profile.mean_r, summary, pd.DataFrame(columns))
