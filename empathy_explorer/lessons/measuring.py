"""Demos for notebook 05, "Measuring synchrony": every method of :mod:`empathy_explorer.synchrony`.

Each demo runs one method on the bundled example sessions (all **simulated**; the simulator knows the
true coupling, lag and leader) and shows what its parameters do to the answer. The page's demos live in
three modules; this one holds the last three and re-exports the others, so notebooks import them all from
here:

- :mod:`~empathy_explorer.lessons.measuring_windows`: :func:`xcorr_windows` (windowed lagged
  cross-correlation), :func:`rolling_r` (rolling correlation) and :func:`concordance` (the concordance
  index after Marci & Orr 2006 / Marci et al. 2007).
- :func:`phase_locking` -- band-pass, Hilbert phases and the phase-locking value (PLV).
- :func:`surrogate_histogram` / :class:`SurrogateDemo` -- surrogate tests (circular shift, segment
  shuffle, phase randomisation) and pseudo-pairs over the 20 simulated cohort dyads, run on demand
  with a progress bar.
- :func:`leader_follower` -- who follows whom, from the lag of each window's peak.
- :mod:`~empathy_explorer.lessons.measuring_delay`: :func:`delay_sweep`, whether a same-moment slope
  measure catches a link that runs with a delay.

Statistics are always computed on the full-rate recordings; only what is drawn is thinned with
:func:`~empathy_explorer.app.charts.downsample_for_display`. Callbacks are plain functions tests call
directly.

References
----------
Full entries in ``docs/references.bib``: ``boker2002`` (windowed cross-correlation), ``tschacher2020``
(synchrony in psychotherapy sessions), ``lachaux1999`` (phase synchrony).
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
from empathy_explorer.app.charts import OKABE_ITO, ChartFactory, ChartOptions, ChartPanel, histogram_rows
from empathy_explorer.app.widgets import Demo, DemoOutput, choice, labelled_slider, slider_group
from empathy_explorer.errors import ParameterError
from empathy_explorer.lessons._page import lesson_demo, session_and_signal
from empathy_explorer.lessons._page import session_control as _session_control
from empathy_explorer.lessons._page import session_pair as _pair
from empathy_explorer.lessons._page import truth_text as _truth_text
from empathy_explorer.lessons.measuring_delay import DELAY_GRID_S, delay_demo, delay_sweep
from empathy_explorer.lessons.measuring_windows import (
    concordance,
    concordance_demo,
    max_lag_slider,
    rolling_demo,
    rolling_r,
    window_slider,
    xcorr_demo,
    xcorr_windows,
)
from empathy_explorer.sessions import cohort_sessions
from empathy_explorer.synchrony.registry import METHODS as REGISTRY

__all__ = [
    "DELAY_GRID_S",
    "METHODS",
    "SURROGATE_METHODS",
    "SurrogateDemo",
    "concordance",
    "concordance_demo",
    "delay_demo",
    "delay_sweep",
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


def _band_edge_slider(label: str, low: float, high: float, step: float, value: float, fmt: str) -> Any:
    """A slider for one edge of the band-pass filter, Hz."""
    return labelled_slider(label, min=low, max=high, step=step, value=value, unit="Hz", readout_format=fmt)


def phase_demo() -> Demo:
    """The notebook demo: session and band edges → histogram of phase differences and the PLV."""
    return lesson_demo(
        phase_locking,
        histogram_chart(
            "hist",
            title="Phase differences: piled up = locked, flat = not locked",
            subtitle="Simulated example session; 0 = in step, ±3.14 = opposite",
            x_title="Phase difference, patient minus clinician (radians)",
            y_title="Samples (count)",
            x_domain=(-math.pi, math.pi),
        ),
        filename="phase-synchrony",
        title="Try it: phase synchrony",
        **session_and_signal(kind="hr"),
        low_hz=_band_edge_slider("Band: slowest rhythm kept", 0.005, 0.2, 0.005, 0.02, ".3f"),
        high_hz=_band_edge_slider("Band: fastest rhythm kept", 0.01, 0.5, 0.01, 0.1, ".2f"),
    )


# --------------------------------------------------------------------------------------------------
# 5. Surrogate tests
# --------------------------------------------------------------------------------------------------


def _mean_peak_r(fs: float) -> Callable[[np.ndarray, np.ndarray], float]:
    return REGISTRY["wcc"].statistic(fs, window_s=30.0, step_s=5.0, max_lag_s=5.0)


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
        cohort = list(cohort_sessions())
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

    The test runs only when :meth:`run` is called (the button), so moving the controls stays instant. The
    button and the progress bar are the pages' shared long-job widget
    (:class:`~empathy_explorer.app.jobs.LongJob`); a setting the test refuses is shown in the takeaway.

    Attributes
    ----------
    controls : empathy_explorer.app.widgets.ControlGroup
    button : ipywidgets.Button
    progress : ipywidgets.IntProgress
    job : empathy_explorer.app.jobs.LongJob
        The button and the progress bar.
    panel : empathy_explorer.app.charts.ChartPanel
    takeaway : ipywidgets.HTML
    output : DemoOutput
        The last result.
    """

    def __init__(self) -> None:
        from empathy_explorer.app.jobs import takeaway_job
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
        self.job = takeaway_job(
            self.button,
            self.panel,
            self.output.takeaway,
            refused="This test cannot be run",
            description="Surrogates:",
            name="surrogate-demo",
        )
        self.takeaway, self.progress = self.job.status, self.job.progress
        self.button.on_click(lambda _b: self.run())
        self.controls.observe_values(self._stale)
        super().__init__(children=[self.controls, self.job, self.panel, self.takeaway])
        self.add_class("ee-demo")

    def _stale(self) -> None:
        self.takeaway.value = self._html("Settings changed: press “Run the test” to run it again.")

    def run(self) -> DemoOutput:
        """Run the test with the current settings, showing progress; update chart and takeaway."""
        values = self.controls.values
        self.job.start(lambda report: surrogate_histogram(**values, progress=report), self._show)
        return self.output

    def _show(self, out: DemoOutput) -> str:
        self.panel.update_data(**dict(out.datasets))
        self.output = out
        return self._html(out.takeaway)


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
    return lesson_demo(
        leader_follower,
        histogram_chart(
            "hist",
            color=OKABE_ITO["bluish_green"],
            title="Where each window's peak lies: right of 0 = clinician follows, left = patient follows",
            subtitle="Simulated example session; windowed cross-correlation, 5-s steps",
            x_title="Lag of the peak (s)",
            y_title="Windows (count)",
        ),
        filename="leader-follower",
        title="Try it: who follows whom?",
        **session_and_signal("clinician-leads"),
        window_s=window_slider(),
        max_lag_s=max_lag_slider(high=10),
    )
