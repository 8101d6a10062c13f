"""Notebook 05, first three methods: windowed cross-correlation, rolling correlation, concordance index.

Part of :mod:`empathy_explorer.lessons.measuring` (which re-exports every name here): each demo runs one
method of :mod:`empathy_explorer.synchrony` on a bundled example session (simulated; the simulator knows
the true coupling, lag and leader) and shows what its parameters do to the answer.

- :func:`xcorr_windows` -- windowed lagged cross-correlation (``boker2002`` in ``docs/references.bib``):
  window, step, max lag.
- :func:`rolling_r` -- lag-0 correlation in a moving window, with an optional shift of the clinician's
  recording (to look at one other lag).
- :func:`concordance` -- the skin-conductance concordance index after Marci & Orr 2006 / Marci et al. 2007
  (slopes, then correlations of slopes, then ln(Σ positive r / Σ |negative r|)).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from empathy_explorer import synchrony
from empathy_explorer.app.charts import OKABE_ITO, line_chart
from empathy_explorer.app.widgets import Demo, DemoOutput, labelled_slider
from empathy_explorer.errors import ParameterError
from empathy_explorer.lessons._page import (
    lesson_demo,
    session_and_signal,
    session_pair,
    thin_for_drawing,
    truth_text,
    two_panel_chart,
)
from empathy_explorer.synchrony.registry import METHODS as REGISTRY

__all__ = [
    "concordance",
    "concordance_demo",
    "max_lag_slider",
    "rolling_demo",
    "rolling_r",
    "window_slider",
    "xcorr_demo",
    "xcorr_windows",
]

#: Samples drawn at most per line (statistics use the full-rate recordings).
_MAX_DRAWN = 1500


def window_slider(*, low: int = 10, high: int = 120) -> Any:
    """The window length of a windowed method, s (30 s to start, in steps of 5 s)."""
    return labelled_slider("Window length", min=low, max=high, step=5, value=30, unit="s")


def max_lag_slider(*, high: int) -> Any:
    """The largest lag a windowed cross-correlation looks at, s (5 s to start)."""
    return labelled_slider("Largest lag looked at", min=1, max=high, step=1, value=5, unit="s")


def _r_over_time(res: Any, line: str) -> tuple[np.ndarray, pd.DataFrame]:
    """A method's r over the session: the full-rate values, and rows ``series`` thinned for drawing."""
    r = np.asarray(res.r, dtype=float)
    td, rd = thin_for_drawing(np.asarray(res.times_s, dtype=float), r, _MAX_DRAWN)
    return r, pd.DataFrame({"time_s": td, "r": rd, "line": line})


def _r_over_time_chart(*, title: str, subtitle: str, x_title: str, y_title: str) -> Any:
    """Line chart of the dataset ``series`` (``time_s``, ``r``): a correlation over the session."""
    return line_chart(
        "series",
        x="time_s",
        y="r",
        title=title,
        subtitle=subtitle,
        x_title=x_title,
        y_title=y_title,
        y_domain=(-1, 1),
        hline=0.0,
    )


# --------------------------------------------------------------------------------------------------
# 1. Windowed lagged cross-correlation
# --------------------------------------------------------------------------------------------------


