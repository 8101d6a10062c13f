"""Shared set-up of the browser tests: one Voilà app server and one headless Chromium per test session.

The server is started exactly as ``make app`` starts it (``voila notebooks/`` from the repository root, so
the app's ``voila.json`` applies; loopback only, on a free port). Each test gets fresh browser contexts
(no shared cookies or storage, as two students on two laptops) in which

- every request that is not to 127.0.0.1 is aborted before it leaves the machine (HTTP routes, WebSocket
  routes, and a host-resolver rule as a second line of defence) and recorded;
- console errors and uncaught page errors are recorded;
- :meth:`AppPage.assert_clean` fails on any of them, on visible traceback text, file paths or widget
  errors, and on any attempt to reach another machine (the app's template links no CDN).

Screenshots go to ``test-artifacts/browser/`` (git-ignored).

The whole folder is skipped, with the reason shown by ``pytest -ra``, when ``/usr/bin/chromium`` (Debian's
``chromium`` package) or Playwright is missing. Every test here is marked ``browser`` (``-m "not browser"``
leaves them out).

``EE_BROWSER_NOTEBOOKS=/some/folder`` serves another folder of notebooks instead of ``notebooks/`` (to try
the tests against a draft page); the default is the app's own folder.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.support.app_process import CHROMIUM_ARGS, AppProcess

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = Path(os.environ.get("EE_BROWSER_NOTEBOOKS", REPO / "notebooks")).resolve()
EXPLORER_NOTEBOOK = "07_session_explorer.ipynb"
CHROMIUM = Path("/usr/bin/chromium")
VOILA = Path(sys.executable).with_name("voila")
ARTIFACTS = REPO / "test-artifacts" / "browser"


STARTUP_TIMEOUT_S = 90.0
RENDER_TIMEOUT_MS = 120_000  # a page whose kernel is not preheated runs every cell first (2 cores, shared)
WIDGET_TIMEOUT_MS = 60_000

#: Everything that is not this machine.
OFF_MACHINE = re.compile(r"^(?!(https?|wss?)://127\.0\.0\.1[:/]|data:|blob:|about:)")


#: What Voilà shows instead of a cell's output when the cell raised (tracebacks hidden).
VOILA_CELL_ERROR = "There was an error when executing cell"

#: Output areas that hold an error or stderr text.
ERROR_OUTPUTS = (
    '[data-mime-type="application/vnd.jupyter.stderr"], [data-mime-type="application/vnd.jupyter.error"], '
    ".jp-OutputArea-output.jp-mod-error, .output_error"
)

#: Text that must never be visible in a page.
FORBIDDEN_TEXT = (
    VOILA_CELL_ERROR,
    "Traceback",
    'File "/',
    "Error displaying widget",
    "Failed to load model class",
    "Failed to load view class",
    "site-packages",
    str(REPO),
    sys.prefix,
)


def notebook_pages() -> list[str]:
    """Every teaching notebook the app serves (new ones are picked up automatically)."""
    return sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"browser tests skipped: {CHROMIUM} not found (install Debian's 'chromium' package)"
    if importlib.util.find_spec("playwright") is None:
        return "browser tests skipped: Playwright is not installed (pip install -r requirements-dev.txt)"
    if not VOILA.exists():
        return f"browser tests skipped: {VOILA} not found (pip install -r requirements.txt)"
    return None


@pytest.hookimpl(tryfirst=True)  # before pytest's own -m selection, which must see the marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    reason = _skip_reason()
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


# ----------------------------------------------------------------------------------------------------
# The app server
# ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> Iterator[AppProcess]:
    if not notebook_pages():
        pytest.skip(f"no notebook in {NOTEBOOKS}")
    server = AppProcess(NOTEBOOKS, cwd=REPO, log_path=tmp_path_factory.mktemp("voila") / "voila.log")
    with server.running(STARTUP_TIMEOUT_S):
        yield server


# ----------------------------------------------------------------------------------------------------
# The browser
# ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


# Widget views as the page's widget manager knows them: every anywidget chart (AnyModel with a spec) must
# have drawn its Vega view (an svg or canvas of marks) in every place it is shown.
WIDGETS_JS = """
async () => {
  const app = window.jupyterapp;
  const manager = app && app.widgetManager;
  if (!manager || !manager._models) { return null; }
  const models = await Promise.all(Object.values(manager._models));
  const out = {views: 0, charts: 0, drawn: 0, undrawn: []};
  for (const model of models) {
    const views = await Promise.all(Object.values(model.views || {}));
    const shown = views.filter((v) => v && v.el && v.el.isConnected);
    if (model.get('_view_name') && model.get('_view_name') !== 'StyleView'
        && model.get('_view_name') !== 'LayoutView') { out.views += shown.length; }
    // Charts are the anywidgets with a Vega-Lite spec (other anywidgets, e.g. the game's capture widget,
    // draw no Vega view).
    if (model.name !== 'AnyModel' || model.get('spec') === undefined) { continue; }
    for (const view of shown) {
      out.charts += 1;
      if (view.el.querySelector('svg.marks, canvas.marks')) { out.drawn += 1; }
      else { out.undrawn.push(model.model_id); }
    }
  }
  return out;
}
"""


@dataclass
class AppPage:
    """One browser tab on the app, with everything that went wrong in it recorded."""

    page: Any
    server: AppProcess
    label: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    off_machine: list[str] = field(default_factory=list)
    #: Times the page lost its kernel connection (e.g. the server dropped a too-large websocket message).
    reconnects: list[str] = field(default_factory=list)

    def goto(self, notebook: str) -> None:
        """Open a notebook page and wait until every cell ran and every widget and chart is drawn."""
        self.page.goto(self.server.url(notebook), wait_until="commit", timeout=RENDER_TIMEOUT_MS)
        self.wait_rendered()

    def wait_rendered(self) -> dict[str, Any]:
        page = self.page
        # Voilà removes its "Executing n of m" spinner and shows the cells once the kernel has run them all.
        page.wait_for_selector("#loading", state="detached", timeout=RENDER_TIMEOUT_MS)
        page.wait_for_selector("#rendered_cells", state="visible", timeout=RENDER_TIMEOUT_MS)
        # Then the widget manager builds the views; charts draw asynchronously (vega-embed).
        deadline = time.monotonic() + WIDGET_TIMEOUT_MS / 1000
        while True:
            state = self.widgets()
            if state is not None and state["views"] > 0 and state["drawn"] == state["charts"]:
                return state
            if time.monotonic() > deadline or self.page.get_by_text(VOILA_CELL_ERROR).count():
                return state  # the caller's assertions say what is missing
            page.wait_for_timeout(100)

    def widgets(self) -> dict[str, Any]:
        return self.page.evaluate(WIDGETS_JS)

    def visible_text(self) -> str:
        return self.page.evaluate("() => document.body.innerText")

    def problems(self) -> list[str]:
        """Everything that makes this page unfit for a student, as readable lines (empty when clean)."""
        found = [f"console error: {e}" for e in self.console_errors]
        found += [f"page error: {e}" for e in self.page_errors]
        found += [f"kernel connection lost: {e}" for e in self.reconnects]
        # Every attempt counts, even though it was aborted: offline it fails, on poor Wi-Fi it waits.
        found += [f"tried to load {u} from off the machine" for u in self.off_machine]
        text = self.visible_text()
        found += [f"visible text contains {bad!r}" for bad in FORBIDDEN_TEXT if bad in text]
        n_error_outputs = self.page.locator(ERROR_OUTPUTS).count()
        if n_error_outputs:
            found.append(f"{n_error_outputs} error/stderr output(s) shown")
        return found

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, f"{self.label}:\n  " + "\n  ".join(problems)

    def screenshot(self, name: str) -> Path:
        """Save the whole page (Voilà scrolls inside the page, so the viewport is grown to fit it first)."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        size = self.page.viewport_size
        height = self.page.evaluate(
            "() => Math.max(...Array.from(document.querySelectorAll('body, body *'), (e) => e.scrollHeight))"
        )
        try:
            grown = min(max(height, size["height"]), 12_000)
            self.page.set_viewport_size({"width": size["width"], "height": grown})
            self.page.screenshot(path=str(path), full_page=True)
        finally:
            self.page.set_viewport_size(size)
        return path


