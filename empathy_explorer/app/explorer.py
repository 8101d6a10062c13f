"""The session explorer: the app page where any session, or your own recording, meets every synchrony method.

Pick an example session (all simulated, and labelled so) or upload a two-person recording, choose the
signal (skin conductance or heart rate) and the method, and move the sliders for the window, the step and
the largest lag. The page shows both signals (thinned for drawing only), the synchrony over time, the lag
profile, the session summary, and on request a surrogate significance test with a progress bar (and, for
the simulated cohort, a comparison with pseudo-pairs of people who never met). The
session's segments are shaded by emotional tone. The figure can be saved as PNG/SVG (drawn by the
browser) and the numbers as CSV.

How it stays fast and safe
--------------------------
- The widgets are built once. A slider step recomputes on the **full-rate** signals and sends only the new
  rows of the synchrony and lag datasets to the chart (:meth:`ChartPanel.update_data`); choosing another
  session, signal or method replaces the chart in place (:meth:`ChartPanel.update`; titles and units
  change). Nothing is ever re-displayed.
- Work runs on a background thread that always runs the **latest** request: a fast slider drag never
  queues stale computations (older pending requests are dropped, and results of out-of-date requests are
  thrown away). Whether the chart must be replaced is decided by comparing what is drawn with what is
  asked for, so a slider move never swallows a pending change of session.
- The surrogate test runs on its own background thread, reports progress between chunks of surrogates
  and is cancelled as soon as any setting changes.
- Every user mistake (a wrong file, a window longer than the recording) shows the package's own message in
  the page (:class:`~empathy_explorer.errors.EmpathyExplorerError`); anything unexpected shows a generic
  message and is logged, never a traceback. The app stays usable.

Callbacks are plain methods (:meth:`SessionExplorer.on_param_change`,
:meth:`~SessionExplorer.on_session_change`, :meth:`~SessionExplorer.on_upload`, ...) that tests call
directly; pass ``background=False`` to run the work synchronously.

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

import contextlib
import html
import io
import logging
import threading
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd

from empathy_explorer.app.charts import (
    ROLE_COLORS,
    TONE_COLORS,
    ChartPanel,
    download_link,
    downsample_for_display,
    enable_offline,
    series_dash,
    with_datasets,
)
from empathy_explorer.errors import EmpathyExplorerError, InputError, RecordingError
from empathy_explorer.sessions.session import Session
from empathy_explorer.synchrony import registry
from empathy_explorer.synchrony._common import nanmean_quiet
from empathy_explorer.synchrony.surrogate import SurrogateResult
from empathy_explorer.synchrony.xcorr import lag_profile

__all__ = [
    "DISPLAY_POINTS",
    "GENERIC_ERROR",
    "METHODS",
    "SURROGATE_METHODS",
    "SessionExplorer",
    "SyncView",
    "build_chart",
    "compute_view",
    "headline_statistic",
]

log = logging.getLogger(__name__)

#: Shown when something unexpected fails (the details go to the log, never to the page).
GENERIC_ERROR = (
    "Sorry, something went wrong while computing this. The app is still usable: try other settings or "
    "another session. (The details were written to the server log.)"
)

KIND_LABELS = {"eda": "Skin conductance (EDA)", "hr": "Heart rate (HR)"}


#: Method key -> registry entry (:mod:`empathy_explorer.synchrony.registry`): the methods this page offers.
METHODS = registry.METHODS

#: Surrogate method key -> label (names follow :func:`empathy_explorer.synchrony.surrogate_test`).
SURROGATE_METHODS: dict[str, str] = {
    "circular_shift": "Shift one person in time (circular shift)",
    "segment_shuffle": "Shuffle one person's segments",
    "phase_randomize": "Randomise one person's phases",
}

#: Rows drawn per dataset (Altair allows 5,000): about 2 px per min/max bucket on a 640 px chart, and much
#: less schema-validation time than 2,000+ rows when the chart is replaced. Statistics use every sample.
DISPLAY_POINTS = 1400
_MAX_UPLOADS = 5  # uploaded sessions kept in memory per page


def _recordings() -> Any:
    """The recordings package, imported on first upload (pages that never upload do not pay for it)."""
    from empathy_explorer import recordings

    return recordings


def _upload_limit_mb() -> str:
    try:
        from empathy_explorer.recordings import MAX_FILE_BYTES
    except ImportError:  # pragma: no cover - only before the recordings module exists
        return "20"
    return f"{MAX_FILE_BYTES / 1e6:.0f}"


@dataclass(frozen=True)
class SyncView:
    """What the page shows for one session, signal, method and slider setting (all from full-rate data).

    Attributes
    ----------
    times_s, values : numpy.ndarray
        The synchrony over time (per window or per sample), in seconds and method units.
    lags_s, lag_r : numpy.ndarray
        The lag profile: mean cross-correlation across windows at each lag.
    value_label : str
        Axis title for ``values``.
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
    value_label: str
    summary: dict[str, float] = field(default_factory=dict)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def headline(self) -> tuple[str, float]:
        """The method's main number (name, value)."""
        return next(iter(self.summary.items()), ("synchrony", float("nan")))


def _finite_mean(values: object) -> float:
    return nanmean_quiet(np.asarray(values, dtype=float).ravel())