def xcorr_windows(
    session_id: str = "warm-rapport",
    kind: str = "eda",
    window_s: float = 30.0,
    step_s: float = 5.0,
    max_lag_s: float = 5.0,
) -> DemoOutput:
    """Windowed lagged cross-correlation of one example session: peak r and peak lag per window.

    Parameters
    ----------
    session_id : str
        Bundled session id (simulated).
    kind : {"eda", "hr"}
        Signal.
    window_s, step_s, max_lag_s : float
        Window length, step between window starts and largest lag, seconds (see
        :func:`empathy_explorer.synchrony.windowed_xcorr`).

    Returns
    -------
    DemoOutput
        Datasets ``peak_r`` (``time_s``, ``value``, ``line``) and ``peak_lag`` (same columns);
        ``extra``: ``n_windows``, ``mean_peak_r``, ``sd_peak_r``, ``median_peak_lag_s``.

    Examples
    --------
    >>> short, long = xcorr_windows(window_s=20), xcorr_windows(window_s=120)
    >>> short.extra["n_windows"] > long.extra["n_windows"]
    True
    """
    x, y, fs, session = session_pair(session_id, kind)
    res = synchrony.windowed_xcorr(x, y, fs, window_s=window_s, step_s=step_s, max_lag_s=max_lag_s)
    s = res.summary()
    peak_r = pd.DataFrame({"time_s": res.times_s, "value": res.peak_r, "line": "peak r of the window"})
    peak_lag = pd.DataFrame({"time_s": res.times_s, "value": res.peak_lag_s, "line": "lag of that peak"})
    takeaway = (
        f"{res.n_windows} windows of {window_s:g} s, one every {step_s:g} s, lags ±{max_lag_s:g} s: mean "
        f"peak r = {s['mean_peak_r']:.2f} (SD {s['sd_peak_r']:.2f}), typical peak lag "
        f"{res.median_peak_lag_s:+.2f} s.{truth_text(session)}"
    )
    extra = {
        "n_windows": res.n_windows,
        "mean_peak_r": float(s["mean_peak_r"]),
        "sd_peak_r": float(s["sd_peak_r"]),
        "median_peak_lag_s": float(res.median_peak_lag_s),
    }
    return DemoOutput({"peak_r": peak_r.dropna(), "peak_lag": peak_lag.dropna()}, takeaway, extra)


def xcorr_demo() -> Demo:
    """The notebook demo: session, window, step and max-lag sliders → peak r and peak lag over time."""

    def make_chart(datasets: Mapping[str, pd.DataFrame]) -> Any:
        return two_panel_chart(
            datasets,
            title="Windowed cross-correlation: how in sync, window by window",
            subtitle="Simulated example session; each point is one window",
            left={
                "data": "peak_r",
                "x": "time_s",
                "y": "value",
                "series": "line",
                "colors": {"peak r of the window": OKABE_ITO["blue"]},
                "title": "Peak correlation in each window",
                "x_title": "Time, centre of the window (s)",
                "y_title": "Peak r (unitless)",
                "y_domain": [0, 1],
                "points": True,
            },
            right={
                "data": "peak_lag",
                "x": "time_s",
                "y": "value",
                "series": "line",
                "colors": {"lag of that peak": OKABE_ITO["vermillion"]},
                "title": "Lag of that peak (+ = clinician follows)",
                "x_title": "Time, centre of the window (s)",
                "y_title": "Peak lag (s)",
                "y_domain": [-15, 15],
                "points": True,
            },
        )

    return lesson_demo(
        xcorr_windows,
        make_chart,
        filename="windowed-xcorr",
        title="Try it: windowed cross-correlation",
        **session_and_signal(),
        window_s=window_slider(),
        step_s=labelled_slider("Step between windows", min=1, max=60, step=1, value=5, unit="s"),
        max_lag_s=max_lag_slider(high=15),
    )


# --------------------------------------------------------------------------------------------------
# 2. Rolling correlation
# --------------------------------------------------------------------------------------------------


def rolling_r(
    session_id: str = "warm-rapport", kind: str = "eda", window_s: float = 30.0, lag_s: float = 0.0
) -> DemoOutput:
    """Rolling (moving-window) lag-0 correlation, optionally after shifting the clinician's recording.

    Parameters
    ----------
    session_id, kind
        Example session and signal.
    window_s : float
        Window length, s.
    lag_s : float
        Shift, s: the patient at time t is compared with the clinician at t + ``lag_s`` (positive: the
        clinician later). Both recordings are cut to the overlap.

    Returns
    -------
    DemoOutput
        Dataset ``series`` (``time_s``, ``r``, ``line``), thinned for drawing; ``extra``: ``mean_r``,
        ``sd_r``, ``share_undefined`` (share of samples without a value: the window's edges) and
        ``roughness`` (mean absolute change of r from one second to the next).
    """
    fn = REGISTRY["rolling"].function
    x, y, fs, session = session_pair(session_id, kind)
    shift = round(lag_s * fs)
    if abs(shift) >= len(x) // 2:
        raise ParameterError("The shift must be shorter than half the session.")
    if shift > 0:
        x, y = x[:-shift], y[shift:]
    elif shift < 0:
        x, y = x[-shift:], y[:shift]
    res = fn(x, y, fs, window_s=window_s)
    r, frame = _r_over_time(res, f"r in a {window_s:g}-s window")
    valid = r[np.isfinite(r)]
    step = max(1, round(fs))
    per_second = r[::step]
    rough = float(np.nanmean(np.abs(np.diff(per_second)))) if valid.size > 2 * step else math.nan
    share_undefined = float(1.0 - valid.size / r.size)
    takeaway = (
        f"With a {window_s:g}-s window and the clinician shifted by {lag_s:+g} s, r runs from "
        f"{np.min(valid):.2f} to {np.max(valid):.2f} (mean {np.mean(valid):.2f}, SD {np.std(valid):.2f}); "
        f"{share_undefined:.0%} of the session has no value (half a window at each end)."
        f"{truth_text(session)}"
    )
    extra = {
        "mean_r": float(np.mean(valid)),
        "sd_r": float(np.std(valid)),
        "share_undefined": share_undefined,
        "roughness": rough,
    }
    return DemoOutput({"series": frame}, takeaway, extra)