def new_app_page(browser: Any, server: AppProcess, label: str, *, downloads: bool = False) -> AppPage:
    """A fresh browser context (own cookies and storage) with one tab, its network fenced to 127.0.0.1.

    ``downloads=True`` lets the tab save files (the app's PNG/SVG/CSV exports). Close it with
    ``app.page.context.close()``.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=downloads)
    page = context.new_page()
    app = AppPage(page=page, server=server, label=label)

    def block(route) -> None:
        app.off_machine.append(route.request.url)
        route.abort()

    def block_ws(ws) -> None:
        app.off_machine.append(ws.url)
        ws.close()

    context.route(OFF_MACHINE, block)
    context.route_web_socket(OFF_MACHINE, block_ws)

    def on_console(msg) -> None:
        if "Connection lost" in msg.text:
            app.reconnects.append(msg.text[:200])
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if url and urlsplit(url).hostname not in (None, "127.0.0.1"):
            return  # the failure of a request we aborted ourselves: judged in off_machine
        app.console_errors.append(msg.text[:500])

    page.on("console", on_console)
    page.on("pageerror", lambda exc: app.page_errors.append(str(exc)[:500]))
    page.set_default_timeout(WIDGET_TIMEOUT_MS)
    return app


@pytest.fixture
def open_app_page(browser, app_server) -> Iterator[Callable[[str], AppPage]]:
    """Factory of :func:`new_app_page` tabs, closed after the test."""
    apps: list[AppPage] = []

    def make(label: str) -> AppPage:
        apps.append(new_app_page(browser, app_server, label))
        return apps[-1]

    try:
        yield make
    finally:
        for app in apps:
            app.page.context.close()


def require_explorer() -> None:
    """Skip with a reason naming the file while the session-explorer page has not landed."""
    if not (NOTEBOOKS / EXPLORER_NOTEBOOK).exists():
        pytest.skip(f"notebooks/{EXPLORER_NOTEBOOK} does not exist yet (the session-explorer page)")


def wait_until(check: Callable[[], Any], *, timeout_s: float = 30.0, what: str = "condition") -> Any:
    """Poll ``check`` (every 50 ms) until it returns something truthy; fail with ``what`` on time-out."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")
        time.sleep(0.05)