def _setting_slider(name: str) -> widgets.FloatSlider:
    """One of the page's shared setting sliders, with the range, step and help of the method registry."""
    spec = registry.SLIDERS[name]
    slider = widgets.FloatSlider(
        value=spec.default,
        min=spec.low,
        max=spec.high,
        step=spec.step,
        description=spec.label,
        style={"description_width": "160px"},
        layout=widgets.Layout(width="520px"),
        readout_format=".0f" if float(spec.step).is_integer() else ".1f",
        continuous_update=True,
        tooltip=spec.tooltip,
    )
    slider.add_class("ee-param")
    return slider


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
    wcc = registry.METHODS["wcc"].compute(x, y, fs, **settings)
    profile = lag_profile(wcc)
    res = wcc if spec.key == "wcc" else spec.compute(x, y, fs, **settings)
    columns = {name: np.asarray(values, dtype=float) for name, values in spec.series(res, settings).items()}
    times, values = list(columns.values())[:2]
    summary = {
        spec.headline_name: spec.headline(res),
        **spec.extras(res, profile),
        "median lag at the peak (s)": profile.median_peak_lag_s,
        "windows": float(profile.n_windows),
    }
    return SyncView(
        times, values, profile.lags_s, profile.mean_r, spec.value_label, summary, pd.DataFrame(columns)
    )


# ------------------------------------------------------------------------------------------------------
# Chart
# ------------------------------------------------------------------------------------------------------


def _signal_frames(session: Session, kind: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both signals thinned for drawing (≤ 1,400 rows, one column per person) and the segments (minutes)."""
    x, y = session.pair(kind)
    t = np.asarray(session.times_s, dtype=float)
    td, vd = downsample_for_display(t, np.column_stack([x, y]), max_points=DISPLAY_POINTS)
    # wide (one row per time, one column per person): half the rows of the long form, and Altair's schema
    # validation, which runs when the chart is replaced, grows faster than linearly with the rows
    signals = pd.DataFrame({"t_min": td / 60.0, "patient": vd[:, 0], "clinician": vd[:, 1]})
    segments = pd.DataFrame(
        {
            "start_min": [seg.start_s / 60.0 for seg in session.segments],
            "end_min": [seg.end_s / 60.0 for seg in session.segments],
            "tone": [seg.tone for seg in session.segments],
        },
        columns=["start_min", "end_min", "tone"],
    )
    return signals, segments


def _empty_sync() -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.DataFrame({"t_min": [0.0], "value": [np.nan]}), pd.DataFrame({"lag_s": [0.0], "r": [np.nan]})


def _sync_frames(view: SyncView | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The synchrony over time (thinned to ≤ 1,400 rows for drawing) and the lag profile."""
    if view is None:
        return _empty_sync()
    t, v = view.times_s, view.values
    if len(t) > DISPLAY_POINTS:
        t, v = downsample_for_display(t, v, max_points=DISPLAY_POINTS)
    return pd.DataFrame({"t_min": t / 60.0, "value": v}), pd.DataFrame(
        {"lag_s": view.lags_s, "r": view.lag_r}
    )


def build_chart(session: Session, kind: str, method: str, view: SyncView | None) -> alt.TopLevelMixin:
    """The explorer's figure: both signals, the synchrony over time and the lag profile, segments shaded.

    Parameters
    ----------
    session : Session
        The session shown.
    kind : str
        Signal kind (``"eda"`` or ``"hr"``).
    method : str
        Key of :data:`METHODS`.
    view : SyncView or None
        The numbers to draw (``None``: empty synchrony panels, e.g. after an error).

    Returns
    -------
    altair chart
        A chart on the named datasets ``signals``, ``segments``, ``sync`` and ``lag`` (see
        :func:`~empathy_explorer.app.charts.with_datasets`), each at most 1,400 rows.
    """
    spec = METHODS[method]
    unit = session.units.get(kind, "")
    signals, segments = _signal_frames(session, kind)
    sync, lag = _sync_frames(view)
    tone_scale = alt.Scale(domain=list(TONE_COLORS), range=list(TONE_COLORS.values()))
    person_scale = alt.Scale(domain=list(ROLE_COLORS), range=list(ROLE_COLORS.values()))
    x_time = alt.X("t_min:Q", title="Time (min)", scale=alt.Scale(domain=[0, session.duration_s / 60.0]))
    shade = (
        alt.Chart(alt.NamedData("segments"))
        .mark_rect(opacity=0.16)
        .encode(
            x=alt.X("start_min:Q", title="Time (min)"),
            x2="end_min:Q",
            fill=alt.Fill("tone:N", scale=tone_scale, title="Segment tone"),
        )
    )
    lines = (
        alt.Chart(alt.NamedData("signals"))
        .transform_fold(["patient", "clinician"], as_=["person", "value"])
        .mark_line(strokeWidth=1.2)
        .encode(
            x=x_time,
            y=alt.Y("value:Q", title=f"{kind.upper()} ({unit})", scale=alt.Scale(zero=False)),
            color=alt.Color("person:N", scale=person_scale, title="Person"),
            strokeDash=series_dash("person", list(ROLE_COLORS), title="Person"),
        )
    )
    label = " (SIMULATED DATA)" if session.simulated and "simulated" not in str(session.title).lower() else ""
    top = alt.layer(shade, lines).properties(
        title=alt.TitleParams(
            f"{KIND_LABELS.get(kind, kind.upper())}: {session.title}{label}",
            subtitle="Both people, thinned for drawing only (the statistics use every sample).",
        ),
        width=640,
        height=170,
    )
    sync_line = (
        alt.Chart(alt.NamedData("sync"))
        .mark_line(color="#000000", strokeWidth=1.4)
        .encode(
            x=x_time,
            y=alt.Y("value:Q", title=spec.value_label, scale=alt.Scale(domain=list(spec.value_range))),
        )
    )
    if spec.value_range[0] < 0:
        subtitle = "+1: in step, 0: unrelated, −1: opposite."
        ref = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#777", strokeDash=[4, 3]).encode(y="y:Q")
        middle = alt.layer(shade, sync_line, ref)
    else:
        subtitle = "Moving window: 1 = the rhythms keep a fixed delay, 0 = no consistent delay."
        middle = alt.layer(shade, sync_line)
    middle = middle.properties(
        title=alt.TitleParams(f"Synchrony over time: {spec.display_name}", subtitle=subtitle),
        width=640,
        height=150,
    )
    lag_line = (
        alt.Chart(alt.NamedData("lag"))
        .mark_line(color="#0072B2", point=alt.OverlayMarkDef(color="#0072B2", size=18))
        .encode(
            x=alt.X("lag_s:Q", title="Lag (s)"),
            y=alt.Y("r:Q", title="Mean r across windows"),
            tooltip=[alt.Tooltip("lag_s:Q", format=".1f"), alt.Tooltip("r:Q", format=".3f")],
        )
    )
    lag0 = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#777", strokeDash=[4, 3]).encode(x="x:Q")
    bottom = alt.layer(lag_line, lag0).properties(
        title=alt.TitleParams(
            "Lag profile (windowed cross-correlation)",
            subtitle="Peak at a positive lag: the clinician follows the patient; negative: the patient "
            "follows.",
        ),
        width=640,
        height=150,
    )
    chart = alt.vconcat(top, middle, bottom, spacing=24).resolve_scale(color="independent", fill="shared")
    return with_datasets(chart, {"signals": signals, "segments": segments, "sync": sync, "lag": lag})


# ------------------------------------------------------------------------------------------------------
# Background work
# ------------------------------------------------------------------------------------------------------


class _LatestOnly:
    """Runs submitted jobs on one background thread, always the most recent; older pending ones are dropped.

    With ``background=False`` jobs run immediately in the caller's thread (tests, scripts).
    """

    def __init__(self, background: bool, name: str) -> None:
        self.background = background
        self.name = name
        self._cond = threading.Condition()
        self._pending: Callable[[], None] | None = None
        self._busy = False
        self._thread: threading.Thread | None = None
        self.dropped = 0  # pending jobs replaced by newer ones before they started (for tests)

    def submit(self, job: Callable[[], None]) -> None:
        if not self.background:
            job()
            return
        with self._cond:
            if self._pending is not None:
                self.dropped += 1
            self._pending = job
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _loop(self) -> None:
        while True:
            with self._cond:
                while self._pending is None:
                    self._cond.wait()
                job, self._pending = self._pending, None
                self._busy = True
            try:
                job()
            except Exception:  # jobs handle their own errors; this is a last line of defence
                log.exception("Background job failed")
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until no job is pending or running (for tests). Returns False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending is None and not self._busy, timeout)


