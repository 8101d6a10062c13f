"""A chart that updates in place (:class:`ChartPanel`), its named datasets, and display-only thinning.

Charts are built on named datasets (``alt.NamedData(name)``, attached with :func:`with_datasets`), so a
slider step replaces only the rows of a dataset (:meth:`ChartPanel.update_data`): the browser calls
``view.data(name, rows)`` through the offline bundle (:mod:`empathy_explorer.app.charts.bundle`), with no
Vega-Lite recompilation and no re-displayed output. Charts use the SVG renderer so that their content is
in the page's DOM (readable by screen readers and by the browser tests); their text alternative and
"Show the numbers" tables come from :mod:`empathy_explorer.app.charts.describe`.

Display data versus statistics
------------------------------
:func:`downsample_for_display` keeps, per bucket, the minimum and the maximum of each series (an
envelope), so peaks survive and a 50-minute recording never exceeds Altair's 5,000-row limit. It is for
drawing only: every statistic in this package is computed on the full-rate signals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd

from empathy_explorer.app.charts.bundle import OfflineChart, enable_offline, vl_version
from empathy_explorer.app.charts.describe import chart_title_text, numbers_tables, plain_text

__all__ = [
    "MAX_ROWS",
    "ChartPanel",
    "check_rows",
    "downsample_for_display",
    "json_records",
    "with_datasets",
]

#: Altair refuses to embed more rows than this (``MaxRowsError``); display data stays below it.
MAX_ROWS = 5000


# --------------------------------------------------------------------------------------------------
# Display-only downsampling
# --------------------------------------------------------------------------------------------------


def downsample_for_display(
    times_s: np.ndarray, values: np.ndarray, *, max_points: int = 2000
) -> tuple[np.ndarray, np.ndarray]:
    """Thin a long signal for drawing while keeping its peaks (min/max envelope per bucket).

    The samples are cut into equal buckets; in each bucket the sample with the smallest and the one
    with the largest value of every series are kept, in time order, together with the first and the
    last sample. Peaks and troughs therefore survive, which plain decimation would lose. Use it for
    charts only: statistics must use the full-rate data.

    Parameters
    ----------
    times_s : numpy.ndarray, shape (n,)
        Sample times in seconds, increasing.
    values : numpy.ndarray, shape (n,) or (n, k)
        One series, or ``k`` series sharing the same times (e.g. patient and clinician). NaN (gaps) are
        allowed and kept where a bucket holds nothing else.
    max_points : int, default 2000
        Upper bound on the number of rows returned (at least 4, at most :data:`MAX_ROWS`).

    Returns
    -------
    times_s : numpy.ndarray
        The kept times (a subset of the input, in order).
    values : numpy.ndarray
        The kept values, same shape convention as the input.

    Examples
    --------
    >>> t = np.arange(100_000) / 32.0
    >>> x = np.sin(t)
    >>> x[5_000] = 10.0  # a single-sample spike
    >>> td, xd = downsample_for_display(t, x, max_points=1000)
    >>> len(td) <= 1000, bool(xd.max() == 10.0)
    (True, True)
    """
    from empathy_explorer.errors import InputError

    t = np.asarray(times_s, dtype=float)
    v = np.asarray(values, dtype=float)
    if t.ndim != 1:
        raise InputError("times_s must be a one-dimensional array of sample times in seconds.")
    if v.ndim not in (1, 2) or v.shape[0] != t.shape[0]:
        raise InputError(
            f"values must have one row per time ({t.shape[0]} times) and one column per series; "
            f"got shape {v.shape}."
        )
    if not 4 <= int(max_points) <= MAX_ROWS:
        raise InputError(f"max_points must be between 4 and {MAX_ROWS}; got {max_points}.")
    n = t.shape[0]
    if n <= max_points:
        return t.copy(), v.copy()
    v2 = v.reshape(n, -1)
    k = v2.shape[1]
    n_buckets = max(1, (int(max_points) - 2) // (2 * k))
    length = math.ceil(n / n_buckets)
    n_buckets = math.ceil(n / length)
    pad = n_buckets * length - n
    low = np.where(np.isnan(v2), np.inf, v2)
    high = np.where(np.isnan(v2), -np.inf, v2)
    if pad:
        low = np.concatenate([low, np.full((pad, k), np.inf)])
        high = np.concatenate([high, np.full((pad, k), -np.inf)])
    offsets = (np.arange(n_buckets) * length)[:, None]
    i_min = low.reshape(n_buckets, length, k).argmin(axis=1) + offsets
    i_max = high.reshape(n_buckets, length, k).argmax(axis=1) + offsets
    keep = np.unique(np.concatenate([i_min.ravel(), i_max.ravel(), [0, n - 1]]))
    keep = keep[keep < n]
    return t[keep], v[keep]


# --------------------------------------------------------------------------------------------------
# Named datasets and the chart panel
# --------------------------------------------------------------------------------------------------


def json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe rows of ``frame`` as a chart dataset (NaN and infinities become null).

    Examples
    --------
    >>> json_records(pd.DataFrame({"r": [0.5, float("nan")]}))
    [{'r': 0.5}, {'r': None}]
    """
    clean = frame.replace([np.inf, -np.inf], np.nan)
    clean = clean.astype(object).where(clean.notna(), None)
    return clean.to_dict(orient="records")


