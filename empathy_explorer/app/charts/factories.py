"""Every chart factory of the lessons: lines, points, bars, histograms, two panels side by side.

A *chart factory* is what :class:`~empathy_explorer.app.widgets.Demo` takes: a function
``make_chart(datasets) -> altair chart`` that draws named datasets (``alt.NamedData``, attached with
:func:`~empathy_explorer.app.charts.panel.with_datasets`), so a slider step only replaces rows. Every
chart has a title, axis titles with units, the colour-blind-safe colours of
:mod:`empathy_explorer.app.charts.theme`, and lines that differ by style as well as by colour.

- :func:`line_chart` and :func:`scatter_chart`: one x/y builder; lines or points are its one difference.
- :func:`histogram_chart` (with :func:`histogram_rows`): every histogram, with an optional dashed marker
  (the observed value, a reference r); :func:`bar_chart` draws category bars (and histograms through it).
- :func:`two_panel_chart`: two line panels side by side under one title.

The keywords shared by all factories (titles, series colours, fixed axis ranges, height) are listed once,
in :class:`ChartOptions`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Required, TypedDict, Unpack

import altair as alt
import numpy as np
import pandas as pd

from empathy_explorer.app.charts.panel import with_datasets
from empathy_explorer.app.charts.theme import CATEGORY_RANGE, OKABE_ITO, series_dash

__all__ = [
    "BinTooltip",
    "ChartFactory",
    "ChartOptions",
    "XYOptions",
    "bar_chart",
    "histogram_chart",
    "histogram_rows",
    "line_chart",
    "scatter_chart",
    "two_panel_chart",
]

#: What :class:`~empathy_explorer.app.widgets.Demo` calls once to build its chart from named datasets.
ChartFactory = Callable[[Mapping[str, pd.DataFrame]], Any]

#: A fixed axis range (low, high), so that moving a slider does not rescale the axis.
Domain = tuple[float, float]


class ChartOptions(TypedDict, total=False):
    """Keywords every chart factory takes.

    Attributes
    ----------
    title, x_title, y_title : str
        Chart title and axis titles (required); put units in the axis titles, e.g. "Time (ms)".
    subtitle : str or None
        A second title line (e.g. "Simulated data").
    series : str or None
        Column that splits the data into coloured series.
    series_title : str or None
        Legend title of ``series``.
    colors : mapping of str to str or None
        Series value -> colour (default: the Okabe–Ito category palette of the theme); lines then also
        get one line style per series (patient solid, clinician dashed).
    x_domain, y_domain : (float, float) or None
        Fixed axis ranges.
    height : int
        Height of the plot in pixels.
    """

    title: Required[str]
    x_title: Required[str]
    y_title: Required[str]
    subtitle: str | None
    series: str | None
    series_title: str | None
    colors: Mapping[str, str] | None
    x_domain: Domain | None
    y_domain: Domain | None
    height: int


# --------------------------------------------------------------------------------------------------
# Pieces every factory uses
# --------------------------------------------------------------------------------------------------


def _scale(domain: Domain | None, *, zero: bool = False) -> Any:
    return alt.Scale(domain=list(domain), zero=zero) if domain else alt.Scale(zero=zero)


def _color(options: ChartOptions, legend: Any = None) -> Any:
    """One colour per series value (the theme's first colour when there is no series)."""
    series, colors = options.get("series"), options.get("colors")
    if series is None:
        return alt.value(CATEGORY_RANGE[0])
    scale = alt.Scale(domain=list(colors), range=list(colors.values())) if colors else alt.Scale()
    legend = alt.Legend(labelLimit=600) if legend is None else legend
    return alt.Color(f"{series}:N", title=options.get("series_title") or None, scale=scale, legend=legend)


def _line_style(options: ChartOptions, dashed: str | None, legend: Any = None) -> dict[str, Any]:
    """A ``strokeDash`` encoding: ``dashed`` names the one dashed series, else one style per colour."""
    series, colors = options.get("series"), options.get("colors")
    if not series:
        return {}
    if dashed is not None:
        return {
            "strokeDash": alt.condition(alt.datum[series] == dashed, alt.value([6, 4]), alt.value([1, 0]))
        }
    if not colors:
        return {}
    # Each line also gets its own style (patient solid, clinician dashed): not colour alone.
    legend = alt.Legend(labelLimit=600) if legend is None else legend
    title = options.get("series_title") or None
    return {"strokeDash": series_dash(series, list(colors), title=title, legend=legend)}


def _xy_tooltip(x: str, y: str, options: ChartOptions, series_label: str | None = None) -> list[Any]:
    tooltip = [
        alt.Tooltip(f"{x}:Q", title=options["x_title"], format=".3~g"),
        alt.Tooltip(f"{y}:Q", title=options["y_title"], format=".3~g"),
    ]
    if series_label is not None and options.get("series"):
        tooltip.append(alt.Tooltip(f"{options.get('series')}:N", title=series_label))
    return tooltip


def _rule(data: str, x: str, *, dash: list[int], width: float | None = None, tooltip: Any = None) -> Any:
    """A vertical black rule at each row's ``x`` of dataset ``data`` (a marker such as the true lag)."""
    style: dict[str, Any] = {"strokeDash": dash, "color": OKABE_ITO["black"]}
    if width is not None:
        style["strokeWidth"] = width
    encoding: dict[str, Any] = {"x": alt.X(f"{x}:Q")}
    if tooltip is not None:
        encoding["tooltip"] = tooltip
    return alt.Chart(alt.NamedData(data)).mark_rule(**style).encode(**encoding)


def _finish(
    layers: list[Any], options: ChartOptions, datasets: Mapping[str, pd.DataFrame], height: int
) -> Any:
    """Layer the marks under the title and attach the datasets."""
    subtitle = options.get("subtitle")
    title = alt.TitleParams(options["title"], subtitle=subtitle) if subtitle else options["title"]
    chart = alt.layer(*layers).properties(title=title, height=options.get("height", height))
    return with_datasets(chart, dict(datasets))


# --------------------------------------------------------------------------------------------------
# Lines and points
# --------------------------------------------------------------------------------------------------


class XYOptions(ChartOptions, total=False):
    """Keywords of :func:`line_chart` and :func:`scatter_chart`: the columns, then optional overlays.

    Attributes
    ----------
    x, y : str
        Column names (required).
    points : str or None
        Name of a dataset of points drawn on top (same ``x``/``y`` columns; optional ``series``).
    line : str or None
        Name of a dataset with the same ``x``/``y`` columns drawn as a black line (e.g. a regression line).
    vline : str or None
        Name of a dataset with an ``x`` column: vertical dashed lines.
    hline : float or None
        A fixed horizontal reference line (black, dashed).
    dashed : str or None
        Lines only: the value of ``series`` drawn dashed (e.g. a threshold line); the others are solid.
    error_low, error_high : str or None
        Columns of the lower and upper ends of vertical error bars (e.g. a 95% interval).
    """

    x: Required[str]
    y: Required[str]
    points: str | None
    line: str | None
    vline: str | None
    hline: float | None
    dashed: str | None
    error_low: str | None
    error_high: str | None


def _error_bars(data: str, xy: Mapping[str, Any], options: XYOptions) -> list[Any]:
    low, high = options.get("error_low"), options.get("error_high")
    if not (low and high):
        return []
    y_low = alt.Y(f"{low}:Q", title=options["y_title"], scale=_scale(options.get("y_domain")))
    rule = alt.Chart(alt.NamedData(data)).mark_rule(opacity=0.6, strokeWidth=2, clip=True)
    return [rule.encode(**{**xy, "y": y_low, "y2": f"{high}:Q"})]


def _overlays(xy: Mapping[str, Any], options: XYOptions) -> list[Any]:
    """The optional layers drawn over the main marks: points, a black line, vertical and horizontal rules."""
    layers = []
    if options.get("points"):
        dots = alt.Chart(alt.NamedData(options.get("points"))).mark_point(size=90, filled=True, clip=True)
        layers.append(dots.encode(**xy))
    if options.get("line"):
        fit = alt.Chart(alt.NamedData(options.get("line"))).mark_line(color=OKABE_ITO["black"])
        layers.append(fit.encode(x=xy["x"], y=xy["y"]))
    vline, hline = options.get("vline"), options.get("hline")
    if vline:
        layers.append(_rule(vline, options["x"], dash=[5, 4]))
    if hline is not None:
        rule = alt.Chart(alt.Data(values=[{"_h": hline}])).mark_rule(
            strokeDash=[2, 3], color=OKABE_ITO["black"]
        )
        layers.append(rule.encode(y="_h:Q"))
    return layers


def _xy_chart(data: str, mark: Literal["line", "point"], options: XYOptions) -> ChartFactory:
    """The one x/y builder: lines (``mark="line"``) or points (``"point"``) of ``data``, plus overlays."""
    x, y = options["x"], options["y"]

    def make_chart(datasets: Mapping[str, pd.DataFrame]) -> Any:
        x_enc = alt.X(f"{x}:Q", title=options["x_title"], scale=_scale(options.get("x_domain")))
        y_enc = alt.Y(f"{y}:Q", title=options["y_title"], scale=_scale(options.get("y_domain")))
        xy = {"x": x_enc, "y": y_enc, "color": _color(options)}
        if mark == "line":
            main = alt.Chart(alt.NamedData(data)).mark_line(clip=True)
            style, series_label = (
                _line_style(options, options.get("dashed")),
                options.get("series_title") or "series",
            )
        else:
            main = alt.Chart(alt.NamedData(data)).mark_point(size=70, filled=True, opacity=0.9, clip=True)
            style, series_label = {}, None
        main = main.encode(**xy, **style, tooltip=_xy_tooltip(x, y, options, series_label))
        layers = [*_error_bars(data, xy, options), main, *_overlays(xy, options)]
        return _finish(layers, options, datasets, 240 if mark == "line" else 260)

    return make_chart


def line_chart(data: str, **options: Unpack[XYOptions]) -> ChartFactory:
    """A chart factory for :class:`~empathy_explorer.app.widgets.Demo`: lines of one named dataset.

    Parameters
    ----------
    data : str
        Name of the dataset holding the lines (columns ``x``, ``y`` and optionally ``series``).
    **options
        Columns ``x`` and ``y``, overlays (see :class:`XYOptions`), titles, series, colours, axis ranges
        and height (default 240; see :class:`ChartOptions`).

    Returns
    -------
    callable
        ``make_chart(datasets)`` returning the Altair chart with the datasets attached.

    Examples
    --------
    >>> rows = pd.DataFrame({"t_s": [0.0, 1.0], "r": [0.1, 0.4]})
    >>> make_chart = line_chart("r", x="t_s", y="r", title="r over time", x_title="Time (s)", y_title="r")
    >>> make_chart({"r": rows}).to_dict()["layer"][0]["mark"]["type"]
    'line'
    """
    return _xy_chart(data, "line", options)


def scatter_chart(data: str, **options: Unpack[XYOptions]) -> ChartFactory:
    """A chart factory for :class:`~empathy_explorer.app.widgets.Demo`: points, error bars, a fitted line.

    The same chart as :func:`line_chart` with points for lines (no line styles; height 260 by default).
    """
    return _xy_chart(data, "point", options)


# --------------------------------------------------------------------------------------------------
# Bars and histograms
# --------------------------------------------------------------------------------------------------


def histogram_rows(
    values: Any, *, bins: int | Any = 30, value_range: tuple[float, float] | None = None
) -> pd.DataFrame:
    """Counts per bin as rows ``bin_start``, ``bin_end``, ``count`` for :func:`histogram_chart` (NaN dropped).

    Examples
    --------
    >>> histogram_rows([0.1, 0.2, 0.8], bins=2, value_range=(0, 1))["count"].tolist()
    [2, 1]
    """
    v = np.asarray(values, dtype=float).ravel()
    v = v[np.isfinite(v)]
    counts, edges = np.histogram(v, bins=bins, range=value_range)
    return pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "count": counts})


