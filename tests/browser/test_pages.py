"""Every notebook page of the app renders in a real browser with the network cut off.

For each ``notebooks/NN_*.ipynb`` (a glob, so a new page is covered without editing this file) the page
is opened in headless Chromium with every off-machine request aborted, and must:

- finish running (Voilà's spinner gone, the cells shown);
- show widgets, and every chart widget must have drawn its Vega view (an SVG or canvas of marks);
- log no JavaScript error in the console and throw no uncaught error (widget extensions built against
  another JupyterLab front-end would fail here);
- show no traceback, error output, widget error or file path;
- not even try to reach another machine (every such request is aborted and fails the test).

A full-page screenshot of each page is saved under ``test-artifacts/browser/``.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import AppPage, new_app_page, notebook_pages

pytestmark = pytest.mark.slow

PAGES = notebook_pages()
TEST_NAME = "test_page_renders_offline_with_widgets_and_charts_and_no_errors"
#: Pages loading at the same time. Each page runs its own kernel, so two keep both cores busy while the
#: browser draws the previous page (a page whose kernel is not preheated spends seconds running cells).
IN_FLIGHT = 2


def inspect(app: AppPage, notebook: str) -> list[str]:
    """Wait for the page to finish, screenshot it, and list everything wrong with it."""
    app.wait_rendered()
    app.screenshot(notebook.removesuffix(".ipynb"))
    state = app.widgets()
    problems = app.problems()
    if state is None:
        problems.append("the page has no widget manager: the widgets front-end did not load")
    else:
        if state["views"] == 0:
            problems.append("no widget is shown on the page")
        if state["drawn"] != state["charts"]:
            missing = state["charts"] - state["drawn"]
            problems.append(f"{missing} of {state['charts']} chart widgets did not draw")
    # Every chart element on the page (widget or not) holds its marks.
    n_embeds = app.page.locator(".vega-embed").count()
    n_drawn = app.page.locator(".vega-embed svg.marks, .vega-embed canvas.marks").count()
    if n_drawn != n_embeds:
        problems.append(f"{n_embeds - n_drawn} of {n_embeds} charts are empty")
    # A fresh page shows no error message of the app's own.
    shown = app.page.locator(".ee-message.ee-error").all_inner_texts()
    problems += [f"app error message: {text}" for text in shown]
    return problems


@pytest.fixture(scope="module")
def page_problems(request, browser, app_server) -> dict[str, list[str]]:
    """Open every selected page (``IN_FLIGHT`` at a time, each in its own browser context) and inspect it."""
    wanted = [
        item.callspec.params["notebook"]
        for item in request.session.items
        if item.originalname == TEST_NAME and hasattr(item, "callspec")
    ]
    reports: dict[str, list[str]] = {}
    queue, in_flight = list(dict.fromkeys(wanted)), []
    while queue or in_flight:
        while queue and len(in_flight) < IN_FLIGHT:
            notebook = queue.pop(0)
            app = new_app_page(browser, app_server, notebook)
            app.page.goto(app_server.url(notebook), wait_until="commit")
            in_flight.append((notebook, app))
        notebook, app = in_flight.pop(0)
        try:
            reports[notebook] = inspect(app, notebook)
        except Exception as exc:  # a time-out on one page must not hide the others' results
            reports[notebook] = [f"{type(exc).__name__}: {str(exc).splitlines()[0]}"]
        finally:
            app.page.context.close()
    return reports


@pytest.mark.parametrize("notebook", PAGES, ids=[name.removesuffix(".ipynb") for name in PAGES])
def test_page_renders_offline_with_widgets_and_charts_and_no_errors(page_problems, notebook):
    problems = page_problems[notebook]
    assert not problems, f"{notebook}:\n  " + "\n  ".join(problems)


def test_app_address_opens_start_here(open_app_page, app_server):
    """The address `make app` prints (the server's root) lands on the rendered "Start here" page, offline."""
    app = open_app_page("root")
    app.page.goto(app_server.base + "/", wait_until="commit")
    app.page.wait_for_url("**/voila/render/00_start_here.ipynb", timeout=30_000)
    app.wait_rendered()
    assert "Start here" in app.visible_text()
    app.assert_clean()