class ExplorerPage:
    """The session-explorer page (``SessionExplorer`` in notebook 07) as a student sees and uses it.

    Reads what is drawn from the chart's own Vega view (``el.eeView``, set by the offline chart bundle),
    so assertions are about the figure in the browser, not about the kernel's state.
    """

    ROOT = ".ee-session-explorer"
    CHART = ".ee-session-explorer .ee-chart-panel .vega-embed"

    def __init__(self, app: AppPage) -> None:
        self.app = app
        self.page = app.page

    def open(self) -> ExplorerPage:
        self.app.goto(EXPLORER_NOTEBOOK)
        self.page.wait_for_selector(f"{self.CHART} svg.marks", state="attached")
        wait_until(lambda: self.summary().get("windows"), what="the first session summary")
        return self

    # --- reading -------------------------------------------------------------------------------------

    def summary(self) -> dict[str, str]:
        """The "Session summary" table, row title -> text."""
        return self.page.evaluate(
            """(root) => Object.fromEntries(Array.from(
                 document.querySelectorAll(root + ' .ee-summary tr'),
                 (tr) => [tr.querySelector('th').innerText.trim(),
                          tr.querySelector('td').innerText.trim()]))""",
            self.ROOT,
        )

    def chart_data(self, name: str) -> list[dict[str, Any]] | None:
        """Rows of a named dataset as the browser's Vega view holds them now."""
        return self.page.evaluate(
            """([sel, name]) => { const el = document.querySelector(sel);
                 if (!el || !el.eeView) { return null; }
                 try { return el.eeView.data(name).map((row) => ({...row})); }
                 catch (e) { return null; } }""",
            [self.CHART, name],
        )

    def chart_version(self) -> str | None:
        return self.page.locator(self.CHART).get_attribute("data-ee-version")

    def chart_text(self) -> str:
        return " ".join(self.page.locator(f"{self.CHART} svg text").all_text_contents())

    def message(self) -> tuple[str, str]:
        """(kind, text) of the app's message line; kind is "error", "note" or "" when nothing is shown."""
        box = self.page.locator(f"{self.ROOT} .ee-message")
        if box.count() == 0:
            return "", ""
        cls = box.first.get_attribute("class") or ""
        kind = "error" if "ee-error" in cls else "note" if "ee-note" in cls else "other"
        return kind, box.first.inner_text().strip()

    def session_options(self) -> list[str]:
        # ipywidgets writes each label as the option's value (its text has non-breaking spaces).
        return self.session_select().evaluate("(s) => Array.from(s.options, (o) => o.value)")

    def selected_session(self) -> str:
        return self.session_select().evaluate("(s) => s.options[s.selectedIndex].value")

    # --- acting --------------------------------------------------------------------------------------

    def session_select(self):
        return self.page.locator(f"{self.ROOT} .widget-dropdown:has(label:text-is('Session:')) select")

    def slider_handle(self, description: str):
        return self.page.locator(
            f"{self.ROOT} .widget-slider:has(label:text-is('{description}')) .noUi-handle"
        )

    def slider_value(self, description: str) -> float:
        return float(self.slider_handle(description).get_attribute("aria-valuenow"))

    def press_slider(self, description: str, key: str = "ArrowRight") -> float:
        """Focus a slider's handle and press a key, as a keyboard user does; return the handle's new value."""
        handle = self.slider_handle(description)
        old = self.slider_value(description)
        handle.focus()
        handle.press(key)
        return wait_until(
            lambda: (v := self.slider_value(description)) != old and v,
            timeout_s=5,
            what=f"{key} to move the {description!r} slider from {old}",
        )

    def pick_session(self, title: str) -> None:
        self.session_select().select_option(label=title)

    def upload(self, path: Path) -> None:
        """Choose ``path`` in the upload widget's file dialog (the widget's own <input type=file>)."""
        with self.page.expect_file_chooser() as chooser:
            self.page.locator(f"{self.ROOT} .widget-upload").click()
        chooser.value.set_files(str(path))