@dataclass(frozen=True)
class BinTooltip:
    """What hovering over a histogram bar says: the bin's two edges and its count.

    Attributes
    ----------
    start, end : str
        Labels of the bin's edges, e.g. "from" / "to" or "r from" / "r to".
    count : str or None
        Label of the count (default: the y-axis title).
    number_format : str
        d3 format of the edges.
    """

    start: str = "from"
    end: str = "to"
    count: str | None = None
    number_format: str = ".3~g"


def histogram_chart(
    data: str,
    *,
    x: str = "bin_start",
    x_end: str = "bin_end",
    y: str = "count",
    color: str = OKABE_ITO["blue"],
    marker: str | None = None,
    marker_label: str | None = None,
    tooltip: BinTooltip | None = None,
    **options: Unpack[ChartOptions],
) -> ChartFactory:
    """A chart factory for every histogram: bars from 0 up to each bin's count, and an optional marker.

    Parameters
    ----------
    data : str
        Name of the dataset of bins (default columns those of :func:`histogram_rows`).
    x, x_end, y : str
        Columns of the bin's start, its end and its count.
    color : str, default Okabe–Ito blue
        Colour of the bars when there is no ``series``.
    marker : str, optional
        Name of a dataset with an ``x`` column drawn as vertical dashed lines (an observed value, a
        reference r).
    marker_label : str, optional
        Names the marker on hover (e.g. "real data"); a named marker is drawn a little heavier.
    tooltip : BinTooltip, optional
        What hovering over a bar says (default: "from", "to" and the y-axis title).
    **options
        Titles, series (bars coloured by a column), colours, axis ranges and height (default 240): see
        :class:`ChartOptions`.

    Examples
    --------
    >>> make_chart = histogram_chart("hist", title="Null", x_title="r", y_title="Surrogates (count)")
    >>> make_chart({"hist": histogram_rows([0.1, 0.2, 0.8], bins=2)}).to_dict()["layer"][0]["mark"]["type"]
    'bar'
    """

    hover = tooltip or BinTooltip()

    def make_chart(datasets: Mapping[str, pd.DataFrame]) -> Any:
        fmt = hover.number_format
        enc = {
            "x": alt.X(f"{x}:Q", title=options["x_title"], scale=_scale(options.get("x_domain"))),
            "x2": alt.X2(f"{x_end}:Q"),
            "y": alt.Y(
                f"{y}:Q",
                title=options["y_title"],
                stack=None,
                scale=_scale(options.get("y_domain"), zero=True),
            ),
            # Without an explicit baseline Vega-Lite draws ranged-x bars as 5-px ticks at the count.
            "y2": alt.datum(0),
            "color": _color(options) if options.get("series") else alt.value(color),
            "tooltip": [
                alt.Tooltip(f"{x}:Q", title=hover.start, format=fmt),
                alt.Tooltip(f"{x_end}:Q", title=hover.end, format=fmt),
                alt.Tooltip(f"{y}:Q", title=hover.count or options["y_title"]),
            ],
        }
        bars = alt.Chart(alt.NamedData(data)).mark_bar(
            opacity=0.85, clip=True, stroke="white", strokeWidth=0.5
        )
        layers = [bars.encode(**enc)]
        if marker and marker_label:
            named = [alt.Tooltip(f"{x}:Q", title=marker_label, format=".3f")]
            layers.append(_rule(marker, x, dash=[6, 4], width=2.5, tooltip=named))
        elif marker:
            layers.append(_rule(marker, x, dash=[5, 4], width=2))
        return _finish(layers, options, datasets, 240)

    return make_chart


