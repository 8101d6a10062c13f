"""Charts a screen reader can read: a description of what the chart shows now, the numbers as tables,
and lines that differ by style as well as colour (docs/accessibility.md). Run without a browser; the
browser side is tests/browser/test_accessibility.py."""

from __future__ import annotations

import re

import altair as alt
import ipywidgets as widgets
import pandas as pd

from empathy_explorer.app.charts import (
    ROLE_DASHES,
    ChartPanel,
    line_chart,
    plain_text,
    series_dash,
    with_datasets,
)
from empathy_explorer.app.widgets import Demo, DemoOutput, labelled_slider, slider_group


def _panel(n_rows: int = 3) -> ChartPanel:
    df = pd.DataFrame({"t_s": [float(i) for i in range(n_rows)], "value": [0.5 * i for i in range(n_rows)]})
    base = (
        alt.Chart(alt.NamedData("signal"))
        .mark_line()
        .encode(x=alt.X("t_s:Q", title="Time (s)"), y=alt.Y("value:Q", title="Signal (µS)"))
        .properties(title="Skin conductance")
    )
    return ChartPanel(with_datasets(base, {"signal": df}))


def test_description_is_title_then_takeaway_and_follows_the_takeaway_widget():
    panel = _panel()
    assert panel.description == "Chart: Skin conductance."
    takeaway = widgets.HTML("<div><b>Takeaway:</b> r &gt; 0.5 here</div>")
    panel.describe_from(takeaway)
    assert panel.description == "Chart: Skin conductance. Takeaway: r > 0.5 here"
    takeaway.value = "<div><b>Takeaway:</b> now r = 0.1</div>"
    assert panel.chart_widget._ee_description == "Chart: Skin conductance. Takeaway: now r = 0.1"


def test_concatenated_charts_name_every_part():
    a = alt.Chart(alt.NamedData("a")).mark_line().encode(x="x:Q", y="y:Q").properties(title="Top")
    b = (
        alt.Chart(alt.NamedData("a"))
        .mark_point()
        .encode(x="x:Q", y="y:Q")
        .properties(title=alt.Title("Bottom"))
    )
    panel = ChartPanel(with_datasets(alt.vconcat(a, b), {"a": pd.DataFrame({"x": [1.0], "y": [2.0]})}))
    assert panel.description == "Chart: Top; Bottom."


def test_numbers_table_shows_the_displayed_rows_with_axis_titles_and_updates_only_when_shown():
    panel = _panel(5)
    assert panel.numbers.value == "" and panel.numbers.layout.display == "none"
    panel.numbers_button.value = True
    table = panel.numbers.value
    assert panel.numbers.layout.display is None and panel.numbers_button.description == "Hide the numbers"
    assert '<th scope="col">Time (s)</th>' in table and '<th scope="col">Signal (µS)</th>' in table
    assert re.findall(r"<td>([^<]*)</td>", table)[:4] == ["0", "0", "1", "0.5"]
    assert "all 5 rows" in table and 'download="figure-signal.csv"' in table
    panel.update_data(signal=pd.DataFrame({"t_s": [0.0, 1.0], "value": [7.25, float("nan")]}))
    assert "<td>7.25</td>" in panel.numbers.value and "<td>–</td>" in panel.numbers.value
    panel.numbers_button.value = False
    assert panel.numbers.value == ""
    panel.update_data(signal=pd.DataFrame({"t_s": [0.0], "value": [1.0]}))
    assert panel.numbers.value == ""  # hidden: no table is built on a slider step


def test_long_data_shows_the_first_rows_and_says_so():
    panel = _panel(450)
    html = panel.numbers_html(max_rows=200)
    assert html.count("<tr>") == 201 and "the first 200 of 450 rows" in html


def test_demo_chart_is_described_by_its_live_takeaway():
    def compute(k: int) -> DemoOutput:
        rows = pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, float(k)], "person": ["patient", "patient"]})
        return DemoOutput({"lines": rows}, f"The line ends at {k}.")

    chart = line_chart(
        "lines", x="x", y="y", title="A line", x_title="x", y_title="y", series="person",
        colors={"patient": "#0072B2", "clinician": "#D55E00"},
    )  # fmt: skip
    demo = Demo(
        slider_group(k=labelled_slider("k", min=0, max=9, step=1, value=2, integer=True)), compute, chart
    )
    assert demo.panel.description == "Chart: A line. Takeaway: The line ends at 2."
    demo.controls["k"].value = 7
    assert demo.panel.description == "Chart: A line. Takeaway: The line ends at 7."
    spec = demo.panel.chart.to_dict()
    dash = spec["layer"][0]["encoding"]["strokeDash"]
    assert dash["scale"] == {"domain": ["patient", "clinician"], "range": [[1, 0], [7, 3]]}


def test_roles_keep_their_line_style_and_other_series_get_distinct_ones():
    assert series_dash("who", ["clinician", "patient"]).to_dict()["scale"]["range"] == [
        ROLE_DASHES["clinician"],
        ROLE_DASHES["patient"],
    ]
    styles = series_dash("line", ["a", "b", "c"]).to_dict()["scale"]["range"]
    assert len({tuple(s) for s in styles}) == 3


def test_plain_text():
    assert plain_text("<p>a<br>b &amp; <i>c</i></p>") == "a b & c"
