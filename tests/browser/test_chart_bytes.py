"""The offline chart JavaScript travels to the browser once per page, not once per chart.

Every chart widget used to carry the whole ≈ 900 kB chart bundle in its own widget state, so a page
with six charts sent ≈ 6 MB over the kernel's websocket on every visit (slow on Binder and classroom
Wi-Fi). Now one hidden "bundle carrier" widget holds the bundle and each chart's JavaScript is a small
stub that imports the bundle from it once (see ``empathy_explorer.app.charts``).

Measured here, in headless Chromium with the network fenced to this machine:

- the bytes the browser receives over its websockets while notebook 05 (six charts) loads and draws,
  and how many times the bundle (as text or as its compressed buffer) is in them;
- every chart draws, and a slider step still updates its chart in place;
- the stub's loading logic on its own (a fake widget manager in a blank page): charts rendering at the
  same moment import the bundle once, a carrier that registers late is waited for, a re-displayed
  chart reuses the module, a browser without ``DecompressionStream`` gets the plain text from the
  kernel, and a carrier of another bundle version is refused with a message.
"""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest

from tests.browser.conftest import AppPage, new_app_page, wait_until

pytestmark = pytest.mark.slow

PAGE = "05_measuring_synchrony.ipynb"
#: The goal of the change: a page with six charts costs less than this per visit.
MAX_PAGE_BYTES = 1_500_000
#: A string that occurs once in the chart bundle (our extension's function): a copy sent as text.
BUNDLE_MARKER = b"function eeAttach("


