"""Hostile and mistaken uploads in the browser: a friendly message every time, and the app stays usable.

Each file of the malformed corpus (``tests/data/malformed/``, described in its README) is uploaded in
turn through the session explorer's upload button. After each one the page must show the loader's own
plain message (the phrase the corpus README names for that file, never the generic "something went
wrong", a traceback, an exception name or a file path), and then a keyboard slider step must still
redraw the chart with the right numbers, which also clears the message. A file above the upload limit
(made here: the corpus does not commit 20 MB) must be refused with a message that states the limit.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from tests.browser import conftest as ui

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "data" / "malformed"
DATA_SUFFIXES = {".csv", ".txt", ".tsv"}

#: Signs that a message was written for a programmer, not for a medical student.
UNFRIENDLY = re.compile(
    r"Traceback|File \"|line \d+, in |\b[A-Z][A-Za-z]*(Error|Exception|Warning)\b|site-packages|/work/|/tmp/|"
    r"/home/|0x[0-9a-f]{6,}|\bnan\b|dtype|ndarray|KeyError|IndexError"
)


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.suffix in DATA_SUFFIXES)


def _readme_rows() -> list[list[str]]:
    readme = CORPUS / "README.md"
    if not readme.exists():
        return []
    rows = []
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and Path(cells[0].split(" + ")[0]).suffix in DATA_SUFFIXES:
            rows.append(cells)
    return rows


def corpus_uploads(folder: Path) -> list[tuple[Path, str | None]]:
    """Every upload to try, with the phrase its message must contain (from the corpus README's table).

    Each file on its own (half of a pair alone must also be refused kindly; its phrase is not checked),
    and each pair ``a + b`` the way the app takes two files: one ZIP holding both.
    """
    rows = _readme_rows()
    single = {cells[0]: cells[2] for cells in rows if " + " not in cells[0]}
    uploads: list[tuple[Path, str | None]] = [(p, single.get(p.name)) for p in corpus_files()]
    for cells in rows:
        if " + " not in cells[0]:
            continue
        names = cells[0].split(" + ")
        archive = folder / (Path(names[0]).stem.split("__")[0] + ".zip")
        with zipfile.ZipFile(archive, "w") as zf:
            for name in names:
                zf.write(CORPUS / name, arcname=name)
        uploads.append((archive, cells[2]))
    return uploads


@pytest.fixture(scope="module")
def explorer(browser, app_server):
    ui.require_explorer()
    if not corpus_files():
        pytest.skip("tests/data/malformed/ (the malformed-recordings corpus) does not exist yet")
    app = ui.new_app_page(browser, app_server, "session explorer (uploads)")
    try:
        yield ui.ExplorerPage(app).open()
    finally:
        app.page.context.close()


def _friendly_problems(text: str) -> list[str]:
    from empathy_explorer.app.explorer import GENERIC_ERROR

    problems = []
    if not text:
        problems.append("no message")
    if text.strip("⚠ ").startswith(GENERIC_ERROR[:40]):
        problems.append(
            "the generic 'something went wrong' (an unexpected exception, not the loader's message)"
        )
    if UNFRIENDLY.search(text):
        problems.append(f"programmer's text {UNFRIENDLY.search(text).group(0)!r}")
    if len(text) > 700:
        problems.append(f"{len(text)} characters long")
    return problems


def _step_slider_and_check(explorer: ui.ExplorerPage, catalogue_session, key: str) -> None:
    before = ui.settings_from_summary(explorer.summary())
    after = dict(before, window_s=explorer.press_slider("Window (s)", key))
    ui.wait_until(
        lambda: ui.settings_from_summary(explorer.summary()) == after, what=f"the slider step to {after}"
    )
    expected = ui.expected_sync_rows(catalogue_session, after)
    ui.wait_until(lambda: ui.rows_match(explorer.chart_data("sync"), expected), what="the redrawn chart")
    ui.wait_until(lambda: explorer.message()[0] != "error", what="the error message to clear")


def test_every_malformed_file_gives_a_friendly_message_and_the_app_stays_usable(explorer, tmp_path):
    from empathy_explorer.sessions import list_sessions, load_session

    catalogue = list_sessions()
    title = explorer.selected_session()
    session = load_session(catalogue.loc[catalogue["title"] == title, "id"].iloc[0])
    failures: dict[str, list[str]] = {}
    uploads = corpus_uploads(tmp_path)
    assert any(path.suffix == ".zip" for path, _ in uploads), "the corpus README lists no pair"
    for i, (path, phrase) in enumerate(uploads):
        explorer.upload(path)
        try:
            ui.wait_until(lambda: explorer.message()[0] == "error", timeout_s=20, what="a message")
        except AssertionError:
            failures[path.name] = [f"no error message (shown: {explorer.message()})"]
        else:
            text = explorer.message()[1]
            problems = _friendly_problems(text)
            if phrase and phrase.lower() not in text.lower():
                problems.append(f"does not say {phrase!r}")
            if problems:
                failures[path.name] = [*problems, f"message: {text[:300]!r}"]
        # The page is still the same session and still works.
        assert explorer.selected_session() == title, f"{path.name} changed the session"
        _step_slider_and_check(explorer, session, "ArrowRight" if i % 2 == 0 else "ArrowLeft")
    explorer.app.screenshot("07_session_explorer-after-malformed-uploads")
    assert not failures, "\n".join(f"{name}: {'; '.join(p)}" for name, p in failures.items())
    explorer.app.assert_clean()


def test_a_file_above_the_upload_limit_is_refused_with_the_limit_stated(explorer, tmp_path):
    """The whole file travels to the kernel in one websocket message, and Voilà's server drops any message
    above tornado's ``websocket_max_message_size`` (default 10 MiB) by closing the connection: unless
    voila.json raises that limit above the app's own, such a file never reaches the kernel's size check
    and the page shows nothing at all (the browser only logs "Connection lost, reconnecting")."""
    from empathy_explorer.recordings import MAX_FILE_BYTES

    big = tmp_path / "whole-day.csv"
    row = b"0.000000,5.000000,7.000000\n"
    with big.open("wb") as fh:
        fh.write(b"time_s,patient,clinician\n")
        fh.write(row * (MAX_FILE_BYTES // len(row) + 1000))
    assert big.stat().st_size > MAX_FILE_BYTES
    explorer.upload(big)
    ui.wait_until(
        lambda: explorer.message()[0] == "error" or explorer.app.reconnects,
        timeout_s=60,
        what="the size message",
    )
    assert not explorer.app.reconnects, (
        "the upload never reached the kernel: the server dropped the websocket message and the page only "
        "reconnected (raise Voila.tornado_settings.websocket_max_message_size above the upload limit)"
    )
    text = explorer.message()[1]
    assert f"{MAX_FILE_BYTES / 1e6:.0f} MB" in text, text
    assert not _friendly_problems(text), text
    title = explorer.selected_session()
    from empathy_explorer.sessions import list_sessions, load_session

    catalogue = list_sessions()
    session = load_session(catalogue.loc[catalogue["title"] == title, "id"].iloc[0])
    _step_slider_and_check(explorer, session, "ArrowRight")
    explorer.app.assert_clean()


REAL = REPO / "tests" / "data" / "real"
PYTHON_CODE = re.compile(r"load_recording|\w+_column=|kind=|fs=|\(\{|patient=")


def _upload_two(explorer: ui.ExplorerPage, paths: list[Path]) -> None:
    with explorer.page.expect_file_chooser() as chooser:
        explorer.page.locator(f"{explorer.ROOT} .widget-upload").click()
    chooser.value.set_files([str(p) for p in paths])


def test_device_files_messages_and_the_who_is_who_choice(explorer, tmp_path):
    """Real device files in the browser: a real E4 temperature file is named (no Python in the message);
    two real EDA.csv files whose names do not say who is who make the app ask, and the answer loads
    the pair."""
    title = explorer.selected_session()
    temp, eda = tmp_path / "patient_EDA.csv", tmp_path / "clinician_EDA.csv"
    temp.write_bytes((REAL / "e4_flirt" / "TEMP.csv").read_bytes())
    eda.write_bytes((REAL / "e4_flirt" / "EDA.csv").read_bytes())
    _upload_two(explorer, [temp, eda])
    ui.wait_until(lambda: explorer.message()[0] == "error", timeout_s=30, what="the TEMP.csv message")
    text = explorer.message()[1]
    assert "skin-temperature file (TEMP.csv" in text, text
    assert not PYTHON_CODE.search(text) and not _friendly_problems(text), text
    assert explorer.selected_session() == title

    a, b = tmp_path / "A17_EDA.csv", tmp_path / "B42_EDA.csv"
    a.write_bytes((REAL / "e4_flirt" / "EDA.csv").read_bytes())
    b.write_bytes((REAL / "derived" / "msr2023_EDA_start_moved.csv").read_bytes())
    _upload_two(explorer, [a, b])
    ui.wait_until(
        lambda: "Choose which" in explorer.message()[1], timeout_s=30, what="the who-is-who question"
    )
    text = explorer.message()[1]
    assert "Choose which one is the patient" in text and not PYTHON_CODE.search(text), text
    question = explorer.page.get_by_text("Which file is the patient's?")
    question.wait_for(state="visible", timeout=10_000)
    explorer.page.get_by_label("B42_EDA.csv").check()
    explorer.page.get_by_role("button", name="Load with this choice").click()
    ui.wait_until(
        lambda: explorer.message()[0] == "note", timeout_s=30, what=f"the loaded pair ({explorer.message()})"
    )
    assert "B42_EDA.csv" in explorer.message()[1] and "chosen by you" in explorer.message()[1]
    ui.wait_until(lambda: "A17_EDA.csv + B42_EDA.csv" in explorer.selected_session(), what="the new session")
    explorer.app.screenshot("07_session_explorer-who-is-who")
    explorer.app.assert_clean()
