"""The session explorer's figure: both signals, the synchrony over time and the lag profile, segments shaded.

The chart is built on four named datasets (``signals``, ``segments``, ``sync``, ``lag``), each thinned to at
most :data:`DISPLAY_POINTS` rows for drawing only, so a slider step replaces only the rows of ``sync`` and
``lag`` (:meth:`~empathy_explorer.app.charts.ChartPanel.update_data`). What each method's panel is called,
its axis range and the line under its title come from the method registry
(:mod:`empathy_explorer.synchrony.registry`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import numpy as np
import pandas as pd

from empathy_explorer.app.charts import (
    ROLE_COLORS,
    TONE_COLORS,
    downsample_for_display,
    series_dash,
    with_datasets,
)
from empathy_explorer.sessions.session import Session
from empathy_explorer.synchrony.registry import METHODS, Method

if TYPE_CHECKING:  # the explorer's state imports this module; only the type is needed here
    from empathy_explorer.app.explorer.state import SyncView

__all__ = ["DISPLAY_POINTS", "KIND_LABELS", "build_chart", "sync_frames"]

#: Rows drawn per dataset (Altair allows 5,000): about 2 px per min/max bucket on a 640 px chart, and much
#: less schema-validation time than 2,000+ rows when the chart is replaced. Statistics use every sample.
DISPLAY_POINTS = 1400

#: Signal kind -> what the page calls it.
KIND_LABELS = {"eda": "Skin conductance (EDA)", "hr": "Heart rate (HR)"}

_WIDTH = 640
_DASHED = {"color": "#777", "strokeDash": [4, 3]}


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


def sync_frames(view: SyncView | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``sync`` rows (synchrony over time, thinned to ≤ 1,400 rows) and the ``lag`` rows (lag profile).

    ``view=None`` (no numbers for these settings) gives one empty row each, so the panels stay in place.
    """
    if view is None:
        return pd.DataFrame({"t_min": [0.0], "value": [np.nan]}), pd.DataFrame(
            {"lag_s": [0.0], "r": [np.nan]}
        )
    t, v = view.times_s, view.values
    if len(t) > DISPLAY_POINTS:
        t, v = downsample_for_display(t, v, max_points=DISPLAY_POINTS)
    return pd.DataFrame({"t_min": t / 60.0, "value": v}), pd.DataFrame(
        {"lag_s": view.lags_s, "r": view.lag_r}
    )


def _zero_rule(axis: str) -> alt.Chart:
    """A dashed reference line at 0 on ``axis`` ("x" or "y")."""
    return alt.Chart(pd.DataFrame({axis: [0.0]})).mark_rule(**_DASHED).encode(**{axis: f"{axis}:Q"})


def _signals_panel(session: Session, kind: str, shade: alt.Chart, x_time: alt.X) -> alt.LayerChart:
    unit = session.units.get(kind, "")
    person_scale = alt.Scale(domain=list(ROLE_COLORS), range=list(ROLE_COLORS.values()))
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
    return alt.layer(shade, lines).properties(
        title=alt.TitleParams(
            f"{KIND_LABELS.get(kind, kind.upper())}: {session.title}{label}",
            subtitle="Both people, thinned for drawing only (the statistics use every sample).",
        ),
        width=_WIDTH,
        height=170,
    )


def _sync_panel(spec: Method, shade: alt.Chart, x_time: alt.X) -> alt.LayerChart:
    line = (
        alt.Chart(alt.NamedData("sync"))
        .mark_line(color="#000000", strokeWidth=1.4)
        .encode(
            x=x_time,
            y=alt.Y("value:Q", title=spec.value_label, scale=alt.Scale(domain=list(spec.value_range))),
        )
    )
    layers = [shade, line, _zero_rule("y")] if spec.value_range[0] < 0 else [shade, line]
    return alt.layer(*layers).properties(
        title=alt.TitleParams(f"Synchrony over time: {spec.display_name}", subtitle=spec.value_note),
        width=_WIDTH,
        height=150,
    )


def _lag_panel() -> alt.LayerChart:
    line = (
        alt.Chart(alt.NamedData("lag"))
        .mark_line(color="#0072B2", point=alt.OverlayMarkDef(color="#0072B2", size=18))
        .encode(
            x=alt.X("lag_s:Q", title="Lag (s)"),
            y=alt.Y("r:Q", title="Mean r across windows"),
            tooltip=[alt.Tooltip("lag_s:Q", format=".1f"), alt.Tooltip("r:Q", format=".3f")],
        )
    )
    return alt.layer(line, _zero_rule("x")).properties(
        title=alt.TitleParams(
            "Lag profile (windowed cross-correlation)",
            subtitle="Peak at a positive lag: the clinician follows the patient; negative: the patient "
            "follows.",
        ),
        width=_WIDTH,
        height=150,
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
        Key of :data:`~empathy_explorer.synchrony.registry.METHODS`.
    view : SyncView or None
        The numbers to draw (``None``: empty synchrony panels, e.g. after an error).

    Returns
    -------
    altair chart
        A chart on the named datasets ``signals``, ``segments``, ``sync`` and ``lag`` (see
        :func:`~empathy_explorer.app.charts.with_datasets`), each at most 1,400 rows.
    """
    signals, segments = _signal_frames(session, kind)
    sync, lag = sync_frames(view)
    tone_scale = alt.Scale(domain=list(TONE_COLORS), range=list(TONE_COLORS.values()))
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
    top = _signals_panel(session, kind, shade, x_time)
    middle = _sync_panel(METHODS[method], shade, x_time)
    chart = alt.vconcat(top, middle, _lag_panel(), spacing=24).resolve_scale(
        color="independent", fill="shared"
    )
    return with_datasets(chart, {"signals": signals, "segments": segments, "sync": sync, "lag": lag})
