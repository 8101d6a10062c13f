"""Demos for notebook 05, "Measuring synchrony": every method of :mod:`empathy_explorer.synchrony`.

Each demo runs one method on the bundled example sessions (all **simulated**; the simulator knows the
true coupling, lag and leader) and shows what its parameters do to the answer:

- :func:`xcorr_windows` -- windowed lagged cross-correlation (Boker et al. 2002): window, step, max lag.
- :func:`rolling_r` -- lag-0 correlation in a moving window, with an optional shift of the clinician's
  recording (to look at one other lag).
- :func:`concordance` -- the skin-conductance concordance index after Marci & Orr 2006 / Marci et al. 2007
  (slopes, then correlations of slopes, then ln(Σ positive r / Σ |negative r|)).
- :func:`phase_locking` -- band-pass, Hilbert phases and the phase-locking value (PLV).
- :func:`surrogate_histogram` / :class:`SurrogateDemo` -- surrogate tests (circular shift, segment
  shuffle, phase randomisation) and pseudo-pairs over the 20 simulated cohort dyads, run on demand
  with a progress bar.
- :func:`leader_follower` -- who follows whom, from the lag of each window's peak.

Statistics are always computed on the full-rate recordings; only what is drawn is thinned with
:func:`~empathy_explorer.app.charts.downsample_for_display`. Callbacks are plain functions tests call
directly.

References
----------
Boker, S. M., Xu, M., Rotondo, J. L., & King, K. (2002). Windowed cross-correlation and peak picking for
the analysis of variability in the association between behavioral time series. Psychological Methods,
7(3), 338–355. https://doi.org/10.1037/1082-989X.7.3.338

Tschacher, W., & Meier, D. (2020). Physiological synchrony in psychotherapy sessions. Psychotherapy
Research, 30(5), 558–573. https://doi.org/10.1080/10503307.2019.1612114

Lachaux, J.-P., Rodriguez, E., Martinerie, J., & Varela, F. J. (1999). Measuring phase synchrony in brain
signals. Human Brain Mapping, 8(4), 194–208.
https://doi.org/10.1002/(SICI)1097-0193(1999)8:4<194::AID-HBM4>3.0.CO;2-C
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from typing import Any, Unpack

import ipywidgets as widgets
import numpy as np
import pandas as pd

from empathy_explorer import synchrony
from empathy_explorer.app import charts
from empathy_explorer.app.charts import (
    OKABE_ITO,
    ChartFactory,
    ChartOptions,
    ChartPanel,
    downsample_for_display,
    histogram_rows,
    line_chart,
    two_panel_chart,
)
from empathy_explorer.app.widgets import Demo, DemoOutput, choice, labelled_slider, slider_group
from empathy_explorer.errors import EmpathyExplorerError, ParameterError
from empathy_explorer.lessons.sync_basics import teaching_sessions
from empathy_explorer.sessions import list_sessions, load_session
from empathy_explorer.synchrony.registry import METHODS as REGISTRY

__all__ = [
    "METHODS",
    "SURROGATE_METHODS",
    "SurrogateDemo",
    "concordance",
    "concordance_demo",
    "histogram_chart",
    "leader_follower",
    "leader_follower_demo",
    "phase_demo",
    "phase_locking",
    "rolling_demo",
    "rolling_r",
    "surrogate_demo",
    "surrogate_histogram",
    "xcorr_demo",
    "xcorr_windows",
]

#: The synchrony methods this page teaches: every entry of the method registry, by engine function name.
METHODS = tuple(method.function.__name__ for method in REGISTRY.values())

#: Surrogate methods as shown in the drop-down (label → method name).
SURROGATE_METHODS: Mapping[str, str] = {
    "Circular shift: slide the clinician's recording in time": "circular_shift",
    "Segment shuffle: reorder 30-s pieces of the clinician's recording": "segment_shuffle",
    "Phase randomisation: same rhythm, random timing": "phase_randomize",
    "Pseudo-pairs: 20 simulated cohort dyads re-paired (people who never met)": "pseudo_pairs",
}

_KINDS = {"Skin conductance (µS)": "eda", "Heart rate (bpm)": "hr"}
_SIGNAL_NAMES = {"eda": "skin conductance", "hr": "heart rate"}
_MAX_DRAWN = 1500


def histogram_chart(
    data: str, *, color: str = OKABE_ITO["blue"], marker: str | None = None, **options: Unpack[ChartOptions]
) -> ChartFactory:
    """This page's histograms: :func:`empathy_explorer.app.charts.histogram_chart` with the dashed
    marker (when there is one) named "real data" on hover.

    ``data`` has columns ``bin_start``, ``bin_end``, ``count`` (see
    :func:`empathy_explorer.app.charts.histogram_rows`); ``marker`` names a dataset with a ``bin_start``
    column drawn as vertical dashed lines (e.g. the observed value).
    """
    return charts.histogram_chart(data, color=color, marker=marker, marker_label="real data", **options)


def _pair(session_id: str, kind: str) -> tuple[np.ndarray, np.ndarray, float, Any]:
    if kind not in _SIGNAL_NAMES:
        raise ParameterError(f"Choose skin conductance ('eda') or heart rate ('hr'), not {kind!r}.")
    session = load_session(session_id)
    x, y = session.pair(kind)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float), float(session.fs), session


def _truth_text(session: Any) -> str:
    gt = session.ground_truth
    if gt is None:
        return ""
    if gt.leader in ("patient", "clinician"):
        follower = "clinician" if gt.leader == "patient" else "patient"
        return (
            f" (The simulator's truth: coupling {gt.coupling:.2f}, the {follower} follows the "
            f"{gt.leader} by {gt.lag_s:g} s.)"
        )
    return f" (The simulator's truth: no coupling; shared outside events {gt.shared_driver:.1f}.)"


def _session_control(value: str = "warm-rapport") -> widgets.Dropdown:
    return choice("Example session (simulated)", teaching_sessions(), value=value)


def _thin(times_s: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop NaN edges and thin for drawing (statistics stay on the full-rate arrays)."""
    ok = np.isfinite(values)
    if not ok.any():
        return times_s[:0], values[:0]
    return downsample_for_display(times_s[ok], values[ok], max_points=_MAX_DRAWN)


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
    x, y, fs, session = _pair(session_id, kind)
    res = synchrony.windowed_xcorr(x, y, fs, window_s=window_s, step_s=step_s, max_lag_s=max_lag_s)
    s = res.summary()
    peak_r = pd.DataFrame({"time_s": res.times_s, "value": res.peak_r, "line": "peak r of the window"})
    peak_lag = pd.DataFrame({"time_s": res.times_s, "value": res.peak_lag_s, "line": "lag of that peak"})
    takeaway = (
        f"{res.n_windows} windows of {window_s:g} s, one every {step_s:g} s, lags ±{max_lag_s:g} s: mean "
        f"peak r = {s['mean_peak_r']:.2f} (SD {s['sd_peak_r']:.2f}), typical peak lag "
        f"{res.median_peak_lag_s:+.2f} s.{_truth_text(session)}"
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
    controls = slider_group(
        "Try it: windowed cross-correlation",
        session_id=_session_control(),
        kind=choice("Signal", _KINDS, value="eda"),
        window_s=labelled_slider("Window length", min=10, max=120, step=5, value=30, unit="s"),
        step_s=labelled_slider("Step between windows", min=1, max=60, step=1, value=5, unit="s"),
        max_lag_s=labelled_slider("Largest lag looked at", min=1, max=15, step=1, value=5, unit="s"),
    )

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

    return Demo(controls, xcorr_windows, make_chart, filename="windowed-xcorr")


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
    x, y, fs, session = _pair(session_id, kind)
    shift = round(lag_s * fs)
    if abs(shift) >= len(x) // 2:
        raise ParameterError("The shift must be shorter than half the session.")
    if shift > 0:
        x, y = x[:-shift], y[shift:]
    elif shift < 0:
        x, y = x[-shift:], y[:shift]
    res = fn(x, y, fs, window_s=window_s)
    r = np.asarray(res.r, dtype=float)
    times = np.asarray(res.times_s, dtype=float)
    valid = r[np.isfinite(r)]
    step = max(1, round(fs))
    per_second = r[::step]
    rough = float(np.nanmean(np.abs(np.diff(per_second)))) if valid.size > 2 * step else math.nan
    td, rd = _thin(times, r)
    frame = pd.DataFrame({"time_s": td, "r": rd, "line": f"r in a {window_s:g}-s window"})
    share_undefined = float(1.0 - valid.size / r.size)
    takeaway = (
        f"With a {window_s:g}-s window and the clinician shifted by {lag_s:+g} s, r runs from "
        f"{np.min(valid):.2f} to {np.max(valid):.2f} (mean {np.mean(valid):.2f}, SD {np.std(valid):.2f}); "
        f"{share_undefined:.0%} of the session has no value (half a window at each end)."
        f"{_truth_text(session)}"
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
    controls = slider_group(
        "Try it: rolling correlation",
        session_id=_session_control(),
        kind=choice("Signal", _KINDS, value="eda"),
        window_s=labelled_slider("Window length", min=5, max=180, step=5, value=30, unit="s"),
        lag_s=labelled_slider(
            "Shift the clinician's recording (+ = compare with later)",
            min=-10,
            max=10,
            step=0.5,
            value=0,
            unit="s",
        ),
    )
    chart = line_chart(
        "series",
        x="time_s",
        y="r",
        title="Rolling correlation: one r for every moment",
        subtitle="Simulated example session; no value where the window sticks out of the session",
        x_title="Time, centre of the window (s)",
        y_title="Correlation r (unitless)",
        y_domain=(-1, 1),
        hline=0.0,
    )
    return Demo(controls, rolling_r, chart, filename="rolling-correlation")


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
    x, y, fs, session = _pair(session_id, kind)
    res = fn(x, y, fs, slope_window_s=slope_window_s, corr_window_s=corr_window_s)
    r = np.asarray(res.r, dtype=float)
    times = np.asarray(res.times_s, dtype=float)
    td, rd = _thin(times, r)
    frame = pd.DataFrame({"time_s": td, "r": rd, "line": "correlation of slopes"})
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
        f"{slope_window_s:g}-s slopes over {corr_window_s:g}-s stretches).{_truth_text(session)}"
    )
    extra = {"index": index, "n_positive": pos, "n_negative": neg, "n_r": int(np.isfinite(r).sum())}
    return DemoOutput({"series": frame}, takeaway, extra)


def concordance_demo() -> Demo:
    """The notebook demo: session, slope window and correlation window → slope correlations and index."""
    controls = slider_group(
        "Try it: the concordance index",
        session_id=_session_control(),
        kind=choice("Signal", _KINDS, value="eda"),
        slope_window_s=labelled_slider("Slope window", min=2, max=20, step=1, value=5, unit="s"),
        corr_window_s=labelled_slider("Correlation window", min=5, max=60, step=1, value=15, unit="s"),
    )
    chart = line_chart(
        "series",
        x="time_s",
        y="r",
        title="Concordance: do the two slopes rise and fall together?",
        subtitle="Simulated example session; the index compares the area above 0 with the area below",
        x_title="Time (s)",
        y_title="Correlation of slopes r (unitless)",
        y_domain=(-1, 1),
        hline=0.0,
    )
    return Demo(controls, concordance, chart, filename="concordance")


# --------------------------------------------------------------------------------------------------
# 4. Phase synchrony
# --------------------------------------------------------------------------------------------------


def phase_locking(
    session_id: str = "warm-rapport", kind: str = "hr", low_hz: float = 0.02, high_hz: float = 0.1
) -> DemoOutput:
    """Phase-locking value of one example session in a frequency band, and the spread of phase differences.

    Parameters
    ----------
    low_hz, high_hz : float
        The band kept by the band-pass filter, Hz (``low_hz < high_hz``).

    Returns
    -------
    DemoOutput
        Dataset ``hist`` (``bin_start``, ``bin_end``, ``count``: phase differences in radians, −π to π);
        ``extra``: ``plv``.
    """
    if not low_hz < high_hz:
        raise ParameterError("The lower edge of the band must be below the upper edge.")
    fn = REGISTRY["phase"].function
    x, y, fs, session = _pair(session_id, kind)
    res = fn(x, y, fs, band=(low_hz, high_hz))
    diff = np.angle(np.exp(1j * np.asarray(res.phase_diff, dtype=float)))  # wrapped to −π..π
    hist = histogram_rows(diff, bins=36, value_range=(-math.pi, math.pi))
    plv = float(res.plv)
    if plv >= 0.5:
        reading = "the two rhythms keep a fairly steady step with each other"
    elif plv >= 0.2:
        reading = "a loose tendency to keep step"
    else:
        reading = "the phase difference wanders: no steady step"
    takeaway = (
        f"In the {low_hz:g}–{high_hz:g} Hz band (one cycle every {1 / high_hz:.0f}–{1 / low_hz:.0f} s), the "
        f"phase-locking value is {plv:.2f}: {reading}.{_truth_text(session)}"
    )
    return DemoOutput({"hist": hist}, takeaway, {"plv": plv})


def phase_demo() -> Demo:
    """The notebook demo: session and band edges → histogram of phase differences and the PLV."""
    controls = slider_group(
        "Try it: phase synchrony",
        session_id=_session_control(),
        kind=choice("Signal", _KINDS, value="hr"),
        low_hz=labelled_slider(
            "Band: slowest rhythm kept",
            min=0.005,
            max=0.2,
            step=0.005,
            value=0.02,
            unit="Hz",
            readout_format=".3f",
        ),
        high_hz=labelled_slider(
            "Band: fastest rhythm kept",
            min=0.01,
            max=0.5,
            step=0.01,
            value=0.1,
            unit="Hz",
            readout_format=".2f",
        ),
    )
    chart = histogram_chart(
        "hist",
        title="Phase differences: piled up = locked, flat = not locked",
        subtitle="Simulated example session; 0 = in step, ±3.14 = opposite",
        x_title="Phase difference, patient minus clinician (radians)",
        y_title="Samples (count)",
        x_domain=(-math.pi, math.pi),
    )
    return Demo(controls, phase_locking, chart, filename="phase-synchrony")


# --------------------------------------------------------------------------------------------------
# 5. Surrogate tests
# --------------------------------------------------------------------------------------------------


def _mean_peak_r(fs: float) -> Callable[[np.ndarray, np.ndarray], float]:
    return REGISTRY["wcc"].statistic(fs, window_s=30.0, step_s=5.0, max_lag_s=5.0)


def _cohort_sessions() -> list[Any]:
    cat = list_sessions()
    return [load_session(i) for i in cat.loc[cat["group"] == "cohort", "id"]]


def surrogate_histogram(
    session_id: str = "warm-rapport",
    method: str = "circular_shift",
    n_surrogates: int = 500,
    *,
    kind: str = "eda",
    seed: int = 0,
    progress: Callable[[int, int], object] | None = None,
) -> DemoOutput:
    """Run a surrogate test (or pseudo-pairs) on the mean peak r of the windowed cross-correlation.

    The statistic is the mean peak r of :func:`~empathy_explorer.synchrony.windowed_xcorr` with 30-s
    windows, 5-s steps and lags up to ±5 s.

    Parameters
    ----------
    session_id : str
        Example session (ignored for ``"pseudo_pairs"``, which uses the 20 simulated cohort dyads).
    method : str
        ``"circular_shift"``, ``"segment_shuffle"``, ``"phase_randomize"`` or ``"pseudo_pairs"``.
    n_surrogates : int
        Number of surrogates (or random pseudo-pairings).
    kind : str
        Signal, default skin conductance.
    seed : int
        Seed (same seed, same answer).
    progress : callable, optional
        ``progress(done, total)``, passed to the test.

    Returns
    -------
    DemoOutput
        Datasets ``hist`` (``bin_start``, ``bin_end``, ``count``) and ``observed`` (``bin_start`` = the
        real value); ``extra``: ``observed``, ``p_value``, ``effect_size``, ``mean_null``, ``seconds``.
    """
    if method not in SURROGATE_METHODS.values():
        raise ParameterError(f"Unknown surrogate method {method!r}.")
    start = time.perf_counter()
    if method == "pseudo_pairs":
        cohort = _cohort_sessions()
        res = synchrony.pseudo_pairs(
            cohort,
            _mean_peak_r(cohort[0].fs),
            kind=kind,
            n_surrogates=n_surrogates,
            seed=seed,
            progress=progress,
        )
        what = "the 20 real cohort dyads (mean)"
        truth = " (Simulated cohort: most dyads have real coupling.)"
    else:
        x, y, fs, session = _pair(session_id, kind)
        res = synchrony.surrogate_test(
            x, y, fs, _mean_peak_r(fs), method=method, n_surrogates=n_surrogates, seed=seed, progress=progress
        )
        what = f"'{session.title}'"
        truth = _truth_text(session)
    seconds = time.perf_counter() - start
    null = np.asarray(res.null, dtype=float)
    low = float(min(null.min(), res.observed)) - 0.01
    high = float(max(null.max(), res.observed)) + 0.01
    hist = histogram_rows(null, bins=30, value_range=(low, high))
    observed = pd.DataFrame({"bin_start": [float(res.observed)], "label": ["real data"]})
    verdict = "more synchrony than this kind of chance" if res.p_value <= 0.05 else "not more than chance"
    takeaway = (
        f"{what}: mean peak r = {res.observed:.2f} against {res.n_valid} surrogates averaging "
        f"{res.mean_null:.2f}; p = {res.p_value:.3f}, effect size {res.effect_size:.1f} SD: {verdict}."
        f"{truth}"
    )
    extra = {
        "observed": float(res.observed),
        "p_value": float(res.p_value),
        "effect_size": float(res.effect_size),
        "mean_null": float(res.mean_null),
        "seconds": seconds,
    }
    return DemoOutput({"hist": hist, "observed": observed}, takeaway, extra)


def _empty_surrogate_output() -> DemoOutput:
    return DemoOutput(
        {
            "hist": pd.DataFrame({"bin_start": [0.0], "bin_end": [0.0], "count": [0]}),
            "observed": pd.DataFrame({"bin_start": [0.0], "label": ["real data"]}),
        },
        "Choose a session and a method, then press “Run the test”.",
    )


class SurrogateDemo(widgets.VBox):
    """Surrogate test on demand: controls, a Run button, a progress bar, the null histogram, a takeaway.

    The test runs only when :meth:`run` is called (the button), so moving the controls stays instant.

    Attributes
    ----------
    controls : empathy_explorer.app.widgets.ControlGroup
    button : ipywidgets.Button
    progress : ipywidgets.IntProgress
    panel : empathy_explorer.app.charts.ChartPanel
    takeaway : ipywidgets.HTML
    output : DemoOutput
        The last result.
    """

    def __init__(self) -> None:
        from empathy_explorer.app.widgets import takeaway_html

        self._html = takeaway_html
        self.controls = slider_group(
            "Try it: is this synchrony more than chance?",
            session_id=_session_control(),
            method=choice("Surrogate method", SURROGATE_METHODS, value="circular_shift"),
            n_surrogates=labelled_slider(
                "Number of surrogates", min=100, max=1000, step=100, value=500, integer=True, unit="count"
            ),
        )
        self.button = widgets.Button(description="Run the test", button_style="primary", icon="play")
        self.progress = widgets.IntProgress(
            value=0, min=0, max=1, description="Surrogates:", style={"description_width": "initial"}
        )
        self.output = _empty_surrogate_output()
        chart = histogram_chart(
            "hist",
            marker="observed",
            color=OKABE_ITO["sky_blue"],
            title="The real synchrony (dashed) against what chance gives (bars)",
            subtitle="Simulated data; statistic: mean peak r of the windowed cross-correlation",
            x_title="Mean peak r (unitless)",
            y_title="Surrogates (count)",
        )
        self.panel = ChartPanel(chart(self.output.datasets), filename="surrogate-test")
        self.takeaway = widgets.HTML(self._html(self.output.takeaway))
        self.takeaway.add_class("ee-takeaway")
        self.panel.describe_from(self.takeaway)
        self.button.on_click(lambda _b: self.run())
        self.controls.observe_values(self._stale)
        super().__init__(
            children=[self.controls, widgets.HBox([self.button, self.progress]), self.panel, self.takeaway]
        )
        self.add_class("ee-demo")

    def _stale(self) -> None:
        self.takeaway.value = self._html("Settings changed: press “Run the test” to run it again.")

    def _tick(self, done: int, total: int) -> None:
        self.progress.max = max(int(total), 1)
        self.progress.value = int(done)

    def run(self) -> DemoOutput:
        """Run the test with the current settings, showing progress; update chart and takeaway."""
        self.button.disabled = True
        self.progress.value = 0
        try:
            out = surrogate_histogram(**self.controls.values, progress=self._tick)
        except EmpathyExplorerError as err:
            self.takeaway.value = self._html(f"This test cannot be run: {err}", warn=True)
            return self.output
        finally:
            self.button.disabled = False
        self.panel.update_data(**dict(out.datasets))
        self.takeaway.value = self._html(out.takeaway)
        self.output = out
        return out


def surrogate_demo() -> SurrogateDemo:
    """The notebook demo: a surrogate test run on demand (button) with a progress bar."""
    return SurrogateDemo()


# --------------------------------------------------------------------------------------------------
# 6. Leader and follower
# --------------------------------------------------------------------------------------------------


def leader_follower(
    session_id: str = "warm-rapport", kind: str = "eda", window_s: float = 30.0, max_lag_s: float = 5.0
) -> DemoOutput:
    """Who follows whom: the lags of the windows' peaks (windowed cross-correlation, 5-s steps).

    Returns
    -------
    DemoOutput
        Dataset ``hist`` (``bin_start``, ``bin_end``, ``count``: peak lags in s); ``extra``:
        ``share_patient_leads``, ``share_clinician_leads``, ``median_peak_lag_s``.

    Examples
    --------
    >>> leader_follower("clinician-leads").extra["median_peak_lag_s"] < 0
    True
    """
    x, y, fs, session = _pair(session_id, kind)
    res = synchrony.windowed_xcorr(x, y, fs, window_s=window_s, step_s=5.0, max_lag_s=max_lag_s)
    lags = res.peak_lag_s[np.isfinite(res.peak_lag_s)]
    half_bin = 0.5
    edges = np.arange(-max_lag_s - half_bin, max_lag_s + half_bin + 1e-9, 2 * half_bin)
    hist = histogram_rows(lags, bins=edges)
    x_leads, y_leads = float(res.share_x_leads), float(res.share_y_leads)
    median = float(res.median_peak_lag_s)
    if x_leads > y_leads:
        who = f"the patient leads in {x_leads:.0%} of the windows"
    elif y_leads > x_leads:
        who = f"the clinician leads in {y_leads:.0%} of the windows"
    else:
        who = "neither leads more often"
    takeaway = (
        f"Median peak lag {median:+.2f} s: {who} (patient leads {x_leads:.0%}, clinician leads "
        f"{y_leads:.0%}).{_truth_text(session)}"
    )
    extra = {"share_patient_leads": x_leads, "share_clinician_leads": y_leads, "median_peak_lag_s": median}
    return DemoOutput({"hist": hist}, takeaway, extra)


def leader_follower_demo() -> Demo:
    """The notebook demo: session, window and max lag → histogram of peak lags."""
    controls = slider_group(
        "Try it: who follows whom?",
        session_id=_session_control("clinician-leads"),
        kind=choice("Signal", _KINDS, value="eda"),
        window_s=labelled_slider("Window length", min=10, max=120, step=5, value=30, unit="s"),
        max_lag_s=labelled_slider("Largest lag looked at", min=1, max=10, step=1, value=5, unit="s"),
    )
    chart = histogram_chart(
        "hist",
        color=OKABE_ITO["bluish_green"],
        title="Where each window's peak lies: right of 0 = clinician follows, left = patient follows",
        subtitle="Simulated example session; windowed cross-correlation, 5-s steps",
        x_title="Lag of the peak (s)",
        y_title="Windows (count)",
    )
    return Demo(controls, leader_follower, chart, filename="leader-follower")


# --------------------------------------------------------------------------------------------------
# 7. Does a slope-based, same-moment measure catch a delayed link? (issue 11; a separate function, not
#    part of the method list above)
# --------------------------------------------------------------------------------------------------

#: Delays of the follower (the clinician) swept by :func:`delay_sweep`, seconds.
DELAY_GRID_S = tuple(float(d) for d in range(11))
_DELAY_DEMO = {"duration_s": 900.0, "fs": 4.0, "coupling": 0.9, "seed": 3, "max_lag_s": 12.0}


def _delay_pairs() -> dict[float | None, tuple[np.ndarray, np.ndarray]]:
    """Simulated skin-conductance pairs, one per delay of :data:`DELAY_GRID_S`, plus ``None``: no link.

    Same seed for all, so the patient's recording is the same and only the clinician's delay changes.
    Computed once per process (about 1 s) and reused by every slider move.
    """
    cached = getattr(_delay_pairs, "_cache", None)
    if cached is None:
        from empathy_explorer.sessions.simulate import simulate_dyad

        p = _DELAY_DEMO
        cached = {}
        for delay in (*DELAY_GRID_S, None):
            session = simulate_dyad(
                p["duration_s"],
                p["fs"],
                coupling=0.0 if delay is None else p["coupling"],
                lag_s=2.0 if delay is None else delay,
                leader="patient",
                seed=int(p["seed"]),
            )
            x, y = session.pair("eda")
            cached[delay] = (np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        _delay_pairs._cache = cached  # type: ignore[attr-defined]
    return cached


def delay_sweep(delay_s: float = 2.0, slope_window_s: float = 5.0, corr_window_s: float = 15.0) -> DemoOutput:
    """Concordance index and lagged peak r of one simulated link, for every delay of the follower.

    The clinician's skin conductance responds to the patient's responses (coupling 0.9) after a delay
    of 0-10 s. For each delay the function computes (a) the concordance index, which correlates the two
    people's *slopes* at the same moment (:func:`empathy_explorer.synchrony.concordance_index`), and
    (b) the peak r of the whole-session lag profile over lags of ±12 s
    (:func:`empathy_explorer.lessons.sync_basics.lag_profile`). The same measures on a pair with no link
    (coupling 0, same patient) give the chance level. Whether the concordance catches a delayed link
    depends on the delay relative to the slope window and to the slow rise of a skin-conductance
    response; the lagged peak r does not depend on the delay.

    Parameters
    ----------
    delay_s : float
        The delay to mark on the charts, s (one of :data:`DELAY_GRID_S`; rounded to whole seconds).
    slope_window_s, corr_window_s : float
        Slope and correlation windows of the concordance index, s.

    Returns
    -------
    DemoOutput
        Datasets ``concordance`` and ``peak_r`` (``delay_s``, ``value``, ``line``: the linked pair or
        the no-link pair) and ``here`` (``delay_s``, ``label``: the marked delay); ``extra``:
        ``concordance`` and ``peak_r`` (lists over :data:`DELAY_GRID_S`), ``chance_concordance``,
        ``chance_peak_r``, ``at_delay`` (the two values at ``delay_s``).

    Examples
    --------
    >>> out = delay_sweep()
    >>> out.extra["concordance"][0] > out.extra["concordance"][6]
    True

    References
    ----------
    Marci, C. D., Ham, J., Moran, E., & Orr, S. P. (2007). J Nerv Ment Dis, 195(2), 103-111.
    https://doi.org/10.1097/01.nmd.0000253731.71025.fc
    """
    from empathy_explorer.lessons.sync_basics import _peak, lag_profile

    delay = float(round(float(delay_s)))
    if delay not in DELAY_GRID_S:
        raise ParameterError(f"Choose a delay from 0 to {DELAY_GRID_S[-1]:g} s, not {delay_s!r}.")
    fs, max_lag_s = _DELAY_DEMO["fs"], _DELAY_DEMO["max_lag_s"]
    pairs = _delay_pairs()

    def measures(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        conc = synchrony.concordance_index(
            x, y, fs, slope_window_s=slope_window_s, corr_window_s=corr_window_s
        )
        peak_r, _ = _peak(lag_profile(x, y, fs, max_lag_s=max_lag_s))
        return float(conc.index), float(peak_r)

    linked = [measures(*pairs[d]) for d in DELAY_GRID_S]
    chance_conc, chance_r = measures(*pairs[None])
    conc = [c for c, _ in linked]
    peak = [r for _, r in linked]
    link, none = "linked pair (coupling 0.9)", "no link (coupling 0): chance level"
    grid = list(DELAY_GRID_S)

    def frame(values: list[float], chance: float) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "delay_s": grid + grid,
                "value": values + [chance] * len(grid),
                "line": [link] * len(grid) + [none] * len(grid),
            }
        )

    i = grid.index(delay)
    caught = "above" if conc[i] > chance_conc else "at or below"
    takeaway = (
        f"Delay {delay:g} s: concordance index {conc[i]:.2f} ({caught} the no-link level of "
        f"{chance_conc:.2f}) with {slope_window_s:g}-s slopes; lagged peak r {peak[i]:.2f} (no link: "
        f"{chance_r:.2f}). Simulated pairs: the truth is a link at every delay."
    )
    extra = {
        "concordance": conc,
        "peak_r": peak,
        "chance_concordance": chance_conc,
        "chance_peak_r": chance_r,
        "at_delay": {"concordance": conc[i], "peak_r": peak[i]},
    }
    here = pd.DataFrame({"delay_s": [delay], "label": [f"delay {delay:g} s"]})
    return DemoOutput(
        {"concordance": frame(conc, chance_conc), "peak_r": frame(peak, chance_r), "here": here},
        takeaway,
        extra,
    )


def delay_demo() -> Demo:
    """The notebook demo: follower delay and slope window → concordance and lagged peak r, side by side."""
    controls = slider_group(
        "Try it: a delayed link",
        delay_s=labelled_slider("Clinician's delay", min=0, max=10, step=1, value=2, unit="s"),
        slope_window_s=labelled_slider("Slope window", min=2, max=20, step=1, value=5, unit="s"),
    )
    colors = {
        "linked pair (coupling 0.9)": OKABE_ITO["blue"],
        "no link (coupling 0): chance level": OKABE_ITO["black"],
    }
    common = {"x": "delay_s", "series": "line", "colors": colors, "x_title": "Clinician's delay (s)"}
    panel_left = {
        **common,
        "data": "concordance",
        "y": "value",
        "y_title": "Concordance index (unitless)",
        "title": "Concordance (slopes at the same moment)",
        "dashed": "no link (coupling 0): chance level",
        "vline": "here",
        "points": True,
    }
    panel_right = {
        **common,
        "data": "peak_r",
        "y": "value",
        "y_title": "Peak r over lags ±12 s (unitless)",
        "title": "Lagged cross-correlation (best lag)",
        "dashed": "no link (coupling 0): chance level",
        "vline": "here",
        "points": True,
        "y_domain": (0.0, 1.0),
    }

    def chart(datasets: Mapping[str, pd.DataFrame]) -> Any:
        return two_panel_chart(
            datasets,
            title="Does each measure see a link that runs with a delay?",
            subtitle="Simulated skin conductance, 15 min at 4 Hz; dashed: the same measure with no link",
            left=panel_left,
            right=panel_right,
        )

    return Demo(controls, delay_sweep, chart, filename="delay-and-concordance")
