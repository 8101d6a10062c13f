"""Tests for empathy_explorer.app.charts: display downsampling, offline bundle, in-place chart updates."""

from __future__ import annotations

import doctest
import gzip
import importlib
import json
import subprocess
import sys
from typing import ClassVar

import altair as alt
import comm
import ipywidgets as widgets
import numpy as np
import pandas as pd
import pytest

from empathy_explorer.app import charts
from empathy_explorer.app.charts import bundle
from empathy_explorer.errors import InputError


def _reference_envelope(t, v, n_buckets):
    """Loop-based reference: per bucket of `length` samples, the argmin and argmax of every series."""
    n = len(t)
    v2 = v.reshape(n, -1)
    length = int(np.ceil(n / n_buckets))
    keep = {0, n - 1}
    for start in range(0, n, length):
        stop = min(start + length, n)
        for j in range(v2.shape[1]):
            seg = v2[start:stop, j]
            finite = [i for i in range(len(seg)) if not np.isnan(seg[i])]
            if not finite:
                keep.add(start)
                continue
            keep.add(start + min(finite, key=lambda i: (seg[i], i)))
            keep.add(start + max(finite, key=lambda i: (seg[i], -i)))
    return np.array(sorted(keep))


@pytest.mark.parametrize("n", [5, 1999, 2000, 2001, 7919, 100_000])
@pytest.mark.parametrize("k", [1, 2])
def test_downsample_matches_loop_reference_and_limit(n, k):
    rng = np.random.default_rng(n + k)
    t = np.arange(n) / 4.0
    v = rng.normal(size=(n, k)) if k > 1 else rng.normal(size=n)
    td, vd = charts.downsample_for_display(t, v, max_points=2000)
    assert len(td) <= 2000
    assert vd.shape[1:] == v.shape[1:]
    if n <= 2000:
        np.testing.assert_array_equal(td, t)
        np.testing.assert_array_equal(vd, v)
        return
    n_buckets = (2000 - 2) // (2 * k)
    idx = _reference_envelope(t, v, n_buckets)
    np.testing.assert_array_equal(td, t[idx])
    np.testing.assert_array_equal(vd, v[idx])
    # the envelope keeps the extremes of every series
    np.testing.assert_array_equal(vd.max(axis=0), v.max(axis=0))
    np.testing.assert_array_equal(vd.min(axis=0), v.min(axis=0))
    assert np.all(np.diff(td) > 0)


def test_downsample_keeps_a_single_sample_spike_and_gaps():
    t = np.arange(200_000) / 32.0
    x = np.sin(t)
    x[123_457] = 25.0
    x[50_000:60_000] = np.nan
    td, xd = charts.downsample_for_display(t, x, max_points=charts.MAX_ROWS)
    assert len(td) <= charts.MAX_ROWS
    assert 123_457 / 32.0 in td
    assert np.nanmax(xd) == 25.0
    assert np.isnan(xd).any()  # the gap stays visible as a gap


@pytest.mark.parametrize(
    ("t", "v", "max_points"),
    [
        (np.zeros((3, 2)), np.zeros(3), 100),
        (np.zeros(3), np.zeros(4), 100),
        (np.zeros(3), np.zeros((3, 2, 2)), 100),
        (np.zeros(3), np.zeros(3), 3),
        (np.zeros(3), np.zeros(3), charts.MAX_ROWS + 1),
    ],
)
def test_downsample_bad_input_raises_package_error(t, v, max_points):
    with pytest.raises(InputError):
        charts.downsample_for_display(t, v, max_points=max_points)


def test_okabe_ito_palette_and_theme():
    assert len(set(charts.OKABE_ITO.values())) == 8
    assert set(charts.ROLE_COLORS.values()) <= set(charts.OKABE_ITO.values())
    charts.enable_offline()
    assert alt.theme.active == charts.THEME_NAME
    spec = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q").to_dict()
    assert spec["config"]["range"]["category"][:2] == [
        charts.OKABE_ITO["blue"],
        charts.OKABE_ITO["vermillion"],
    ]


def test_offline_bundle_has_no_network_imports_and_is_carried_once():
    charts.enable_offline()
    js = bundle._offline_js
    assert len(js) > 100_000
    assert "https://esm.sh" not in js
    assert "import " not in js[:200]  # self-contained: no leading ES imports from a CDN
    assert "eeAttach" in js and "eeMergeData" in js
    assert alt.JupyterChart._esm is js  # plain JupyterCharts stay self-contained
    widget = charts.OfflineChart(alt.Chart(pd.DataFrame({"a": [1]})).mark_point())
    # the chart's own JavaScript is the stub, which names the carrier's bundle version
    assert widget._esm == charts.stub_esm(charts.bundle_key(js))
    assert charts.bundle_key(js) in widget._esm and "eeAttach" not in widget._esm
    assert len(widget._esm) < 4_000
    assert widget._ee_bundle is charts.bundle_carrier()
    carrier = charts.bundle_carrier()
    assert carrier._ee_bundle_key == charts.bundle_key(js)
    # the bundle travels compressed (a binary buffer a third of the size), and inflates to itself
    assert gzip.decompress(carrier._ee_bundle_gz).decode("utf-8") == js
    assert len(carrier._ee_bundle_gz) < 0.4 * len(js.encode("utf-8"))