def expected_sync_rows(session: Any, settings: dict[str, float], *, kind: str = "eda", method: str = "wcc"):
    """What the explorer's "synchrony over time" chart must draw, computed here from the full-rate data.

    Returns a list of ``(t_min, value or None)``; the display is thinned only above 2,000 windows.
    """
    import numpy as np

    from empathy_explorer.app.charts import downsample_for_display
    from empathy_explorer.app.explorer import compute_view

    x, y = session.pair(kind)
    view = compute_view(x, y, session.fs, method, **settings)
    t, v = view.times_s, view.values
    if len(t) > 2000:
        t, v = downsample_for_display(t, v, max_points=2000)
    return [(float(ti) / 60.0, float(vi) if np.isfinite(vi) else None) for ti, vi in zip(t, v, strict=True)]


def rows_match(drawn: list[dict[str, Any]] | None, expected: list[tuple[float, float | None]]) -> bool:
    """True when the chart's ``sync`` rows are the expected ones (to 1e-9; NaN windows drawn as null)."""
    if drawn is None or len(drawn) != len(expected):
        return False
    for row, (t, v) in zip(drawn, expected, strict=True):
        if abs(row["t_min"] - t) > 1e-9:
            return False
        if (row["value"] is None) != (v is None) or (v is not None and abs(row["value"] - v) > 1e-9):
            return False
    return True


def settings_from_summary(summary: dict[str, str]) -> dict[str, float]:
    """``{"window_s": 30.0, ...}`` from the summary's "Settings" row ("window_s = 30, step_s = 5, ...")."""
    pairs = (item.split("=") for item in summary["Settings"].split(","))
    return {k.strip(): float(v) for k, v in pairs}


def good_recording(path: Path, *, session_id: str = "warm-rapport", minutes: float = 3.0) -> Path:
    """A small, valid two-person CSV (time + one EDA column per person), cut from a bundled session."""
    import pandas as pd

    frame = pd.read_csv(REPO / "data" / "sessions" / f"{session_id}.csv")
    frame = frame.loc[frame["time_s"] < minutes * 60, ["time_s", "eda_patient", "eda_clinician"]]
    frame.to_csv(path, index=False)
    return path


def require_recordings() -> None:
    if importlib.util.find_spec("empathy_explorer.recordings") is None:
        pytest.skip("empathy_explorer/recordings.py (the upload loader) does not exist yet")