def with_datasets(chart: alt.TopLevelMixin, datasets: Mapping[str, pd.DataFrame]) -> alt.TopLevelMixin:
    """Attach named datasets to a chart built on ``alt.NamedData(name)``.

    Charts built this way can have their data replaced in place by :meth:`ChartPanel.update_data`.

    Parameters
    ----------
    chart : altair chart
        A top-level chart whose layers read ``alt.NamedData(name)``.
    datasets : mapping of str to pandas.DataFrame
        The rows of each named dataset (each at most :data:`MAX_ROWS` rows).

    Returns
    -------
    altair chart
        A copy of ``chart`` carrying the datasets.

    Examples
    --------
    >>> df = pd.DataFrame({"t_s": [0.0, 1.0], "value": [1.0, 2.0]})
    >>> base = alt.Chart(alt.NamedData("signal")).mark_line().encode(x="t_s:Q", y="value:Q")
    >>> chart = with_datasets(base, {"signal": df})
    >>> chart.to_dict()["datasets"]["signal"][1]["value"]
    2.0
    """
    for name, frame in datasets.items():
        check_rows(name, frame)
    return chart.properties(datasets={name: json_records(frame) for name, frame in datasets.items()})


def check_rows(name: str, frame: pd.DataFrame) -> None:
    """Refuse a dataset longer than :data:`MAX_ROWS`, saying how to thin it for display."""
    if len(frame) > MAX_ROWS:
        raise ValueError(
            f"Dataset {name!r} has {len(frame)} rows; charts take at most {MAX_ROWS}. "
            "Use downsample_for_display() for long signals."
        )