def test_carrier_sends_the_plain_text_only_when_the_browser_asks():
    carrier = charts.ChartBundle("export default { render() {} };")
    assert carrier._ee_bundle_js == ""
    custom = {"method": "custom", "content": {"type": "something else"}}
    carrier._handle_msg({"content": {"data": custom}, "buffers": []})
    assert carrier._ee_bundle_js == ""
    custom["content"] = {"type": "ee-bundle-text"}
    carrier._handle_msg({"content": {"data": custom}, "buffers": []})
    assert carrier._ee_bundle_js == "export default { render() {} };"


def test_bundle_key_depends_on_every_character():
    assert charts.bundle_key("a") == charts.bundle_key("a")
    assert charts.bundle_key("a") != charts.bundle_key("b")
    assert charts.bundle_key("x" * 10_000) != charts.bundle_key("x" * 9_999 + "y")


class _RecordingComm(comm.DummyComm):
    """A comm that keeps every message the kernel would send (what travels over the websocket)."""

    sent: ClassVar[list[tuple[str, dict, list[bytes]]]] = []

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        _RecordingComm.sent.append((msg_type, data or {}, [bytes(b) for b in buffers or []]))


@pytest.fixture
def fresh_kernel_widgets(monkeypatch):
    """As in a new kernel: no widget yet, no carrier yet; every comm message recorded."""
    from ipywidgets.widgets import widget as widget_module

    monkeypatch.setattr(widget_module, "_instances", {})
    monkeypatch.setattr(bundle, "_carrier", None)
    monkeypatch.setattr(comm, "create_comm", lambda *a, **k: _RecordingComm(*a, **k))
    _RecordingComm.sent = []
    return _RecordingComm.sent


def _n_bundles(data: dict, buffers: list[bytes]) -> int:
    """Copies of the bundle in a message: as text, or as the compressed binary buffer."""
    gz = charts.bundle_carrier()._ee_bundle_gz
    return json.dumps(data).count("function eeAttach(") + sum(b == gz for b in buffers)


def _n_bytes(data: dict, buffers: list[bytes]) -> int:
    """JSON text plus binary buffers, as on the websocket."""
    return len(json.dumps(data)) + sum(len(b) for b in buffers)


def _six_panels():
    df = pd.DataFrame({"t_s": np.arange(50.0), "value": np.sin(np.arange(50.0))})
    base = alt.Chart(alt.NamedData("signal")).mark_line().encode(x="t_s:Q", y="value:Q")
    return [charts.ChartPanel(charts.with_datasets(base, {"signal": df})) for _ in range(6)]


def test_six_charts_open_with_one_bundle_and_small_stubs(fresh_kernel_widgets):
    panels = _six_panels()
    opened = [(data, buffers) for kind, data, buffers in fresh_kernel_widgets if kind == "comm_open"]
    assert sum(_n_bundles(*message) for message in opened) == 1
    carrier_id, chart_id = (
        "empathy_explorer.app.charts.bundle.ChartBundle",
        "empathy_explorer.app.charts.bundle.OfflineChart",
    )
    states = [data["state"] for data, _buffers in opened]
    carrier = charts.bundle_carrier()
    carrier_states = [st for st in states if st.get("_anywidget_id") == carrier_id]
    assert [st["_ee_bundle_key"] for st in carrier_states] == [carrier._ee_bundle_key]
    # the carrier's comm is opened before the first chart's (a front-end building models in order has it)
    order = [st.get("_anywidget_id") for st in states]
    assert order.index(carrier_id) < order.index(chart_id)
    assert order.count(chart_id) == 6
    for panel in panels:
        state = panel.chart_widget.get_state()
        assert state["_ee_bundle"] == f"IPY_MODEL_{carrier.model_id}"
        size = len(json.dumps({k: v for k, v in state.items() if k != "spec"}))
        assert size < 6_000, f"a chart's state without its data is {size} bytes"
    total = sum(_n_bytes(*message) for message in opened)
    assert total < 500_000, f"{total} bytes opened for six small charts (once 5.5 MB)"


def test_page_connect_reply_holds_the_bundle_once(fresh_kernel_widgets):
    """Voilà's front-end asks the kernel for every widget's state at once ("request_states")."""
    from ipywidgets.widgets import widget as widget_module

    _six_panels()
    control = _RecordingComm(target_name="jupyter.widget.control")
    widget_module.Widget._control_comm = control
    try:
        widgets.Widget._handle_control_comm_msg({"content": {"data": {"method": "request_states"}}})
    finally:
        widget_module.Widget._control_comm = None
    _kind, reply, buffers = fresh_kernel_widgets[-1]
    assert reply["method"] == "update_states"
    assert _n_bundles(reply, buffers) == 1
    assert _n_bytes(reply, buffers) < 500_000