class _Cancelled(Exception):
    """Raised inside a surrogate test whose settings are out of date."""


#: The headline number of each method, as named in the test results.
_STAT_NAMES = {
    "wcc": "mean peak r",
    "rolling": "mean r",
    "concordance": "concordance index",
    "phase": "phase-locking value",
}


def _html_table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(k)}</th>"
        f"<td>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return f"<table class='ee-summary'>{cells}</table>"


def _fmt(value: float, digits: int = 2) -> str:
    return "–" if not np.isfinite(value) else f"{value:.{digits}f}"


@dataclass(frozen=True)
class _Settings:
    """A consistent snapshot of what the user asked for."""

    gen: int
    key: str
    session: Session
    kind: str
    method: str
    params: Mapping[str, float]

    @property
    def chart_key(self) -> tuple[str, str, str]:
        return (self.key, self.kind, self.method)


# ------------------------------------------------------------------------------------------------------
# The app
# ------------------------------------------------------------------------------------------------------


class SessionExplorer:
    """The session-explorer app (one object per page; display it, or its :attr:`widget`).

    Parameters
    ----------
    session_id : str, optional
        Example session shown first (default: the first in the catalogue).
    background : bool, default True
        Run computations on background threads (the app). ``False`` runs them at once (tests).
    n_surrogates : int, default 200
        Surrogates drawn by the significance test.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The whole page.
    panel : ChartPanel
        The figure (signals, synchrony over time, lag profile). Its :attr:`ChartPanel.datasets` hold what
        is drawn.
    view : SyncView or None
        The numbers behind the current figure (``None`` when the settings do not fit the recording).
    message : ipywidgets.HTML
        Friendly messages (errors, notes) shown to the user.
    surrogate_result : SurrogateResult or None
        The last completed significance test for the current settings.

    Examples
    --------
    >>> app = SessionExplorer("warm-rapport", background=False)  # doctest: +SKIP
    >>> app.window_slider.value = 60  # the chart's data change in place  # doctest: +SKIP
    """

    def __init__(self, session_id: str | None = None, *, background: bool = True, n_surrogates: int = 200):
        enable_offline()
        from empathy_explorer import sessions

        self.n_surrogates = int(n_surrogates)
        self._catalogue = sessions.list_sessions()
        self._uploads: dict[str, Session] = {}
        self._n_uploads = 0
        self._lock = threading.RLock()
        self._generation = 0
        self._mute = 0
        self._drawn: tuple[str, str, str] | None = None
        self._session_key = ""
        self._compute = _LatestOnly(background, "explorer-compute")
        self._surrogates = _LatestOnly(background, "explorer-surrogates")
        self.session: Session  # set by self._load below
        self.view: SyncView | None = None
        self.surrogate_result: SurrogateResult | None = None

        options = [(str(row["title"]), str(row["id"])) for _, row in self._catalogue.iterrows()]
        first = session_id if session_id is not None else options[0][1]
        style = {"description_width": "initial"}
        self.session_picker = widgets.Dropdown(
            options=options,
            value=first,
            description="Session:",
            style=style,
            layout=widgets.Layout(width="460px"),
        )
        self.upload = widgets.FileUpload(
            # One two-person CSV, or both people's one-person exports: two files chosen together, or one
            # ZIP (Empatica E4 session ZIPs, Polar .hrm, RR files ...).
            accept=".csv,.tsv,.txt,.zip,.hrm",
            multiple=True,
            description=(
                f"Upload a recording (one CSV, or both people's files; up to {_upload_limit_mb()} MB)"
            ),
            layout=widgets.Layout(width="auto"),
        )
        # Asked only when the file names do not say who is who (issue 12).
        self.who_picker = widgets.RadioButtons(options=[], description="Patient's file:", style=style)
        self.who_button = widgets.Button(description="Load with this choice", button_style="primary")
        self.who_box = widgets.VBox(
            [
                widgets.HTML("<b>Which file is the patient's?</b> (the other one is the clinician's)"),
                self.who_picker,
                self.who_button,
            ],
            layout=widgets.Layout(display="none"),
        )
        self._pending_upload: tuple[str, bytes] | None = None
        self.kind_picker = widgets.ToggleButtons(options=[("EDA", "eda")], value="eda", description="Signal:")
        self.kind_picker.style.button_width = "70px"
        methods = list(METHODS)
        self.method_picker = widgets.Dropdown(
            options=[(METHODS[key].display_name, key) for key in methods],
            value="wcc",
            description="Method:",
            style=style,
            layout=widgets.Layout(width="460px"),
        )
        self.window_slider = _setting_slider("window_s")
        self.step_slider = _setting_slider("step_s")
        self.lag_slider = _setting_slider("max_lag_s")
        self.slider_note = widgets.HTML()

        self.banner = widgets.HTML()
        self.message = widgets.HTML()
        self._message_kind = ""
        self.takeaway = widgets.HTML()
        self.summary = widgets.HTML()
        self.csv_button = widgets.Button(
            description="Prepare the numbers as CSV",
            tooltip="Make download links for the numbers behind the current figure",
            layout=widgets.Layout(width="auto"),
        )
        self.csv_link = widgets.HTML()
        self.surrogate_picker = widgets.Dropdown(
            options=[(label, key) for key, label in SURROGATE_METHODS.items()],
            value="circular_shift",
            description="Surrogates:",
            style=style,
            layout=widgets.Layout(width="460px"),
        )
        self.test_button = widgets.Button(
            description=f"Run the significance test ({self.n_surrogates} surrogates)",
            tooltip="Compare the synchrony with pairs whose timing link was destroyed",
            layout=widgets.Layout(width="auto"),
        )
        self.pseudo_button = widgets.Button(
            description="Compare with pseudo-pairs (the 20 cohort dyads)",
            tooltip="Pair this patient with other dyads' clinicians, and this clinician with their patients",
            layout=widgets.Layout(width="auto"),
        )
        self.pseudo_result: SurrogateResult | None = None
        self.progress = widgets.IntProgress(value=0, min=0, max=self.n_surrogates, description="Progress:")
        self.progress.layout.visibility = "hidden"
        self.test_result = widgets.HTML()

        # The first figure is computed synchronously, so the page shows data as soon as it appears.
        self._load(first)
        self.panel = ChartPanel(None, filename=f"synchrony-{self.session.id}")
        self.panel.describe_from(self.takeaway)  # screen readers hear what the figure shows now
        self._refresh(self._snapshot())

        self.session_picker.observe(self.on_session_change, names="value")
        self.kind_picker.observe(self.on_kind_change, names="value")
        self.method_picker.observe(self.on_method_change, names="value")
        for slider in (self.window_slider, self.step_slider, self.lag_slider):
            slider.observe(self.on_param_change, names="value")
        self.surrogate_picker.observe(self.on_param_change, names="value")
        self.upload.observe(self.on_upload, names="value")
        self.who_button.on_click(self.on_who_choice)
        self.test_button.on_click(self.on_run_test)
        self.pseudo_button.on_click(self.on_run_pseudo_pairs)
        self.csv_button.on_click(self.on_export_csv)

        controls = widgets.VBox(
            [
                widgets.HBox([self.session_picker, self.upload]),
                self.who_box,
                widgets.HBox([self.kind_picker, self.method_picker]),
                self.window_slider,
                self.step_slider,
                self.lag_slider,
                self.slider_note,
            ]
        )
        test_box = widgets.VBox(
            [
                widgets.HTML("<h3>Is it more than chance?</h3>"),
                widgets.HTML(
                    "<p style='max-width:640px'>The test destroys the timing link between the two people "
                    "many times (surrogates) and asks how often chance alone gives synchrony as high as the "
                    "real one. It does <b>not</b> rule out a shared outside driver (see the session "
                    "“Shared stressor”).</p>"
                ),
                self.surrogate_picker,
                widgets.HBox([self.test_button, self.pseudo_button]),
                self.progress,
                self.test_result,
            ]
        )
        self.widget = widgets.VBox(
            [
                self.banner,
                controls,
                self.message,
                self.panel,
                self.takeaway,
                widgets.HTML("<h3>Session summary</h3>"),
                self.summary,
                widgets.HBox([self.csv_button]),
                self.csv_link,
                test_box,
            ]
        )
        self.widget.add_class("ee-session-explorer")
        self._update_method_controls()

    # -------------------------------------------------------------------------------------------------
    # Display
    # -------------------------------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def show(self) -> widgets.VBox:
        """The page widget (for a notebook cell's last line)."""
        return self.widget

    def wait(self, timeout: float = 30.0) -> bool:
        """Wait until background work is done (tests). Returns False on timeout."""
        return self._compute.wait_idle(timeout) and self._surrogates.wait_idle(timeout)

    def show_message(self, text: str, *, kind: str = "error") -> None:
        """Show a friendly message above the figure (``kind``: "error" or "note"; empty text clears it)."""
        if not text:
            self.message.value = ""
            self._message_kind = ""
            return
        colour = {"error": "#8a1c00", "note": "#0b4f7c"}.get(kind, "#333")
        icon = "⚠ " if kind == "error" else ""
        self._message_kind = kind
        self.message.value = (
            f"<div class='ee-message ee-{kind}' role='alert' style='color:{colour};border:1px solid {colour};"
            f"padding:6px 10px;border-radius:4px;max-width:640px'>{icon}{html.escape(text)}</div>"
        )

    def _guard(self, action: Callable[[], None]) -> bool:
        """Run a user action; a mistake shows a friendly message, never a traceback."""
        try:
            action()
        except EmpathyExplorerError as err:
            self.show_message(str(err))
            return False
        except Exception:
            log.exception("Session explorer failed")
            self.show_message(GENERIC_ERROR)
            return False
        return True

    # -------------------------------------------------------------------------------------------------
    # Callbacks (plain methods; tests call them directly)
    # -------------------------------------------------------------------------------------------------

    def on_session_change(self, change: Mapping[str, Any] | None = None) -> None:
        """A session was picked: load it and replace the figure."""
        if self._mute:
            return
        key = self.session_picker.value
        self._new_generation()
        if self._guard(lambda: self._load(key)):
            self.show_message("")
            self._submit()

    def on_kind_change(self, change: Mapping[str, Any] | None = None) -> None:
        """EDA/HR switched: replace the figure with the other signal."""
        if self._mute:
            return
        self._new_generation()
        self._submit()

    def on_method_change(self, change: Mapping[str, Any] | None = None) -> None:
        """Another synchrony method: set its usual window and replace the figure."""
        if self._mute:
            return
        with self._muted():
            self.window_slider.value = METHODS[self.method_picker.value].default("window_s")
        self._new_generation()
        self._update_method_controls()
        self._submit()

    def on_param_change(self, change: Mapping[str, Any] | None = None) -> None:
        """A slider moved: recompute on full-rate data and update the chart's data in place."""
        if self._mute:
            return
        self._new_generation()
        self._submit()

    def on_upload(self, change: Mapping[str, Any] | None = None) -> None:
        """A file was uploaded: check its size, read it, add it to the session list and show it."""
        if self._mute:
            return
        files = self.upload.value
        if not files:
            return
        item = files[0]
        name = str(item.get("name", "upload.csv"))
        if len(files) > 1:
            name, item = self._bundle(files)
        try:
            self._guard(lambda: self._accept_upload(name, item))
        finally:
            with self._muted(), contextlib.suppress(Exception):
                self.upload.value = ()  # free the bytes; the same file can be chosen again

    def _bundle(self, files: Sequence[Mapping[str, Any]]) -> tuple[str, Mapping[str, Any]]:
        """Two files chosen together (one per person) as one in-memory ZIP, the way the loader takes pairs."""
        if len(files) != 2:
            raise InputError(
                f"{len(files)} files were chosen. Choose one file with both people, or the two people's "
                "files."
            )
        names = [str(f.get("name", f"file{i + 1}")) for i, f in enumerate(files)]
        limit = int(_recordings().MAX_FILE_BYTES)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for f, n in zip(files, names, strict=True):
                content = bytes(f.get("content", b""))
                if len(content) > limit:
                    raise InputError(
                        f"{n} is {len(content) / 1e6:.1f} MB; files up to {limit / 1e6:.0f} MB can be "
                        "analysed here. Cut the recording into shorter parts."
                    )
                zf.writestr(n, content)
        data = buf.getvalue()
        return " + ".join(names), {"content": data, "size": len(data)}

    def on_who_choice(self, _button: Any = None) -> None:
        """The user said which uploaded file is the patient's: load the pair with that choice."""
        if self._pending_upload is None or self.who_picker.value is None:
            return
        name, content = self._pending_upload
        choice = str(self.who_picker.value)

        def load() -> None:
            session = _recordings().load_recording(content, name=name, patient=choice)
            self._pending_upload = None
            self.who_box.layout.display = "none"
            self.show_message("")  # the question is answered
            self.add_session(session, f"Your upload: {name}")
            notes = " ".join(getattr(session, "notes", ()) or ())
            if self._message_kind != "error":
                self.show_message(f"Loaded {name}. {notes}".strip(), kind="note")

        self._guard(load)

    def on_run_test(self, _button: widgets.Button | None = None) -> None:
        """Start the surrogate test for the current settings (progress bar; cancelled by new settings)."""
        settings = self._snapshot()
        method = self.surrogate_picker.value
        self.surrogate_result = None
        self._start_test_ui("<i>Running… you can keep using the page; changing a setting stops the test.</i>")
        self._surrogates.submit(lambda: self._run_test(settings, method))

    def _start_test_ui(self, text: str) -> None:
        self.test_button.disabled = self.pseudo_button.disabled = True
        self.progress.max = self.n_surrogates
        self.progress.value = 0
        self.progress.layout.visibility = "visible"
        self.test_result.value = text

    def on_run_pseudo_pairs(self, _button: widgets.Button | None = None) -> None:
        """Compare this cohort dyad with pseudo-pairs from the other cohort dyads (stops on new settings)."""
        settings = self._snapshot()
        self.pseudo_result = None
        self._start_test_ui("<i>Computing every pairing of the cohort's patients and clinicians…</i>")
        self._surrogates.submit(lambda: self._run_pseudo_pairs(settings))

    def on_export_csv(self, _button: widgets.Button | None = None) -> None:
        """Make download links for the numbers behind the current figure (time course and summary)."""
        self._guard(self._export_csv)

    def _export_csv(self) -> None:
        with self._lock:
            view, settings = self.view, self._snapshot()
        if view is None:
            self.csv_link.value = "<i>No numbers to export for these settings.</i>"
            return
        s, kind = settings.session, settings.kind
        table = view.table.assign(session=s.id, signal=kind, method=settings.method, **settings.params)
        summary = pd.DataFrame(
            [(k, v) for k, v in view.summary.items()] + [(k, float(v)) for k, v in settings.params.items()],
            columns=["quantity", "value"],
        )
        summary.insert(0, "session", s.id)
        summary.insert(1, "signal", kind)
        summary.insert(2, "method", settings.method)
        self.csv_link.value = (
            download_link(table.to_csv(index=False), f"synchrony-{s.id}-{kind}-{settings.method}.csv",
                          "⬇ Download the numbers over time (CSV)")
            + " &nbsp; "
            + download_link(summary.to_csv(index=False), f"summary-{s.id}-{kind}-{settings.method}.csv",
                            "⬇ Download the summary (CSV)")
        )  # fmt: skip

    # -------------------------------------------------------------------------------------------------
    # Sessions
    # -------------------------------------------------------------------------------------------------

    def add_session(self, session: Session, label: str | None = None) -> str:
        """Add a session (e.g. an uploaded recording) to the picker, select it and show it.

        Parameters
        ----------
        session : Session
            The session to add.
        label : str, optional
            The name in the picker (default: the session's title).

        Returns
        -------
        str
            The picker key of the new entry.
        """
        self._n_uploads += 1
        key = f"upload:{self._n_uploads}:{session.id}"
        self._uploads[key] = session
        old = [k for k in self._uploads if k != key][: max(0, len(self._uploads) - _MAX_UPLOADS)]
        for k in old:  # keep memory bounded: forget the oldest uploads
            del self._uploads[k]
        options = [
            o
            for o in self.session_picker.options
            if not (o[1].startswith("upload:") and o[1] not in self._uploads)
        ]
        with self._muted():
            self.session_picker.options = [*options, (label or str(session.title), key)]
            self.session_picker.value = key
        self._new_generation()
        self._load(key)
        self._submit()
        return key

    def _accept_upload(self, name: str, item: Mapping[str, Any]) -> None:
        try:
            from empathy_explorer import recordings
        except ImportError as err:  # pragma: no cover - only before the recordings module exists
            raise InputError("Uploading recordings is not available in this version of the app.") from err

        content = item.get("content", b"")
        size = int(item.get("size") or len(content))
        limit = int(recordings.MAX_FILE_BYTES)
        if size > limit:
            raise InputError(
                f"{name} is {size / 1e6:.1f} MB; files up to {limit / 1e6:.0f} MB can be analysed here. "
                "Cut the recording into shorter parts or keep only the needed columns."
            )
        self.who_box.layout.display = "none"
        try:
            session = recordings.load_recording(bytes(content), name=name)
        except RecordingError as err:
            if err.choices:  # the names do not say who is who: ask (the message says so too)
                self._pending_upload = (name, bytes(content))
                self.who_picker.options = list(err.choices)
                self.who_picker.value = err.choices[0]
                self.who_box.layout.display = None
            raise
        self.add_session(session, f"Your upload: {name}")
        notes = " ".join(getattr(session, "notes", ()) or ())
        if self._message_kind != "error":
            self.show_message(f"Loaded {name}. {notes}".strip(), kind="note")

    def _load(self, key: str) -> None:
        from empathy_explorer import sessions

        session = self._uploads[key] if key in self._uploads else sessions.load_session(key)
        kinds = [k for k in ("eda", "hr") if k in session.kinds] + [
            k for k in session.kinds if k not in ("eda", "hr")
        ]
        with self._lock:
            self.session = session
            self._session_key = key
            with self._muted():
                self.kind_picker.options = [(k.upper(), k) for k in kinds]
                if self.kind_picker.value not in kinds:
                    self.kind_picker.value = kinds[0]
        if hasattr(self, "pseudo_button"):
            self.pseudo_button.layout.display = None if key in self._cohort_ids() else "none"
        if session.simulated:
            self.banner.value = (
                "<div class='ee-simulated' role='note' style='background:#F0E442;color:#000;font-weight:700;"
                "padding:6px 10px;border-radius:4px;max-width:640px'>SIMULATED DATA: this session was made "
                "by a computer model with a known answer (ground truth). It is not a real patient.</div>"
            )
        else:
            self.banner.value = (
                "<div class='ee-real' role='note' style='padding:4px 0;max-width:640px'>Your recording "
                f"<b>{html.escape(str(session.title))}</b>: the numbers below come from your file, "
                "which stays in this session only.</div>"
            )

    # -------------------------------------------------------------------------------------------------
    # Work
    # -------------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _muted(self) -> Iterator[None]:
        """Change widgets from code without triggering their callbacks."""
        self._mute += 1
        try:
            yield
        finally:
            self._mute -= 1

    def _new_generation(self) -> int:
        with self._lock:
            self._generation += 1
            return self._generation

    def _snapshot(self) -> _Settings:
        with self._lock:
            return _Settings(
                gen=self._generation,
                key=self._session_key,
                session=self.session,
                kind=self.kind_picker.value,
                method=self.method_picker.value,
                params={
                    "window_s": float(self.window_slider.value),
                    "step_s": float(self.step_slider.value),
                    "max_lag_s": float(self.lag_slider.value),
                },
            )

    def _submit(self) -> None:
        """Ask for the figure of the current settings (latest request wins)."""
        settings = self._snapshot()
        self._compute.submit(lambda: self._refresh(settings))

    def _refresh(self, settings: _Settings) -> None:
        """Compute and draw ``settings``; replace the chart only when session, signal or method changed.

        Never raises: anything unexpected is logged, the page shows :data:`GENERIC_ERROR`, and the next
        request redraws the whole chart.
        """
        try:
            self._refresh_unguarded(settings)
        except Exception:
            log.exception("Session explorer: showing %s failed", settings)
            with self._lock:
                self._drawn = None
                if settings.gen == self._generation:
                    self.show_message(GENERIC_ERROR)

    def _refresh_unguarded(self, settings: _Settings) -> None:
        error = ""
        view: SyncView | None = None
        try:
            x, y = settings.session.pair(settings.kind)
            view = compute_view(x, y, settings.session.fs, settings.method, **settings.params)
        except EmpathyExplorerError as err:
            error = str(err)
        except Exception:
            log.exception("Session explorer: computing %s failed", settings)
            error = GENERIC_ERROR
        full = settings.chart_key != self._drawn
        chart = build_chart(settings.session, settings.kind, settings.method, view) if full else None
        frames = None if full else _sync_frames(view)
        with self._lock:
            if settings.gen != self._generation:
                return  # stale: newer settings are on their way
            if chart is not None:
                self.panel.update(chart)
                self.panel.filename = f"synchrony-{settings.session.id}-{settings.kind}"
                self._drawn = settings.chart_key
            else:
                sync, lag = frames  # type: ignore[misc]
                self.panel.update_data(sync=sync, lag=lag)
            self.view = view
            self.csv_link.value = ""
            if error:
                self.show_message(error)
                self.takeaway.value = ""
                self.summary.value = "<i>No numbers for these settings (see the message above).</i>"
            else:
                if self._message_kind == "error":
                    self.show_message("")
                self._show_numbers(settings, view)  # type: ignore[arg-type]

    def _show_numbers(self, settings: _Settings, view: SyncView) -> None:
        s, kind, params = settings.session, settings.kind, settings.params
        finite = np.isfinite(view.lag_r)
        peak = float(view.lags_s[int(np.nanargmax(view.lag_r))]) if finite.any() else float("nan")
        best = float(np.nanmax(view.lag_r)) if finite.any() else float("nan")
        self.takeaway.value = (
            "<p class='ee-takeaway' style='max-width:640px'><b>Takeaway:</b> "
            + html.escape(self._takeaway_text(view, peak))
            + "</p>"
        )
        rows = [
            (
                "Session",
                s.title + (" (simulated)" if s.simulated and "simulated" not in s.title.lower() else ""),
            ),
            ("Signal", f"{KIND_LABELS.get(kind, kind.upper())} in {s.units.get(kind, '')}, {s.fs:g} Hz"),
            ("Duration", f"{s.duration_s / 60:.1f} min"),
            ("Method", METHODS[settings.method].display_name),
            ("Settings", ", ".join(f"{k} = {v:g}" for k, v in params.items())),
        ]
        rows += [(k, _fmt(v, 0 if k == "windows" else 2)) for k, v in view.summary.items()]
        rows.append(("Lag with the highest mean r", f"{_fmt(peak, 1)} s (mean r = {_fmt(best)})"))
        gt = getattr(s, "ground_truth", None)
        if gt is not None:
            rows.append(
                (
                    "Ground truth (simulator)",
                    f"coupling {gt.coupling:.2f}, leader {gt.leader}, lag {gt.lag_s:g} s, "
                    f"shared driver {gt.shared_driver:.2f}",
                )
            )
        if getattr(s, "rating", None) is not None:
            rows.append(("Patient-rated empathy (simulated)", f"{s.rating:.1f}"))
        self.summary.value = _html_table(rows)

    @staticmethod
    def _takeaway_text(view: SyncView, peak_lag: float) -> str:
        name, value = view.headline
        if not np.isfinite(value):
            return "No window had enough varying signal to compute a correlation; try a longer window."
        if name == "concordance index":
            sign = "more positive than negative" if value > 0 else "not mostly positive"
            text = f"Concordance index = {value:.2f} ({sign} slope correlations)."
        elif name == "phase-locking value":
            text = (
                f"Phase-locking value = {value:.2f} (0: no consistent delay between the rhythms, "
                "1: a fixed one)."
            )
        else:
            strength = "weak" if abs(value) < 0.2 else "moderate" if abs(value) < 0.5 else "strong"
            text = f"{name[0].upper() + name[1:]} = {value:.2f} ({strength})."
        if np.isfinite(peak_lag):
            text += f" The lag profile peaks at {peak_lag:+.1f} s."
        return text + " Synchrony alone is not empathy: check the significance test and the segments."

    def _update_method_controls(self) -> None:
        used = METHODS[self.method_picker.value].sliders
        sliders = {"window_s": self.window_slider, "step_s": self.step_slider, "max_lag_s": self.lag_slider}
        for name, slider in sliders.items():
            slider.style.handle_color = "#0072B2" if name in used else "#6E6E6E"  # ≥ 3:1 on white
        unused = [slider.description for name, slider in sliders.items() if name not in used]
        note = f" For this method, {' and '.join(unused)} change only the lag profile." if unused else ""
        self.slider_note.value = (
            "<p class='ee-method-note' style='max-width:640px;font-size:90%'>"
            f"{html.escape(METHODS[self.method_picker.value].description + note)}</p>"
        )

    def _run_guarded_test(
        self,
        settings: _Settings,
        work: Callable[[Callable[[int, int], None]], tuple[SurrogateResult, str]],
        store: Callable[[SurrogateResult], None],
    ) -> None:
        """Run a long test with progress; cancelled when settings change; never raises."""

        def progress(done: int, total: int) -> None:
            if settings.gen != self._generation:
                raise _Cancelled
            self.progress.max = max(1, int(total))
            self.progress.value = int(done)

        outcome = ""
        try:
            result, text = work(progress)
            with self._lock:
                if settings.gen != self._generation:
                    raise _Cancelled
                store(result)
                self.progress.value = self.progress.max
                outcome = text
        except _Cancelled:
            outcome = "<i>The settings changed, so the test was stopped. Press the button again.</i>"
        except EmpathyExplorerError as err:
            outcome = f"<span class='ee-error' style='color:#8a1c00'>⚠ {html.escape(str(err))}</span>"
        except Exception:
            log.exception("Significance test failed")
            outcome = f"<span class='ee-error' style='color:#8a1c00'>⚠ {html.escape(GENERIC_ERROR)}</span>"
        finally:
            self.test_result.value = outcome
            self.test_button.disabled = self.pseudo_button.disabled = False
            self.progress.layout.visibility = "hidden"

    def _run_test(self, settings: _Settings, surrogate_method: str) -> None:
        from empathy_explorer import synchrony

        def work(progress: Callable[[int, int], None]) -> tuple[SurrogateResult, str]:
            x, y = settings.session.pair(settings.kind)
            stat = headline_statistic(settings.method, settings.session.fs, **settings.params)
            n = self.n_surrogates
            result = synchrony.surrogate_test(
                x, y, settings.session.fs, stat, method=surrogate_method, n_surrogates=n, seed=0,
                progress=progress, chunk=max(1, n // 20),
            )  # fmt: skip
            return result, self._test_text(result, settings, surrogate_method)

        self._run_guarded_test(settings, work, lambda r: setattr(self, "surrogate_result", r))

    def _cohort_ids(self) -> list[str]:
        cat = self._catalogue
        if "group" not in cat:
            return []
        return [str(i) for i in cat.loc[cat["group"] == "cohort", "id"]]

    def _run_pseudo_pairs(self, settings: _Settings) -> None:
        from empathy_explorer import sessions, synchrony

        def work(progress: Callable[[int, int], None]) -> tuple[SurrogateResult, str]:
            ids = self._cohort_ids()
            if settings.key not in ids:
                raise InputError(
                    "Pseudo-pairs need a group of comparable dyads: pick one of the cohort sessions "
                    "('Cohort dyad 01' to '20')."
                )
            dyads = [sessions.load_session(i) for i in ids]
            stat = headline_statistic(settings.method, settings.session.fs, **settings.params)
            result = synchrony.pseudo_pairs(dyads, stat, kind=settings.kind, seed=0, progress=progress)
            return result, self._pseudo_text(result, ids.index(settings.key), settings)

        self._run_guarded_test(settings, work, lambda r: setattr(self, "pseudo_result", r))

    def _pseudo_text(self, result: SurrogateResult, i: int, settings: _Settings) -> str:
        stat_name = _STAT_NAMES[settings.method]
        pv = np.asarray(result.pair_values, dtype=float)
        others = [j for j in range(pv.shape[0]) if j != i]
        pseudo = np.concatenate([pv[i, others], pv[others, i]])
        pseudo = pseudo[np.isfinite(pseudo)]
        real = float(np.asarray(result.dyad_values, dtype=float)[i])
        reach = int(np.sum(pseudo >= real))
        verdict = (
            "the real dyads are, on average, more in step than people who never met"
            if result.p_value < 0.05
            else "the real dyads are not clearly more in step than people who never met"
        )
        return (
            f"<p class='ee-pseudo-result' style='max-width:640px'>This dyad's {html.escape(stat_name)}: "
            f"<b>{real:.3f}</b>. Its {pseudo.size} pseudo-pairs (this patient with the other clinicians, "
            f"this clinician with the other patients): mean {_finite_mean(pseudo):.3f}; {reach} of them "
            f"reach this dyad's value. Whole cohort ({pv.shape[0]} simulated dyads): mean of the real dyads "
            f"{result.observed:.3f} against {len(result.null)} pseudo-pairings (mean "
            f"{_finite_mean(result.null):.3f}), p = <b>{result.p_value:.3f}</b> (one-sided): {verdict}. "
            "Pseudo-pairs keep what each person's signal is like but not their partner; if the dyads went "
            "through different outside events, shared events are removed too.</p>"
        )

    def _test_text(self, result: SurrogateResult, settings: _Settings, surrogate_method: str) -> str:
        stat_name = _STAT_NAMES[settings.method]
        verdict = "unlikely to be chance alone" if result.p_value < 0.05 else "compatible with chance"
        null = np.asarray(result.null, dtype=float)
        caveat = (
            " Phase-randomised surrogates assume signals without slow drifts; skin conductance drifts, "
            "which can make chance look significant (Schreiber &amp; Schmitz 2000)."
            if surrogate_method == "phase_randomize"
            else ""
        )
        return (
            f"<p class='ee-test-result' style='max-width:640px'>Observed {html.escape(stat_name)}: "
            f"<b>{result.observed:.3f}</b>; {len(null)} surrogates "
            f"({html.escape(SURROGATE_METHODS[surrogate_method].lower())}): "
            f"mean {_finite_mean(null):.3f}. p = <b>{result.p_value:.3f}</b> (one-sided): {verdict}. "
            f"Effect size {result.effect_size:.2f} SD of the surrogates.{caveat}</p>"
        )
