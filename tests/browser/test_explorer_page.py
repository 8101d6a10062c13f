"""The session explorer (notebook 07) driven like a student drives it: keyboard, drop-down, file upload.

One page is opened for the module (its kernel computes everything; opening it is the slow part) and
the tests act on it in turn. Every expectation is computed here from the full-rate data with the
package's own functions, and compared with what the browser's Vega view of the chart holds.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.browser.conftest import (
    ExplorerPage,
    expected_sync_rows,
    good_recording,
    new_app_page,
    require_explorer,
    require_recordings,
    rows_match,
    settings_from_summary,
    wait_until,
)

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def explorer(browser, app_server):
    require_explorer()
    app = new_app_page(browser, app_server, "session explorer", downloads=True)
    try:
        yield ExplorerPage(app).open()
    finally:
        app.page.context.close()


@pytest.fixture(scope="module")
def catalogue():
    from empathy_explorer.sessions import list_sessions

    return list_sessions()


def _session_by_title(catalogue, title: str):
    from empathy_explorer.sessions import load_session

    ids = catalogue.loc[catalogue["title"] == title, "id"].tolist()
    assert ids, f"the page shows a session {title!r} that is not in the catalogue"
    return load_session(ids[0])


def test_first_session_is_drawn_with_the_right_numbers(explorer, catalogue):
    summary = explorer.summary()
    session = _session_by_title(catalogue, explorer.selected_session())
    expected = expected_sync_rows(session, settings_from_summary(summary))
    assert rows_match(explorer.chart_data("sync"), expected)
    assert int(summary["windows"]) == len(expected)
    assert "SIMULATED" in explorer.chart_text() or "simulated" in explorer.chart_text()
    explorer.app.assert_clean()


def test_keyboard_slider_step_redraws_the_chart_with_the_new_windows(explorer, catalogue):
    before = settings_from_summary(explorer.summary())
    version = explorer.chart_version()
    new_window_s = explorer.press_slider("Window (s)", "ArrowRight")
    assert new_window_s > before["window_s"]
    after = dict(before, window_s=new_window_s)
    wait_until(
        lambda: settings_from_summary(explorer.summary()) == after,
        what=f"the summary to show {after} after ArrowRight on the window slider",
    )
    session = _session_by_title(catalogue, explorer.selected_session())
    expected = expected_sync_rows(session, after)
    assert len(expected) < len(expected_sync_rows(session, before)), "a longer window gives fewer windows"
    wait_until(lambda: rows_match(explorer.chart_data("sync"), expected), what="the chart's new windows")
    assert explorer.chart_version() != version, "the chart was not updated in place"
    assert int(explorer.summary()["windows"]) == len(expected)
    explorer.app.assert_clean()


def test_picking_another_session_redraws_signals_and_synchrony(explorer, catalogue):
    current = explorer.selected_session()
    other = next(t for t in explorer.session_options() if t != current and "conflict" in t.lower())
    explorer.pick_session(other)
    wait_until(
        lambda: explorer.summary().get("Session", "").startswith(other), what=f"the summary of {other}"
    )
    session = _session_by_title(catalogue, other)
    expected = expected_sync_rows(session, settings_from_summary(explorer.summary()))
    wait_until(lambda: rows_match(explorer.chart_data("sync"), expected), what=f"the synchrony of {other}")
    assert other.split(" (")[0] in explorer.chart_text(), "the chart title does not name the new session"
    # The signals drawn are this session's (thinned for display, never above Altair's 5,000 rows).
    signals = explorer.chart_data("signals")
    assert signals and len(signals) <= 5000
    assert max(r["t_min"] for r in signals) == pytest.approx(session.duration_s / 60, abs=1 / session.fs)
    assert explorer.summary()["Duration"] == f"{session.duration_s / 60:.1f} min"
    explorer.app.assert_clean()


def test_uploading_a_small_good_csv_shows_its_own_synchrony(explorer, tmp_path):
    require_recordings()
    from empathy_explorer.recordings import load_recording

    path = good_recording(tmp_path / "my-session.csv")
    explorer.upload(path)
    wait_until(lambda: explorer.message()[0] == "note", what="the upload's note")
    _kind, text = explorer.message()
    assert "my-session.csv" in text, text
    assert explorer.selected_session() == "Your upload: my-session.csv"
    session = load_recording(path.read_bytes(), name=path.name)
    wait_until(
        lambda: explorer.summary().get("Session", "").startswith(session.title), what="the upload's summary"
    )
    expected = expected_sync_rows(session, settings_from_summary(explorer.summary()))
    wait_until(lambda: rows_match(explorer.chart_data("sync"), expected), what="the upload's synchrony")
    assert explorer.summary()["Duration"] == f"{session.duration_s / 60:.1f} min"
    explorer.app.screenshot("07_session_explorer-upload")
    explorer.app.assert_clean()


def test_a_zip_with_two_e4_files_loads_as_one_recording(explorer):
    require_recordings()
    from empathy_explorer.recordings import load_recording

    path = REPO / "tests" / "data" / "recordings" / "e4_pair.zip"
    if not path.exists():
        pytest.skip("tests/data/recordings/e4_pair.zip (a good Empatica E4 pair) does not exist yet")
    explorer.upload(path)
    session = load_recording(path.read_bytes(), name=path.name)
    wait_until(
        lambda: explorer.summary().get("Session", "").startswith(session.title), what="the E4 pair's summary"
    )
    assert explorer.selected_session() == f"Your upload: {path.name}"
    expected = expected_sync_rows(session, settings_from_summary(explorer.summary()))
    wait_until(lambda: rows_match(explorer.chart_data("sync"), expected), what="the E4 pair's synchrony")
    explorer.app.assert_clean()


def test_figure_and_numbers_download_from_the_page_offline(explorer, catalogue, tmp_path):
    """PNG and SVG are drawn by the browser itself; the CSV holds exactly the numbers the chart shows."""
    import pandas as pd

    page = explorer.page
    saved = {}
    for fmt in ("svg", "png"):
        with page.expect_download(timeout=20_000) as download:
            page.locator(f"{ExplorerPage.ROOT} button:has-text('Save {fmt.upper()}')").click()
        saved[fmt] = tmp_path / download.value.suggested_filename
        download.value.save_as(saved[fmt])
        assert saved[fmt].suffix == f".{fmt}"
    svg = saved["svg"].read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and "Synchrony over time" in svg
    assert saved["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert saved["png"].stat().st_size > 10_000, "the PNG is (nearly) empty"

    page.locator(f"{ExplorerPage.ROOT} button:has-text('Prepare the numbers as CSV')").click()
    link = page.locator(f"{ExplorerPage.ROOT} a.ee-download").first
    link.wait_for()
    with page.expect_download(timeout=20_000) as download:
        link.click()
    csv_path = tmp_path / download.value.suggested_filename
    download.value.save_as(csv_path)
    table = pd.read_csv(csv_path)
    drawn = explorer.chart_data("sync")
    assert len(table) == len(drawn) == int(explorer.summary()["windows"])
    values = table.iloc[:, 1].to_numpy()  # the column after time: the synchrony value per window
    assert all(
        (row["value"] is None and pd.isna(v)) or abs(row["value"] - v) < 1e-9
        for row, v in zip(drawn, values, strict=True)
    )
    explorer.app.assert_clean()


def test_significance_test_reports_p_and_a_fast_drag_ends_on_the_last_setting(explorer, catalogue):
    """The surrogate test answers in the page; keys pressed faster than the kernel computes never leave
    an older setting on the chart (only the latest request is computed)."""
    title = str(catalogue["title"].iloc[0])
    if explorer.selected_session() != title:
        explorer.pick_session(title)
        wait_until(lambda: explorer.summary().get("Session", "").startswith(title), what=f"{title}")
    page = explorer.page
    page.locator(f"{ExplorerPage.ROOT} button:has-text('Run the significance test')").click()
    result = page.locator(f"{ExplorerPage.ROOT} .ee-test-result")
    result.wait_for(timeout=60_000)
    match = re.search(r"p = (\d\.\d{3})", result.inner_text())
    assert match and 0 < float(match[1]) <= 1, result.inner_text()

    handle = explorer.slider_handle("Window (s)")
    before = settings_from_summary(explorer.summary())
    handle.focus()
    for _ in range(4):  # a quick drag: four steps with no pause
        handle.press("ArrowRight")
    after = dict(before, window_s=explorer.slider_value("Window (s)"))
    assert after["window_s"] > before["window_s"]
    wait_until(lambda: settings_from_summary(explorer.summary()) == after, what=f"the summary at {after}")
    expected = expected_sync_rows(_session_by_title(catalogue, title), after)
    wait_until(
        lambda: rows_match(explorer.chart_data("sync"), expected), what="the chart at the last setting"
    )
    time.sleep(1.0)  # nothing older may land afterwards
    assert settings_from_summary(explorer.summary()) == after
    assert rows_match(explorer.chart_data("sync"), expected)
    explorer.app.assert_clean()
