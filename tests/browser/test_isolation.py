"""Two students at once: each browser session sees only its own upload, and nothing is written to disk.

Two browser contexts (separate cookies and storage, like two laptops) open the session explorer at the
same time, each gets its own kernel, and each uploads a different recording (file names carry a random
token). Each page must then list and show only its own file, draw the synchrony of its own data, and
never mention the other's; no file named after either upload may appear in the repository or the
temporary directory (uploads stay in the kernel's memory).
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from pathlib import Path

import pytest

from tests.browser import conftest as ui

pytestmark = pytest.mark.slow


def _files_named(token: str, roots: list[Path]) -> list[str]:
    found = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if d not in (".git", ".venv", "node_modules")]
            found += [os.path.join(folder, f) for f in files if token in f]
    return found


def _kernel_id(explorer: ui.ExplorerPage) -> str:
    config = explorer.page.locator("#jupyter-config-data").text_content()
    return json.loads(config)["kernelId"]


def test_two_simultaneous_sessions_each_see_only_their_own_upload(browser, app_server, tmp_path):
    ui.require_explorer()
    ui.require_recordings()
    from empathy_explorer.recordings import load_recording

    token = uuid.uuid4().hex[:10]
    files = {
        "alice": ui.good_recording(tmp_path / f"alice-{token}.csv", session_id="warm-rapport", minutes=3.0),
        "bob": ui.good_recording(tmp_path / f"bob-{token}.csv", session_id="conflict", minutes=4.0),
    }
    apps = {who: ui.new_app_page(browser, app_server, f"student {who}") for who in files}
    try:
        # Both pages load at the same time (the server runs two kernels side by side).
        for app in apps.values():
            app.page.goto(app.server.url(ui.EXPLORER_NOTEBOOK), wait_until="commit")
        pages = {who: ui.ExplorerPage(app) for who, app in apps.items()}
        for explorer in pages.values():
            explorer.app.wait_rendered()
            ui.wait_until(lambda e=explorer: e.summary().get("windows"), what="the first summary")
        assert _kernel_id(pages["alice"]) != _kernel_id(pages["bob"]), "two visitors share one kernel"

        for who, explorer in pages.items():  # both uploads are in flight before either is checked
            explorer.upload(files[who])
        for who, explorer in pages.items():
            mine, theirs = files[who].name, files["bob" if who == "alice" else "alice"].name
            session = load_recording(files[who].read_bytes(), name=mine)
            ui.wait_until(
                lambda e=explorer, t=session.title: e.summary().get("Session", "").startswith(t),
                what=f"{who}'s upload in {who}'s page",
            )
            assert explorer.selected_session() == f"Your upload: {mine}"
            uploads = [o for o in explorer.session_options() if o.startswith("Your upload")]
            assert uploads == [f"Your upload: {mine}"], f"{who} sees uploads {uploads}"
            expected = ui.expected_sync_rows(session, ui.settings_from_summary(explorer.summary()))
            ui.wait_until(
                lambda e=explorer, x=expected: ui.rows_match(e.chart_data("sync"), x),
                what=f"{who}'s own synchrony",
            )
            assert theirs not in explorer.app.visible_text() and token in explorer.app.visible_text()
            explorer.app.assert_clean()
        leaked = _files_named(token, [ui.REPO, Path(tempfile.gettempdir())])
        leaked = [f for f in leaked if not Path(f).is_relative_to(tmp_path)]  # the test's own copies
        assert not leaked, f"uploads were written to disk: {leaked}"
    finally:
        for app in apps.values():
            app.page.context.close()
