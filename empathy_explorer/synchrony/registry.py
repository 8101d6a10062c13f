"""The synchrony methods in one table: what each computes, its parameters, series, lag profile and headline.

Every page that offers a choice of methods (the session explorer, notebook 05, ``make bench``, the fuzz
tests) reads :data:`METHODS` instead of keeping its own list, so adding a method is one engine module, one
:class:`Method` entry here and its tests (see ``CONTRIBUTING.md``).

Settings are given by the names of the shared sliders, :data:`SLIDERS` (``window_s``, ``step_s``,
``max_lag_s``); each :class:`Parameter` says which slider sets which keyword of the engine function.

Examples
--------
>>> import numpy as np
>>> from empathy_explorer.synchrony.registry import METHODS
>>> rng = np.random.default_rng(0)
>>> x = rng.normal(size=1200)
>>> wcc = METHODS["wcc"]
>>> res = wcc.compute(x, x, 4.0, window_s=30, step_s=5, max_lag_s=2)
>>> round(wcc.headline(res), 3), wcc.headline_name
(1.0, 'mean peak r')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from empathy_explorer.errors import InputError
from empathy_explorer.synchrony._common import nanmean_quiet
from empathy_explorer.synchrony.concordance import concordance_index
from empathy_explorer.synchrony.phase import PhaseSynchronyResult, phase_synchrony, windowed_plv
from empathy_explorer.synchrony.rolling import rolling_correlation
from empathy_explorer.synchrony.xcorr import LagProfile, lag_profile, windowed_xcorr

__all__ = [
    "METHODS",
    "PHASE_BAND_HZ",
    "SLIDERS",
    "Method",
    "Parameter",
    "get_method",
    "lag_profile_of",
]

#: Frequency band (Hz) of phase synchrony on the app pages: slow changes, one cycle every 10–50 s.
PHASE_BAND_HZ = (0.02, 0.1)

#: Series columns: ``time_s`` first, then the plotted values, then any extra column for the CSV export.
Columns = dict[str, np.ndarray]


@dataclass(frozen=True)
class Parameter:
    """One setting of the shared sliders (``slider``) and the engine keyword it sets (``keyword``).

    ``keyword`` is ``None`` when the setting shapes only the series over time, not the engine call
    (e.g. the moving window of the phase-locking value).
    """

    slider: str
    label: str
    unit: str
    low: float
    high: float
    default: float
    step: float
    tooltip: str = ""
    keyword: str | None = None

    def with_default(self, default: float, keyword: str | None) -> Parameter:
        """The same slider with a method's own default and engine keyword."""
        return Parameter(
            self.slider, self.label, self.unit, self.low, self.high, default, self.step, self.tooltip, keyword
        )


#: The shared sliders of the app pages, by name: range, step and the default before a method is chosen.
SLIDERS: Mapping[str, Parameter] = MappingProxyType(
    {
        "window_s": Parameter(
            "window_s", "Window (s)", "s", 5.0, 120.0, 30.0, 5.0,
            "Length of each window in which the two signals are correlated",
        ),
        "step_s": Parameter(
            "step_s", "Step (s)", "s", 1.0, 30.0, 5.0, 1.0, "How far the window moves each time"
        ),
        "max_lag_s": Parameter(
            "max_lag_s", "Largest lag (s)", "s", 0.0, 20.0, 5.0, 0.5,
            "Largest time shift between the two people that is tried",
        ),
    }
)  # fmt: skip


def _uses(*pairs: tuple[str, float, str | None]) -> tuple[Parameter, ...]:
    """(slider, default, engine keyword) -> the method's parameters."""
    return tuple(SLIDERS[name].with_default(default, keyword) for name, default, keyword in pairs)


def _strength(r: float) -> str:
    """A correlation in words: weak (|r| < 0.2), moderate (< 0.5) or strong."""
    return "weak" if abs(r) < 0.2 else "moderate" if abs(r) < 0.5 else "strong"


@dataclass(frozen=True)
class Method:
    """One synchrony method: how to run it and how to read its result.

    Attributes
    ----------
    key : str
        Short name used by the pages (``"wcc"``, ``"rolling"``, ...).
    display_name : str
        What the method picker shows.
    function : callable
        The engine function, ``function(x, y, fs, **keywords)``.
    parameters : tuple of Parameter
        The sliders this method uses, with its defaults.
    value_label : str
        Axis title of its series over time.
    value_range : tuple of float
        Axis range of that series.
    headline_name : str
        Name of its headline number (the one a surrogate test uses).
    description : str
        One sentence for the page: what the method computes.
    series : callable
        ``series(result, settings) -> {"time_s": ..., <values>: ..., ...}``.
    headline : callable
        ``headline(result) -> float``.
    extras : callable
        ``extras(result, lag_profile) -> {name: value}``: more session-level numbers, after the headline.
    reading : callable
        ``reading(headline) -> str``: how to read a headline value, in a few plain words (default: a
        correlation called weak, moderate or strong).
    value_note : str
        One line under the series' title: what its values mean.
    fixed : mapping
        Engine keywords not set by a slider (e.g. the phase band).
    """

    key: str
    display_name: str
    function: Callable[..., Any]
    parameters: tuple[Parameter, ...]
    value_label: str
    value_range: tuple[float, float]
    headline_name: str
    description: str
    series: Callable[[Any, Mapping[str, float]], Columns]
    headline: Callable[[Any], float]
    extras: Callable[[Any, LagProfile], dict[str, float]] = field(default=lambda _res, _prof: {})
    reading: Callable[[float], str] = field(default=_strength)
    value_note: str = "+1: in step, 0: unrelated, −1: opposite."
    fixed: Mapping[str, Any] = field(default_factory=dict)

    @property
    def sliders(self) -> tuple[str, ...]:
        """Names of the sliders this method uses."""
        return tuple(p.slider for p in self.parameters)

    def default(self, slider: str) -> float:
        """This method's default for one slider (the shared default when the method does not use it)."""
        for p in self.parameters:
            if p.slider == slider:
                return p.default
        return SLIDERS[slider].default

    def compute(self, x: object, y: object, fs: float, **settings: float) -> Any:
        """Run the engine function with the slider ``settings`` (missing ones take this method's default)."""
        keywords = {p.keyword: settings.get(p.slider, p.default) for p in self.parameters if p.keyword}
        return self.function(x, y, fs, **keywords, **self.fixed)

    def statistic(self, fs: float, **settings: float) -> Callable[[np.ndarray, np.ndarray], float]:
        """The headline number as a two-argument statistic ``stat(x, y)``, for surrogate tests."""
        return lambda a, b: self.headline(self.compute(a, b, fs, **settings))