def bar_chart(
    data: str,
    *,
    x: str,
    y: str,
    x_end: str | None = None,
    vline: str | None = None,
    horizontal_categories: bool = False,
    **options: Unpack[ChartOptions],
) -> ChartFactory:
    """A chart factory for :class:`~empathy_explorer.app.widgets.Demo`: one bar per category.

    Parameters
    ----------
    data : str
        Name of the dataset.
    x, y : str
        Columns: ``x`` the category, ``y`` the value. With ``x_end`` the bars are a histogram
        (:func:`histogram_chart`; ``x`` the bin start, ``x_end`` its end, ``y`` the count).
    vline : str, optional
        A dataset with an ``x`` column: vertical dashed markers (histograms only).
    horizontal_categories : bool, default False
        Draw category bars horizontally (long labels stay readable).
    **options
        Titles, series (colour the bars by a column), colours, axis ranges and height (default 240): see
        :class:`ChartOptions`.
    """
    if x_end is not None:
        return histogram_chart(data, x=x, x_end=x_end, y=y, marker=vline, **options)

    def make_chart(datasets: Mapping[str, pd.DataFrame]) -> Any:
        y_domain = options.get("y_domain")
        value_scale = alt.Scale(domain=list(y_domain)) if y_domain else alt.Scale()
        category = {"field": x, "type": "nominal", "title": options["x_title"], "sort": None}
        value = {"field": y, "type": "quantitative", "title": options["y_title"], "scale": value_scale}
        if horizontal_categories:
            enc = {"y": alt.Y(**category), "x": alt.X(**value)}
        else:
            enc = {"x": alt.X(**category), "y": alt.Y(**value)}
        tooltip = [
            alt.Tooltip(f"{x}:N", title=options["x_title"]),
            alt.Tooltip(f"{y}:Q", title=options["y_title"]),
        ]
        bars = alt.Chart(alt.NamedData(data)).mark_bar(opacity=0.85, clip=True)
        return _finish([bars.encode(**enc, color=_color(options), tooltip=tooltip)], options, datasets, 240)

    return make_chart