class ChartPanel(widgets.VBox):
    """A chart that updates in place, with PNG/SVG export buttons.

    Put the panel in the page once; afterwards change what it shows with :meth:`update_data` (fast:
    only new rows travel to the browser) or :meth:`update` (replace the whole chart). Callbacks never
    re-display outputs.

    Parameters
    ----------
    chart : altair chart, optional
        The first chart to show.
    filename : str, default "figure"
        Base name of exported files.
    export : bool, default True
        Show the "Save PNG" / "Save SVG" buttons (the browser draws the image; works offline).

    Attributes
    ----------
    chart_widget : OfflineChart
        The wrapped ``alt.JupyterChart``.
    datasets : dict of str to pandas.DataFrame
        The named datasets currently shown (what the chart draws, for tests and CSV export).

    Examples
    --------
    >>> df = pd.DataFrame({"t_s": [0.0, 1.0], "value": [1.0, 2.0]})
    >>> base = alt.Chart(alt.NamedData("signal")).mark_line().encode(x="t_s:Q", y="value:Q")
    >>> panel = ChartPanel(with_datasets(base, {"signal": df}))
    >>> panel.update_data(signal=df.assign(value=[3.0, 4.0]))
    >>> panel.datasets["signal"]["value"].tolist()
    [3.0, 4.0]
    """

    def __init__(
        self, chart: alt.TopLevelMixin | None = None, *, filename: str = "figure", export: bool = True
    ):
        enable_offline()
        self.filename = filename
        self.chart_widget = OfflineChart(
            chart,
            embed_options={"renderer": "svg", "actions": False},
        )
        self.datasets: dict[str, pd.DataFrame] = {}
        self._set_datasets_from(chart)
        self._png = widgets.Button(description="Save PNG", icon="", tooltip="Download the figure as PNG")
        self._svg = widgets.Button(description="Save SVG", icon="", tooltip="Download the figure as SVG")
        for button in (self._png, self._svg):
            button.layout = widgets.Layout(width="auto")
        self._png.on_click(lambda _b: self.export_image("png"))
        self._svg.on_click(lambda _b: self.export_image("svg"))
        # "Show the numbers": the displayed data as tables, built only while shown (no cost per slider
        # step when hidden).
        self.numbers_button = widgets.ToggleButton(
            value=False,
            description="Show the numbers",
            tooltip="Show the numbers the chart draws, as tables (for screen readers and for checking)",
            layout=widgets.Layout(width="auto"),
        )
        self.numbers = widgets.HTML("", layout=widgets.Layout(display="none"))
        self.numbers.add_class("ee-numbers")
        self.numbers_button.observe(lambda _change: self._show_numbers(), names="value")
        buttons = [self.numbers_button, self._png, self._svg] if export else [self.numbers_button]
        self.toolbar = widgets.HBox(buttons)
        self.toolbar.add_class("ee-chart-toolbar")
        self._title = chart_title_text(chart)
        self._takeaway = ""
        self.describe()
        super().__init__(children=[self.chart_widget, self.toolbar, self.numbers])
        self.add_class("ee-chart-panel")

    # --- words for screen readers ------------------------------------------------------------------

    @property
    def description(self) -> str:
        """What the chart shows now, in words (its title, then the current takeaway)."""
        return self.chart_widget._ee_description

    def describe(self, takeaway: str | None = None) -> str:
        """Set the chart's text alternative: its title(s) and what it shows now.

        Parameters
        ----------
        takeaway : str, optional
            One plain sentence on what the chart shows now (a demo's takeaway; HTML tags are dropped).
            ``None`` keeps the last one.

        Returns
        -------
        str
            The description screen readers now read for the chart.

        Examples
        --------
        >>> df = pd.DataFrame({"t_s": [0.0, 1.0], "value": [1.0, 2.0]})
        >>> base = alt.Chart(alt.NamedData("signal")).mark_line().encode(x="t_s:Q", y="value:Q")
        >>> panel = ChartPanel(with_datasets(base.properties(title="A signal"), {"signal": df}))
        >>> panel.describe("It rises from 1 to 2.")
        'Chart: A signal. It rises from 1 to 2.'
        """
        if takeaway is not None:
            self._takeaway = plain_text(takeaway)
        parts = [f"Chart: {self._title}." if self._title else "Chart."]
        if self._takeaway:
            parts.append(self._takeaway)
        text = " ".join(parts)
        if self.chart_widget._ee_description != text:
            self.chart_widget._ee_description = text
        return text

    def describe_from(self, widget: widgets.HTML) -> None:
        """Keep the description equal to an HTML widget's text (a demo's takeaway line), now and after."""
        self.describe(widget.value)
        widget.observe(lambda change: self.describe(change["new"]), names="value")

    # --- "Show the numbers" ------------------------------------------------------------------------

    def _show_numbers(self) -> None:
        shown = bool(self.numbers_button.value)
        self.numbers_button.description = "Hide the numbers" if shown else "Show the numbers"
        self.numbers.value = self.numbers_html() if shown else ""
        self.numbers.layout.display = None if shown else "none"

    def numbers_html(self, max_rows: int = 200) -> str:
        """The displayed data as HTML tables (one per named dataset), with a CSV download of each.

        Parameters
        ----------
        max_rows : int, default 200
            Rows shown per table; the CSV link holds every displayed row.

        Returns
        -------
        str
            HTML: ``<table>`` elements with captions and column headers (the chart's axis titles
            where the chart names them).
        """
        return numbers_tables(self.datasets, self.chart, filename=self.filename, max_rows=max_rows)

    @property
    def chart(self) -> alt.TopLevelMixin | None:
        """The Altair chart last given to :meth:`update` (its datasets may be older than :attr:`datasets`)."""
        return self.chart_widget.chart

    def _set_datasets_from(self, chart: alt.TopLevelMixin | None) -> None:
        self.datasets = {}
        if chart is None:
            return
        ds = getattr(chart, "datasets", alt.Undefined)
        if ds is not alt.Undefined and ds:
            self.datasets = {name: pd.DataFrame.from_records(rows) for name, rows in dict(ds).items()}

    def update(self, chart: alt.TopLevelMixin) -> None:
        """Replace the whole chart (re-embeds it in the browser; use :meth:`update_data` when you can)."""
        with self.chart_widget.hold_sync():
            self.chart_widget._ee_data = {}
            self.chart_widget.chart = chart
        self._set_datasets_from(chart)
        self._title = chart_title_text(chart)
        self.describe()
        if self.numbers_button.value:
            self.numbers.value = self.numbers_html()

    def update_data(self, datasets: Mapping[str, pd.DataFrame] | None = None, **frames: pd.DataFrame) -> None:
        """Replace named datasets in place (the fast path: no re-embedding).

        Parameters
        ----------
        datasets, **frames : pandas.DataFrame
            New rows for datasets the current chart already has (by name).
        """
        new = dict(datasets or {}, **frames)
        unknown = sorted(set(new) - set(self.datasets))
        if unknown:
            raise ValueError(f"The chart has no dataset named {unknown}; it has {sorted(self.datasets)}.")
        for name, frame in new.items():
            check_rows(name, frame)
        payload = dict(self.chart_widget._ee_data)
        payload.update({name: json_records(frame) for name, frame in new.items()})
        with self.chart_widget.hold_sync():
            self.chart_widget._ee_data = payload
            self.chart_widget._ee_version += 1
        self.datasets.update({name: frame.reset_index(drop=True) for name, frame in new.items()})
        if self.numbers_button.value:
            self.numbers.value = self.numbers_html()

    def current_spec(self) -> dict[str, Any]:
        """The Vega-Lite spec as shown now (the chart with its latest datasets)."""
        if self.chart is None:
            return {}
        spec = self.chart.to_dict()
        if "datasets" in spec:
            for name, frame in self.datasets.items():
                if name in spec["datasets"]:
                    spec["datasets"][name] = json_records(frame)
        return spec

    def export_image(self, fmt: str = "png") -> None:
        """Ask the browser to download the figure as ``fmt`` ("png" or "svg"); drawn client-side."""
        if fmt not in ("png", "svg"):
            raise ValueError(f"Unknown image format {fmt!r}; use 'png' or 'svg'.")
        self.chart_widget.send({"type": "ee-export", "format": fmt, "filename": f"{self.filename}.{fmt}"})

    def to_image(self, fmt: str = "svg", *, scale: float = 2.0) -> bytes | str:
        """Render the current figure in Python (imports vl_convert lazily: slow the first time).

        For scripts and tests; in the page, the export buttons are cheaper.
        """
        import vl_convert as vlc

        spec = self.current_spec()
        if fmt == "svg":
            return vlc.vegalite_to_svg(spec, vl_version=vl_version())
        if fmt == "png":
            return vlc.vegalite_to_png(spec, vl_version=vl_version(), scale=scale)
        raise ValueError(f"Unknown image format {fmt!r}; use 'png' or 'svg'.")
