"""The class page (notebook 09) in Chromium: a facilitator uploads one ZIP of exported rounds and sees the
class's table and charts; a wrong file gets a plain message and the class stays."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.browser.conftest import NOTEBOOKS, wait_until

pytestmark = pytest.mark.slow

PAGE = "09_class_synchrony.ipynb"
ROOT = ".ee-class-data"
CHARTS = f"{ROOT} .ee-chart-panel .vega-embed"


def _class_zip(path: Path) -> Path:
    """Six pairs (not simulated), an 'A leads' and a joint round each, exported as the game page does."""
    from empathy_explorer.games.pooling import example_rounds
    from empathy_explorer.games.rounds import make_round, round_filename, round_to_csv

    rounds = example_rounds(
        [0.9, 0.8, 0.7, 0.8, 0.9, 0.7], kinds=("mirror_a_leads", "mirror_joint"), duration_s=30
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for r in rounds:
            rnd = make_round(r.kind, r.a, r.b, r.fs_hz, pair=r.pair, round_id=r.round_id)
            zf.writestr(f"our-class/{round_filename(rnd)}", round_to_csv(rnd))
    return path


def _text(page, selector: str) -> str:
    loc = page.locator(selector)
    return loc.first.inner_text() if loc.count() else ""


def _chart_rows(page, index: int, name: str):
    return page.evaluate(
        """([sel, i, name]) => { const el = document.querySelectorAll(sel)[i];
             if (!el || !el.eeView) { return null; }
             try { return el.eeView.data(name).map((row) => ({...row})); } catch (e) { return null; } }""",
        [CHARTS, index, name],
    )


def _upload(page, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.locator(f"{ROOT} .widget-upload").click()
    chooser.value.set_files(str(path))


@pytest.fixture
def class_page(open_app_page):
    if not (NOTEBOOKS / PAGE).exists():
        pytest.skip(f"notebooks/{PAGE} does not exist")
    app = open_app_page("class page")
    app.goto(PAGE)
    app.page.wait_for_selector(f"{CHARTS} svg.marks", state="attached")
    return app


def test_uploading_a_zip_of_rounds_shows_the_class_table_and_charts(class_page, tmp_path):
    page = class_page.page
    assert "SIMULATED DATA" in _text(page, f"{ROOT} .ee-simulated")
    assert "never names" in _text(page, f"{ROOT} .ee-privacy")
    assert page.locator(CHARTS).count() == 3
    first = _chart_rows(page, 0, "pairs")
    assert first is not None and sum(r["group"] == "Real pairs" for r in first) == 12

    _upload(page, _class_zip(tmp_path / "our-class.zip"))
    wait_until(
        lambda: "Your class" in _text(page, f"{ROOT} .ee-real"), timeout_s=60, what="the uploaded class"
    )
    assert "12 rounds from 6 pairs" in _text(page, f"{ROOT} .ee-real")
    assert "Read 12 round(s)" in _text(page, f"{ROOT} .ee-message")
    tests = _text(page, f"{ROOT} .ee-class-tests")
    assert "Mirror game, A leads" in tests and "Mirror game, no leader (joint)" in tests
    table = _text(page, f"{ROOT} .ee-class-table")
    assert all(f"P0{i}" in table for i in range(1, 7))
    # the charts in the browser now draw the class: 6 real pairs, 30 pseudo-pairs, 6 led-vs-joint points
    rows = wait_until(
        lambda: (
            (r := _chart_rows(page, 0, "pairs")) and sum(x["group"] == "Real pairs" for x in r) == 6 and r
        ),
        what="the strip chart of the uploaded class",
    )
    assert sum(x["group"] != "Real pairs" for x in rows) == 30
    points = wait_until(
        lambda: (p := _chart_rows(page, 1, "points")) and len(p) == 6 and p, what="led vs joint"
    )
    assert {p["pair"] for p in points} == {f"P0{i}" for i in range(1, 7)}
    assert page.locator(f"{CHARTS} svg.marks").count() == 3
    wait_until(  # every chart is redrawn for the uploaded class: no chart still says SIMULATED
        lambda: "SIMULATED" not in " ".join(page.locator(f"{CHARTS} svg text").all_text_contents()),
        what="the charts' subtitles to leave the simulated example",
    )
    assert page.locator(f"{CHARTS} svg text", has_text="Your class").count() >= 3
    class_page.screenshot("09_class_synchrony-after-zip-upload")

    # a wrong file: a plain message, and the class stays
    wrong = tmp_path / "notes.txt"
    wrong.write_text("Pair 3 played twice.", encoding="utf-8")
    _upload(page, wrong)
    wait_until(lambda: page.locator(f"{ROOT} .ee-message.ee-error").count(), what="the message")
    message = _text(page, f"{ROOT} .ee-message")
    assert "notes.txt" in message and "not a round file" in message and "Traceback" not in message
    assert "12 rounds from 6 pairs" in _text(page, f"{ROOT} .ee-real")
    class_page.assert_clean()