# --------------------------------------------------------------------------------------------------
# Two panels side by side
# --------------------------------------------------------------------------------------------------


def _panel(spec: Mapping[str, Any]) -> Any:
    """One line panel of :func:`two_panel_chart` (legend below the panel, tooltips name the line)."""
    options: ChartOptions = {
        "title": spec["title"],
        "x_title": spec["x_title"],
        "y_title": spec["y_title"],
        "series": spec["series"],
        "colors": spec["colors"],
    }
    legend = alt.Legend(orient="bottom", labelLimit=400)
    y_domain = spec.get("y_domain")
    enc = {
        "x": alt.X(f"{spec['x']}:Q", title=spec["x_title"], scale=alt.Scale(zero=False)),
        "y": alt.Y(
            f"{spec['y']}:Q",
            title=spec["y_title"],
            scale=alt.Scale(domain=list(y_domain)) if y_domain else alt.Scale(zero=False),
        ),
        "color": _color(options, legend),
        "tooltip": _xy_tooltip(spec["x"], spec["y"], options, "line"),
    }
    if spec.get("dashed") or len(spec["colors"]) > 1:  # one line needs no style of its own
        enc.update(_line_style(options, spec.get("dashed"), legend))
    lines = alt.Chart(alt.NamedData(spec["data"])).mark_line(clip=True, point=bool(spec.get("points")))
    layers = [lines.encode(**enc)]
    if spec.get("vline"):
        hover = [alt.Tooltip("label:N", title="marker")]
        layers.append(_rule(spec["vline"], spec["x"], dash=[5, 4], tooltip=hover))
    return alt.layer(*layers).properties(title=spec["title"], width=330, height=220)


def two_panel_chart(
    datasets: Mapping[str, pd.DataFrame],
    *,
    title: str,
    left: Mapping[str, Any],
    right: Mapping[str, Any],
    subtitle: str = "Simulated data (illustrative model, not fitted to patients)",
) -> Any:
    """Two line charts side by side (each from a named dataset), under one title.

    Parameters
    ----------
    datasets : mapping of str to pandas.DataFrame
        The rows of every dataset the panels name.
    title, subtitle : str
        Title and second title line of the whole figure.
    left, right : mapping
        One panel each: ``data`` (dataset name), ``x``, ``y``, ``series`` (column naming the lines),
        ``colors`` (line -> colour), ``title``, ``x_title``, ``y_title`` (units in brackets), and optionally
        ``y_domain`` (fixed range), ``points`` (mark each value), ``dashed`` (the line drawn dashed) and
        ``vline`` (a dataset with ``x`` and ``label`` columns drawn as dashed vertical markers).

    Returns
    -------
    altair chart
        The figure, with the datasets attached.
    """
    chart = (
        alt.hconcat(_panel(left), _panel(right))
        .resolve_scale(color="independent")
        .properties(title=alt.TitleParams(title, subtitle=subtitle))
    )
    return with_datasets(chart, dict(datasets))