def lag_profile_of(x: object, y: object, fs: float, **settings: float) -> LagProfile:
    """The lag profile every method shows next to its series: windowed cross-correlation with the sliders.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=2400)
    >>> prof = lag_profile_of(x, np.roll(x, 8), 4.0, window_s=30, step_s=5, max_lag_s=5)
    >>> float(prof.lags_s[np.nanargmax(prof.mean_r)])
    2.0
    """
    return lag_profile(METHODS["wcc"].compute(x, y, fs, **settings))


def _phase_series(res: PhaseSynchronyResult, settings: Mapping[str, float]) -> Columns:
    window_s = settings.get("window_s", METHODS["phase"].default("window_s"))
    return {"time_s": res.times_s, "plv_window": windowed_plv(res.phase_diff, res.fs, window_s)}


def _lagged(_res: object, prof: LagProfile) -> dict[str, float]:
    return {"mean peak r (lagged)": prof.mean_peak_r}


#: Method key -> :class:`Method`, in the order the pages offer them.
METHODS: Mapping[str, Method] = MappingProxyType(
    {
        "wcc": Method(
            key="wcc",
            display_name="Windowed cross-correlation (peak r)",
            function=windowed_xcorr,
            parameters=_uses(
                ("window_s", 30.0, "window_s"), ("step_s", 5.0, "step_s"), ("max_lag_s", 5.0, "max_lag_s")
            ),
            value_label="Peak r",
            value_range=(-1.0, 1.0),
            headline_name="mean peak r",
            description="In each window the correlation is tried at every delay up to the largest lag, and "
            "the peak nearest lag 0 is kept (Boker et al. 2002).",
            series=lambda res, _settings: {
                "time_s": res.times_s,
                "peak_r": res.peak_r,
                "peak_lag_s": res.peak_lag_s,
            },
            headline=lambda res: float(res.mean_peak_r),
        ),
        "rolling": Method(
            key="rolling",
            display_name="Rolling correlation (r at lag 0)",
            function=rolling_correlation,
            parameters=_uses(("window_s", 30.0, "window_s")),
            value_label="r",
            value_range=(-1.0, 1.0),
            headline_name="mean r",
            description="Pearson r in a window centred on each sample, with no delay allowed between the "
            "two people.",
            series=lambda res, _settings: {"time_s": res.times_s, "r": res.r},
            headline=lambda res: nanmean_quiet(np.asarray(res.r, dtype=float)),
            extras=_lagged,
        ),
        "concordance": Method(
            key="concordance",
            display_name="Concordance (Marci et al. 2007)",
            function=concordance_index,
            parameters=_uses(("window_s", 15.0, "corr_window_s")),
            value_label="r of slopes",
            value_range=(-1.0, 1.0),
            headline_name="concordance index",
            description="Marci's recipe as rebuilt in this package: 1-second means, slopes over 5 s, r of "
            "the slopes in each window; index = ln(sum of positive r / sum of |negative r|), above 0 when "
            "arousal mostly rises and falls together.",
            series=lambda res, _settings: {"time_s": res.times_s, "r_slopes": res.r},
            headline=lambda res: float(res.index),
            extras=lambda res, _prof: {"mean r of slopes": nanmean_quiet(np.asarray(res.r, dtype=float))},
            reading=lambda index: (
                ("more positive than negative" if index > 0 else "not mostly positive")
                + " slope correlations"
            ),
        ),
        "phase": Method(
            key="phase",
            display_name="Phase synchrony (phase-locking value, 0.02–0.1 Hz)",
            function=phase_synchrony,
            parameters=_uses(("window_s", 60.0, None)),
            value_label="Phase-locking value",
            value_range=(0.0, 1.0),
            headline_name="phase-locking value",
            description="Rhythms of 10–50 s (0.02–0.1 Hz) are kept and their phases compared: 1 when the "
            "delay between them stays the same, 0 when it wanders. Over time: the same in a moving window.",
            series=_phase_series,
            headline=lambda res: float(res.plv),
            extras=_lagged,
            reading=lambda _plv: "0: no consistent delay between the rhythms, 1: a fixed one",
            value_note="Moving window: 1 = the rhythms keep a fixed delay, 0 = no consistent delay.",
            fixed=MappingProxyType({"band": PHASE_BAND_HZ}),
        ),
    }
)


def get_method(key: str) -> Method:
    """The registry entry for ``key``; :class:`~empathy_explorer.errors.InputError` naming the valid keys.

    Examples
    --------
    >>> get_method("phase").display_name
    'Phase synchrony (phase-locking value, 0.02–0.1 Hz)'
    """
    if key not in METHODS:
        raise InputError(f"Unknown method {key!r}; choose one of {', '.join(METHODS)}.")
    return METHODS[key]