def compressed_bundle_marker() -> bytes:
    """64 bytes from the middle of the compressed bundle the carrier sends: a copy sent as a buffer."""
    from empathy_explorer.app import charts

    gz = charts.bundle_carrier()._ee_bundle_gz
    return gz[len(gz) // 2 : len(gz) // 2 + 64]


class SocketMeter:
    """Counts what the browser receives over every websocket of a tab (the kernel's channels)."""

    def __init__(self, page: Any) -> None:
        self.bytes = 0
        self.frames = 0
        self.bundle_copies = 0
        self.last_frame = time.monotonic()
        self._gz_marker = compressed_bundle_marker()
        page.on("websocket", self._on_socket)

    def _on_socket(self, ws: Any) -> None:
        ws.on("framereceived", self._on_frame)

    def _on_frame(self, payload: str | bytes) -> None:
        data = payload.encode("utf-8") if isinstance(payload, str) else payload
        self.bytes += len(data)
        self.frames += 1
        self.bundle_copies += data.count(BUNDLE_MARKER) + data.count(self._gz_marker)
        self.last_frame = time.monotonic()

    def settle(self, page: Any, quiet_s: float = 1.5, timeout_s: float = 20.0) -> None:
        """Wait until no frame has arrived for ``quiet_s`` (the page's start-up traffic is over)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() - self.last_frame < quiet_s and time.monotonic() < deadline:
            page.wait_for_timeout(200)


def load_and_measure(app: AppPage, notebook: str) -> tuple[SocketMeter, dict[str, Any]]:
    """Open ``notebook`` in ``app``'s tab; return the meter and the widget state once all is drawn."""
    meter = SocketMeter(app.page)
    app.goto(notebook)
    meter.settle(app.page)
    return meter, app.widgets()


@pytest.fixture(scope="module")
def page05(browser, app_server):
    app = new_app_page(browser, app_server, PAGE)
    try:
        meter, state = load_and_measure(app, PAGE)
        yield app, meter, state
    finally:
        app.page.context.close()


def test_page_05_receives_the_bundle_once_and_stays_small(page05):
    app, meter, state = page05
    print(f"\n{PAGE}: {meter.bytes / 1e6:.2f} MB in {meter.frames} websocket frames")
    assert state is not None and state["charts"] >= 6, state
    assert state["drawn"] == state["charts"], f"charts not drawn: {state['undrawn']}"
    assert app.page.locator(".vega-embed svg.marks, .vega-embed canvas.marks").count() >= 6
    assert meter.bundle_copies == 1, f"the chart bundle arrived {meter.bundle_copies} times"
    assert meter.bytes < MAX_PAGE_BYTES, f"{meter.bytes / 1e6:.2f} MB received for {PAGE}"
    app.assert_clean()


def test_page_05_slider_still_updates_its_chart_in_place(page05):
    app, _meter, _state = page05
    page = app.page
    demo = page.locator(".ee-demo").first
    chart = demo.locator(".ee-chart-panel .vega-embed")
    handle = demo.locator(".widget-slider:has(label:has-text('Window length')) .noUi-handle")
    version = chart.get_attribute("data-ee-version")
    rows_before = page.evaluate("(el) => el.eeView.data('peak_r').length", chart.element_handle())
    handle.focus()
    for _ in range(4):  # 30 s -> 50 s: fewer windows fit into the session
        handle.press("ArrowRight")
    wait_until(
        lambda: (
            chart.get_attribute("data-ee-version") not in (None, version)
            and page.evaluate("(el) => el.eeView.data('peak_r').length", chart.element_handle()) < rows_before
        ),
        what="the cross-correlation chart to redraw with fewer, longer windows",
    )
    app.assert_clean()


def test_page_05_draws_in_a_browser_without_decompression_stream(browser, app_server):
    """Safari < 16.4 and Firefox < 113 lack DecompressionStream: the kernel sends the plain text once."""
    app = new_app_page(browser, app_server, f"{PAGE} without DecompressionStream")
    try:
        app.page.context.add_init_script("delete window.DecompressionStream;")
        meter, state = load_and_measure(app, PAGE)
        assert app.page.evaluate("() => typeof DecompressionStream") == "undefined"
        assert state is not None and state["charts"] >= 6, state
        assert state["drawn"] == state["charts"], f"charts not drawn: {state['undrawn']}"
        assert meter.bytes < 2 * MAX_PAGE_BYTES, f"{meter.bytes / 1e6:.2f} MB received"
        app.assert_clean()
    finally:
        app.page.context.close()


# --------------------------------------------------------------------------------------------------
# The stub's loader on its own, against a fake widget manager (no kernel: fast, and the races are
# staged deliberately instead of hoped for)
# --------------------------------------------------------------------------------------------------

STUB_HARNESS = """
async ({stub, bundleGzBase64, bundle, key, scenario}) => {
  if (scenario.noDecompression) { delete window.DecompressionStream; }
  const blobImport = async (src) => {
    const url = URL.createObjectURL(new Blob([src], {type: "text/javascript"}));
    try { return await import(url); } finally { URL.revokeObjectURL(url); }
  };
  const models = {};
  const manager = {
    get_model(id) {
      if (!(id in models)) { throw new Error("widget model not found"); }
      return models[id];
    },
  };
  // The compressed bundle arrives as a binary buffer (a DataView), the plain text only on request.
  const gz = Uint8Array.from(atob(bundleGzBase64), (c) => c.charCodeAt(0));
  const carrierState = {_ee_bundle_key: scenario.carrierKey ?? key, _ee_bundle_gz: new DataView(gz.buffer),
                        _ee_bundle_js: ""};
  const listeners = [];
  window.__eeTextRequests = 0;
  const carrier = {
    get: (name) => carrierState[name],
    once: (event, callback) => listeners.push([event, callback]),
    send: (content) => {  // the kernel's answer to {"type": "ee-bundle-text"}
      if (content.type !== "ee-bundle-text") { return; }
      window.__eeTextRequests += 1;
      setTimeout(() => {
        carrierState._ee_bundle_js = bundle;
        for (const [event, callback] of listeners.splice(0)) {
          if (event === "change:_ee_bundle_js") { callback(); }
        }
      }, 50);
    },
  };
  const register = () => { models["carrier"] = Promise.resolve(carrier); };
  const chartModel = (n) => ({
    get: (name) => ({_ee_bundle: "IPY_MODEL_carrier", n})[name],
    widget_manager: manager,
  });
  window.__eeRenders = 0;
  window.__eeImports = 0;
  if (!scenario.lateCarrier) { register(); } else { setTimeout(register, 300); }
  const mod = await blobImport(stub);
  const renderOne = async (n) => {
    const el = document.createElement("div");
    document.body.appendChild(el);
    // anywidget calls initialize when the model is created and awaits it: it must return at once.
    if (scenario.initialize) {
      const started = performance.now();
      await mod.default.initialize({model: chartModel(n)});
      if (performance.now() - started > 20) { throw new Error("initialize waited for the bundle"); }
    }
    await mod.default.render({model: chartModel(n), el});
    return el.textContent;
  };
  const texts = await Promise.all(Array.from({length: scenario.charts}, (_, i) => renderOne(i)));
  // The same chart shown a second time (a re-displayed output), after the bundle is loaded.
  if (scenario.redisplay) { texts.push(await renderOne(0)); }
  return {texts, renders: window.__eeRenders, imports: window.__eeImports,
          textRequests: window.__eeTextRequests};
}
"""

#: A stand-in for the real bundle: counts its own evaluations and renders.
FAKE_BUNDLE = """
window.__eeImports += 1;
export default {
  render({model, el}) { window.__eeRenders += 1; el.textContent = "drawn " + model.get("n"); },
};
"""


@pytest.fixture
def blank_page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto("about:blank")
    try:
        yield page
    finally:
        context.close()


def _run_stub(page: Any, scenario: dict[str, Any]) -> dict[str, Any]:
    from empathy_explorer.app import charts

    carrier = charts.ChartBundle(FAKE_BUNDLE)
    args = {
        "stub": charts.stub_esm(charts.bundle_key(FAKE_BUNDLE)),
        "bundleGzBase64": base64.b64encode(carrier._ee_bundle_gz).decode("ascii"),
        "bundle": FAKE_BUNDLE,
        "key": carrier._ee_bundle_key,
        "scenario": scenario,
    }
    return page.evaluate(STUB_HARNESS, args)


def test_stub_imports_the_bundle_once_for_concurrent_and_redisplayed_charts(blank_page):
    out = _run_stub(blank_page, {"charts": 6, "redisplay": True, "initialize": True})
    assert out["texts"] == [f"drawn {i}" for i in range(6)] + ["drawn 0"]
    assert out["imports"] == 1 and out["renders"] == 7
    assert out["textRequests"] == 0  # inflated in the browser from the compressed buffer


def test_stub_asks_the_kernel_for_plain_text_without_decompression_stream(blank_page):
    out = _run_stub(blank_page, {"charts": 3, "noDecompression": True})
    assert out["texts"] == ["drawn 0", "drawn 1", "drawn 2"]
    assert out["textRequests"] == 1 and out["imports"] == 1


def test_stub_waits_for_a_carrier_that_registers_late(blank_page):
    out = _run_stub(blank_page, {"charts": 2, "lateCarrier": True, "initialize": True})
    assert out["texts"] == ["drawn 0", "drawn 1"]
    assert out["imports"] == 1


def test_stub_refuses_a_carrier_of_another_bundle_version(blank_page):
    out = _run_stub(blank_page, {"charts": 1, "carrierKey": "ee-chart-bundle-0000000000000000"})
    assert out["imports"] == 0 and out["renders"] == 0
    assert "reload the page" in out["texts"][0]
