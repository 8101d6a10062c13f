"""Charts in words: the text alternative screen readers read, and the numbers a chart draws as tables.

:class:`~empathy_explorer.app.charts.panel.ChartPanel` names each chart by its title(s) and the demo's
current takeaway ("Chart: … Takeaway: …", see :func:`chart_title_text` and :func:`plain_text`) and, on
request, shows the displayed rows as HTML tables with the chart's axis titles as column headers
(:func:`numbers_tables`), each with a CSV download (:func:`download_link`).
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Mapping
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

__all__ = ["chart_title_text", "download_link", "field_titles", "numbers_tables", "plain_text"]


def download_link(data: bytes | str, filename: str, label: str, *, mime: str = "text/csv") -> str:
    """HTML for a link that downloads ``data`` as ``filename`` (a data: URL; works offline, no server file).

    Examples
    --------
    >>> download_link("a,b\\n1,2\\n", "numbers.csv", "Download CSV")[:30]
    '<a download="numbers.csv" href'
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    b64 = base64.b64encode(raw).decode("ascii")
    return (
        f'<a download="{html.escape(filename)}" href="data:{mime};base64,{b64}" '
        f'class="ee-download">{html.escape(label)}</a>'
    )


def plain_text(markup: str) -> str:
    """Text of a small piece of HTML: tags dropped, entities decoded, white space collapsed.

    Examples
    --------
    >>> plain_text("<div><b>Takeaway:</b> r &gt; 0.5</div>")
    'Takeaway: r > 0.5'
    """
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", str(markup))).split())


def _title_of(obj: Any) -> list[str]:
    title = getattr(obj, "title", alt.Undefined)
    if title is alt.Undefined or title is None:
        return []
    if isinstance(title, str):
        return [title]
    text = getattr(title, "text", alt.Undefined)
    if isinstance(text, str):
        return [text]
    if isinstance(text, list | tuple):
        return [" ".join(str(t) for t in text)]
    return []


def chart_title_text(chart: Any) -> str:
    """The titles of a chart and of its layers or sub-charts, joined ("A; B; C"); no spec is built."""
    if chart is None:
        return ""
    found: list[str] = []
    stack = [chart]
    while stack:
        obj = stack.pop(0)
        for t in _title_of(obj):
            if t not in found:
                found.append(t)
        for key in ("vconcat", "hconcat", "concat"):
            parts = getattr(obj, key, alt.Undefined)
            if parts is not alt.Undefined and parts:
                stack.extend(parts)
    return "; ".join(found)


def field_titles(chart: Any) -> dict[str, str]:
    """Column name -> axis/legend title, from the chart's encodings (for the numbers tables)."""
    if chart is None:
        return {}
    try:
        spec = chart.to_dict(validate=False)
    except Exception:  # a chart Altair cannot serialise: plain column names
        return {}
    spec.pop("datasets", None)
    titles: dict[str, str] = {}
    stack: list[Any] = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            field, title = node.get("field"), node.get("title")
            if isinstance(field, str) and isinstance(title, str) and field not in titles:
                titles[field] = title
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return titles


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, float | np.floating):
        return f"{float(value):.4g}"
    return str(value)


def _table(name: str, frame: pd.DataFrame, titles: Mapping[str, str], filename: str, max_rows: int) -> str:
    """One dataset as a scrollable, captioned HTML table followed by its CSV download link."""
    columns = [c for c in frame.columns if not str(c).startswith("_")]
    shown = frame[columns].head(max_rows)
    head = "".join(f'<th scope="col">{html.escape(titles.get(str(c), str(c)))}</th>' for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
        for row in shown.itertuples(index=False, name=None)
    )
    note = (
        f"the first {len(shown):,} of {len(frame):,} rows"
        if len(frame) > len(shown)
        else f"all {len(frame):,} rows"
    )
    link = download_link(
        frame[columns].to_csv(index=False), f"{filename}-{name}.csv", f"Download {name} as CSV"
    )
    return (
        "<div class='ee-numbers-scroll' tabindex='0' role='region' "
        f"aria-label='Numbers: {html.escape(name)}'>"
        f"<table><caption>Numbers drawn in the chart: {html.escape(name)} ({note})</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div><p>{link}</p>"
    )


def numbers_tables(
    datasets: Mapping[str, pd.DataFrame], chart: Any = None, *, filename: str = "figure", max_rows: int = 200
) -> str:
    """The displayed data as HTML tables (one per non-empty named dataset), with a CSV download of each.

    Parameters
    ----------
    datasets : mapping of str to pandas.DataFrame
        The rows a chart draws, by dataset name (columns starting with ``_`` are left out).
    chart : altair chart, optional
        The chart, whose axis and legend titles become the column headers.
    filename : str, default "figure"
        Base name of the CSV files (``<filename>-<dataset>.csv``).
    max_rows : int, default 200
        Rows shown per table; the CSV link holds every displayed row.

    Returns
    -------
    str
        HTML: ``<table>`` elements with captions and column headers, or a sentence saying there is no data.
    """
    titles = field_titles(chart)
    blocks = [
        _table(name, frame, titles, filename, max_rows) for name, frame in datasets.items() if not frame.empty
    ]
    return "".join(blocks) or "<p>The chart shows no data yet.</p>"