def test_a_closed_carrier_is_replaced_for_new_charts(fresh_kernel_widgets):
    first = charts.ChartPanel()
    old = first.chart_widget._ee_bundle
    widgets.Widget.close_all()
    assert old.comm is None
    second = charts.ChartPanel()
    assert second.chart_widget._ee_bundle is not old
    assert second.chart_widget._ee_bundle.comm is not None
    assert second.chart_widget._ee_bundle is charts.bundle_carrier()


def test_kernel_path_does_not_import_vl_convert():
    code = (
        "import sys; from empathy_explorer.app import charts; charts.enable_offline();"
        "charts.ChartPanel(); print('vl_convert' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr


def test_stale_bundle_is_detected(tmp_path, monkeypatch):
    stale = tmp_path / "chart-bundle.js"
    stale.write_text("// empathy-explorer chart bundle altair=0.0 \nconsole.log(1)\n")
    monkeypatch.setattr(bundle, "bundle_path", lambda: stale)
    built = []
    monkeypatch.setattr(bundle, "build_bundle", lambda path: built.append(path) or path.write_text("X\nJS"))
    assert bundle._load_bundle() == "JS"
    assert built == [stale]


def _panel():
    df = pd.DataFrame({"t_s": [0.0, 1.0, 2.0], "value": [1.0, np.nan, 3.0]})
    base = alt.Chart(alt.NamedData("signal")).mark_line().encode(x="t_s:Q", y="value:Q")
    return charts.ChartPanel(charts.with_datasets(base, {"signal": df}), filename="test"), df


def test_chart_panel_update_data_in_place():
    panel, df = _panel()
    assert panel.datasets["signal"]["value"].iloc[2] == 3.0
    spec_before = panel.chart_widget.spec
    version = panel.chart_widget._ee_version
    panel.update_data(signal=df.assign(value=[5.0, 6.0, np.inf]))
    assert panel.chart_widget.spec == spec_before  # no re-embedding
    assert panel.chart_widget._ee_version == version + 1
    assert panel.chart_widget._ee_data["signal"] == [
        {"t_s": 0.0, "value": 5.0},
        {"t_s": 1.0, "value": 6.0},
        {"t_s": 2.0, "value": None},  # JSON-safe
    ]
    assert panel.current_spec()["datasets"]["signal"][0]["value"] == 5.0
    with pytest.raises(ValueError, match="no dataset named"):
        panel.update_data(other=df)
    with pytest.raises(ValueError, match="at most 5000"):
        panel.update_data(signal=pd.DataFrame({"t_s": np.arange(5001.0), "value": 0.0}))


def test_chart_panel_replace_chart_resets_data():
    panel, df = _panel()
    panel.update_data(signal=df.assign(value=[9.0, 9.0, 9.0]))
    other = charts.with_datasets(
        alt.Chart(alt.NamedData("lag")).mark_bar().encode(x="lag_s:Q", y="r:Q"),
        {"lag": pd.DataFrame({"lag_s": [-1.0, 0.0, 1.0], "r": [0.1, 0.5, 0.2]})},
    )
    panel.update(other)
    assert panel.chart_widget._ee_data == {}
    assert list(panel.datasets) == ["lag"]
    assert panel.chart_widget.spec["datasets"]["lag"][1]["r"] == 0.5


def test_chart_panel_export_messages_and_python_svg():
    panel, _ = _panel()
    sent = []
    panel.chart_widget.send = sent.append
    panel._png.click()
    panel._svg.click()
    assert sent == [
        {"type": "ee-export", "format": "png", "filename": "test.png"},
        {"type": "ee-export", "format": "svg", "filename": "test.svg"},
    ]
    with pytest.raises(ValueError):
        panel.export_image("gif")


@pytest.mark.slow
def test_python_side_svg_export_uses_current_data():
    panel, df = _panel()
    panel.update_data(signal=df.assign(value=[1.0, 2.0, 1234.0]))
    svg = panel.to_image("svg")
    assert svg.startswith("<svg") and "1,200" in svg  # the y axis now reaches the new maximum


def test_download_link_round_trips():
    import base64
    import re

    link = charts.download_link("a,b\n1,2\n", "n<1>.csv", "Download")
    assert 'download="n&lt;1&gt;.csv"' in link
    payload = re.search(r"base64,([^\"]+)", link).group(1)
    assert base64.b64decode(payload).decode() == "a,b\n1,2\n"


@pytest.mark.parametrize("name", ["bundle", "describe", "factories", "panel", "theme"])
def test_docstring_examples(name):
    module = importlib.import_module(f"empathy_explorer.app.charts.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