def rolling_demo() -> Demo:
    """The notebook demo: session, window and shift → rolling r over time."""
    return lesson_demo(
        rolling_r,
        _r_over_time_chart(
            title="Rolling correlation: one r for every moment",
            subtitle="Simulated example session; no value where the window sticks out of the session",
            x_title="Time, centre of the window (s)",
            y_title="Correlation r (unitless)",
        ),
        filename="rolling-correlation",
        title="Try it: rolling correlation",
        **session_and_signal(),
        window_s=window_slider(low=5, high=180),
        lag_s=labelled_slider(
            "Shift the clinician's recording (+ = compare with later)",
            min=-10,
            max=10,
            step=0.5,
            value=0,
            unit="s",
        ),
    )


# --------------------------------------------------------------------------------------------------
# 3. Concordance index (Marci)
# --------------------------------------------------------------------------------------------------


def concordance(
    session_id: str = "warm-rapport",
    kind: str = "eda",
    slope_window_s: float = 5.0,
    corr_window_s: float = 15.0,
) -> DemoOutput:
    """The concordance index of one example session and the correlations of slopes behind it.

    Returns
    -------
    DemoOutput
        Dataset ``series`` (``time_s``, ``r``, ``line``); ``extra``: ``index``, ``n_positive``,
        ``n_negative`` (how many slope correlations are above / below 0) and ``n_r``.
    """
    fn = REGISTRY["concordance"].function
    x, y, fs, session = session_pair(session_id, kind)
    res = fn(x, y, fs, slope_window_s=slope_window_s, corr_window_s=corr_window_s)
    r, frame = _r_over_time(res, "correlation of slopes")
    index = float(res.index)
    pos, neg = int(np.sum(r > 0)), int(np.sum(r < 0))
    if math.isnan(index):
        reading = "undefined (no positive and no negative correlations)"
    elif index > 0:
        reading = f"positive: moving-together outweighs moving-apart by {math.exp(index):.1f} to 1"
    elif index < 0:
        reading = f"negative: moving-apart outweighs moving-together by {math.exp(-index):.1f} to 1"
    else:
        reading = "zero: together and apart balance"
    takeaway = (
        f"Concordance index = {index:.2f}, {reading} ({pos} positive and {neg} negative correlations of "
        f"{slope_window_s:g}-s slopes over {corr_window_s:g}-s stretches).{truth_text(session)}"
    )
    extra = {"index": index, "n_positive": pos, "n_negative": neg, "n_r": int(np.isfinite(r).sum())}
    return DemoOutput({"series": frame}, takeaway, extra)


def concordance_demo() -> Demo:
    """The notebook demo: session, slope window and correlation window → slope correlations and index."""
    return lesson_demo(
        concordance,
        _r_over_time_chart(
            title="Concordance: do the two slopes rise and fall together?",
            subtitle="Simulated example session; the index compares the area above 0 with the area below",
            x_title="Time (s)",
            y_title="Correlation of slopes r (unitless)",
        ),
        filename="concordance",
        title="Try it: the concordance index",
        **session_and_signal(),
        slope_window_s=labelled_slider("Slope window", min=2, max=20, step=1, value=5, unit="s"),
        corr_window_s=labelled_slider("Correlation window", min=5, max=60, step=1, value=15, unit="s"),
    )
