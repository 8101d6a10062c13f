"""Offline, fast Altair charts for the notebooks and the Voilà app: every chart idea in one package.

Everything a chart needs is served from this machine: no CDN, no font or icon from the internet.

=================  ===================================================================================
Module             What it holds
=================  ===================================================================================
``theme``          The Okabe–Ito palette, person colours and line styles, the Vega-Lite theme.
``bundle``         The offline JavaScript (built once: ``python -m empathy_explorer.app.charts bundle``),
                   its carrier widget :class:`ChartBundle` and :class:`OfflineChart`, :func:`enable_offline`.
``panel``          :class:`ChartPanel` (in-place data updates, PNG/SVG export), :func:`with_datasets`,
                   :func:`downsample_for_display` (display-only thinning).
``describe``       Charts in words: the "Chart: … Takeaway: …" text alternative and "Show the numbers".
``factories``      Every chart factory: :func:`line_chart`, :func:`scatter_chart`, :func:`bar_chart`,
                   :func:`histogram_chart` (+ :func:`histogram_rows`), :func:`two_panel_chart`.
=================  ===================================================================================

Import the names from here (``from empathy_explorer.app.charts import ChartPanel, line_chart``); the
modules are the places to read and change them.
"""

from __future__ import annotations

from empathy_explorer.app.charts.bundle import (
    BUNDLE_GLOBAL,
    ChartBundle,
    OfflineChart,
    build_bundle,
    bundle_carrier,
    bundle_key,
    bundle_path,
    enable_offline,
    stub_esm,
)
from empathy_explorer.app.charts.describe import download_link, plain_text
from empathy_explorer.app.charts.factories import (
    BinTooltip,
    ChartFactory,
    ChartOptions,
    XYOptions,
    bar_chart,
    histogram_chart,
    histogram_rows,
    line_chart,
    scatter_chart,
    two_panel_chart,
)
from empathy_explorer.app.charts.panel import (
    MAX_ROWS,
    ChartPanel,
    check_rows,
    downsample_for_display,
    json_records,
    with_datasets,
)
from empathy_explorer.app.charts.theme import (
    CATEGORY_RANGE,
    DASH_PATTERNS,
    OKABE_ITO,
    ROLE_COLORS,
    ROLE_DASHES,
    THEME_NAME,
    TONE_COLORS,
    series_dash,
)

__all__ = [
    "BUNDLE_GLOBAL",
    "CATEGORY_RANGE",
    "DASH_PATTERNS",
    "MAX_ROWS",
    "OKABE_ITO",
    "ROLE_COLORS",
    "ROLE_DASHES",
    "THEME_NAME",
    "TONE_COLORS",
    "BinTooltip",
    "ChartBundle",
    "ChartFactory",
    "ChartOptions",
    "ChartPanel",
    "OfflineChart",
    "XYOptions",
    "bar_chart",
    "build_bundle",
    "bundle_carrier",
    "bundle_key",
    "bundle_path",
    "check_rows",
    "download_link",
    "downsample_for_display",
    "enable_offline",
    "histogram_chart",
    "histogram_rows",
    "json_records",
    "line_chart",
    "plain_text",
    "scatter_chart",
    "series_dash",
    "stub_esm",
    "two_panel_chart",
    "with_datasets",
]
