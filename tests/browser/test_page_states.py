"""The page while it starts and after its kernel is gone: words, not a bare spinner.

- **Loading**: until Voilà's front end has drawn the widgets, the page shows the app header and
  "Starting your page — this takes a few seconds; on Binder the first start can take a few minutes" in a
  status region, with the progress of the page's cells; Voilà's spinner is gone. The test holds back
  Voilà's own script, so the loading state stays on screen as long as the test needs to look at it.
- **Lost kernel**: when the page's kernel is shut down (as Binder's idle culling does; here through
  Voilà's own shutdown endpoint) the websocket stays open and looks idle; at the student's next click the
  page asks its kernel, gets no answer, and says what happened and what to do, with a "Reload the page"
  button that brings the page back with a fresh kernel.
"""

from __future__ import annotations

import re
import urllib.request

import pytest

from tests.browser.conftest import OFF_MACHINE, REPO, new_app_page

pytestmark = pytest.mark.slow

SCREENS = REPO / "test-artifacts" / "screens"
NOTEBOOK = "01_empathy_in_the_clinic.ipynb"


def test_loading_state_is_a_friendly_message_with_progress(browser, app_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(OFF_MACHINE, lambda route: route.abort())
    page = context.new_page()
    held = []
    page.route(re.compile(r"/voila/static/voila\.js(\?|$)"), lambda route: held.append(route))
    try:
        page.goto(app_server.url(NOTEBOOK), wait_until="commit")
        page.wait_for_selector("#loading .ee-loading-title", state="visible", timeout=60_000)
        loading = page.locator("#loading")
        assert loading.get_attribute("role") == "status"
        text = loading.inner_text()
        assert "Starting your page — this takes a few seconds." in text
        assert "On Binder the first start can take a few minutes." in text
        assert page.locator("#loading svg, .spinner").count() == 0  # no bare spinner
        assert page.locator("header.ee-header").is_visible()
        assert "Empathy in the clinic" in page.locator("header.ee-header").inner_text()
        # The cells run while the message is shown; the progress line counts them.
        page.wait_for_function(
            "() => /Preparing part (\\d+) of \\1…/.test(document.getElementById('loading_text').textContent)",
            timeout=120_000,
        )
        assert page.locator("#rendered_cells").is_hidden()
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "loading-state.png"))
        assert held, "Voilà's script was never requested"
        for route in held:
            route.continue_()
        page.wait_for_selector("#loading", state="detached", timeout=60_000)
        page.wait_for_selector("#rendered_cells", state="visible", timeout=60_000)
    finally:
        context.close()


def test_lost_kernel_shows_a_message_and_reload_brings_the_page_back(browser, app_server):
    app = new_app_page(browser, app_server, "lost kernel")
    page = app.page
    try:
        app.goto(NOTEBOOK)
        banner = page.locator("#ee-kernel-lost")
        assert banner.is_hidden()
        match = re.search(r"""kernelId["']?\s*:\s*["']([0-9a-fA-F-]{36})["']""", page.content())
        assert match, "the page carries no kernel id"
        request = urllib.request.Request(
            f"{app_server.base}/voila/api/shutdown/{match.group(1)}", data=b"", method="POST"
        )
        with urllib.request.urlopen(request, timeout=30) as resp:
            assert resp.status in (200, 204)
        page.wait_for_timeout(6_000)  # the page asks the kernel at most every 5 s
        # The student clicks an answer: the page asks its kernel, which no longer answers.
        page.locator(".ee-quiz .widget-radio-box input").first.click()
        banner.wait_for(state="visible", timeout=30_000)
        assert banner.get_attribute("role") == "alert"
        assert "This page has stopped." in banner.inner_text()
        button = page.get_by_role("button", name="Reload the page")
        assert button.is_visible()
        assert page.evaluate("() => document.activeElement && document.activeElement.textContent.trim()") == (
            "Reload the page"
        )
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "kernel-lost.png"))
        button.click()
        page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
        app.wait_rendered()
        assert page.locator("#ee-kernel-lost").is_hidden()
        assert page.locator(".ee-chart-panel svg.marks").count() > 0
    finally:
        page.context.close()
