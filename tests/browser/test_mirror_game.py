"""Page 08 in Chromium: two players driven by synthetic key events (and touches) along known paths.

- B copies A's key presses 300 ms later: the page reports that B followed by 300 ± 40 ms with p < 0.05,
  and the result appears within 1 s of the round's end (measured in the browser).
- Independent key paths: not significant.
- A phone viewport (390 × 844, touch): two fingers drag the two handles at once (multi-touch, sent as real
  touch events through the Chrome DevTools protocol); B's finger copies A's 300 ms later.
- The virtual tapper: taps on F at a steady beat, and the page's estimate of the computer's phase
  correction is the α set on the slider.
- Bad input: a round stopped after 5 s and a tab hidden mid-round get their messages; earlier rounds stay.

Each mirror round lasts 30 s (the shortest round the page offers), so this file takes a few minutes.
"""

from __future__ import annotations

import re
import time
from typing import Any

import numpy as np
import pytest

from tests.browser.conftest import OFF_MACHINE, AppPage, new_app_page, wait_until

pytestmark = pytest.mark.slow

NOTEBOOK = "08_mirror_game.ipynb"
ROOT = ".ee-mirror-game"
CAPTURE = ".ee-capture"

#: Schedules key events relative to now and records when the round ended and when the result changed.
SCHEDULE_JS = """
([events]) => {
  const root = document.querySelector('.ee-capture');
  for (const [t, key, type] of events) {
    setTimeout(() => root.dispatchEvent(new KeyboardEvent(type, {key, bubbles: true})), t);
  }
}
"""

WATCH_JS = """
() => {
  window.__ee = {end: null, result: null};
  const status = document.querySelector('.ee-capture-status');
  const result = document.querySelector('.ee-game-result');
  new MutationObserver(() => {
    if (window.__ee.end === null && status.textContent.startsWith('Round over')) {
      window.__ee.end = performance.now();
    }
  }).observe(status, {childList: true, characterData: true, subtree: true});
  new MutationObserver(() => {
    if (window.__ee.result === null && !result.textContent.includes('Example')) {
      window.__ee.result = performance.now();
    }
  }).observe(result, {childList: true, characterData: true, subtree: true});
}
"""


def key_segments(seed: int, duration_ms: float = 29_500.0) -> list[tuple[float, int]]:
    """(start ms, direction) of random up/down/still stretches of 0.25-0.9 s (a player on a keyboard)."""
    rng = np.random.default_rng(seed)
    t, out = 200.0, []
    while t < duration_ms:
        out.append((t, int(rng.choice([-1, 0, 1, 1, -1]))))
        t += float(rng.uniform(250, 900))
    return out


def key_events(segments: list[tuple[float, int]], up: str, down: str, shift_ms: float = 0.0) -> list:
    """Key down/up events that hold ``up`` or ``down`` during each stretch."""
    events, held = [], None
    for t, d in segments:
        if held:
            events.append([t + shift_ms, held, "keyup"])
            held = None
        if d:
            held = up if d > 0 else down
            events.append([t + shift_ms, held, "keydown"])
    if held:
        events.append([segments[-1][0] + 500 + shift_ms, held, "keyup"])
    return events


def open_game(app: AppPage) -> None:
    app.goto(NOTEBOOK)
    app.page.wait_for_selector(f"{CAPTURE} .ee-capture-start", state="visible")


def choose(app: AppPage, label: str) -> None:
    select = app.page.locator(f"{ROOT} .widget-dropdown:has(label:text-is('Round')) select")
    select.select_option(label=label)
    wait_until(lambda: label in status(app), timeout_s=15, what=f"the widget to switch to {label!r}")


def status(app: AppPage) -> str:
    return app.page.locator(f"{CAPTURE} .ee-capture-status").inner_text()


def result(app: AppPage) -> dict[str, Any]:
    p = app.page.locator(f"{ROOT} .ee-game-result p")
    return {
        "text": p.inner_text(),
        "lag_ms": float(p.get_attribute("data-lag-ms")),
        "p": float(p.get_attribute("data-p-value")),
    }


def start_round(app: AppPage) -> None:
    app.page.evaluate(WATCH_JS)
    app.page.locator(f"{CAPTURE} .ee-capture-start").click()
    wait_until(lambda: status(app).startswith("Go!"), timeout_s=10, what="the countdown to end")


def wait_result(app: AppPage, kind_label: str, timeout_s: float = 60.0) -> dict[str, Any]:
    wait_until(
        lambda: kind_label in result(app)["text"], timeout_s=timeout_s, what=f"the {kind_label} result"
    )
    return result(app)


def wait_new_result(app: AppPage, timeout_s: float = 60.0) -> None:
    """Wait until the result line changed after the round that :func:`start_round` started."""
    wait_until(
        lambda: app.page.evaluate("() => window.__ee.result !== null"),
        timeout_s=timeout_s,
        what="a new result",
    )


def latency_ms(app: AppPage) -> float:
    times = app.page.evaluate("() => window.__ee")
    assert times["end"] is not None and times["result"] is not None, times
    return times["result"] - times["end"]


@pytest.fixture(scope="module")
def game(browser, app_server):
    app = new_app_page(browser, app_server, NOTEBOOK)
    open_game(app)
    yield app
    app.page.context.close()


def test_b_copying_a_300_ms_late_is_found_and_significant_within_a_second(game):
    seg = key_segments(11)
    events = key_events(seg, "w", "s") + key_events(seg, "ArrowUp", "ArrowDown", shift_ms=300.0)
    start_round(game)
    game.page.evaluate(SCHEDULE_JS, [events])
    res = wait_result(game, "A leads, B follows")
    assert "A led: B followed by" in res["text"]
    assert abs(res["lag_ms"] - 300.0) <= 40.0, res
    assert res["p"] < 0.05, res
    waited = latency_ms(game)
    print(f"result shown {waited:.0f} ms after the round ended")
    assert waited < 1000.0
    table = game.page.locator(f"{ROOT} .ee-game-table").first.inner_text()
    assert "P01-mirror_a_leads-1" in table
    game.assert_clean()


def test_independent_players_are_not_significant(game):
    events = key_events(key_segments(21), "w", "s") + key_events(key_segments(22), "ArrowUp", "ArrowDown")
    start_round(game)
    game.page.evaluate(SCHEDULE_JS, [events])
    wait_new_result(game)
    assert "P01-mirror_a_leads-2" in game.page.locator(f"{ROOT} .ee-game-table").first.inner_text()
    res = result(game)
    assert res["p"] >= 0.05 and "not more in step than chance" in res["text"], res
    game.assert_clean()


def test_virtual_tapper_phase_correction_is_the_alpha_set(game):
    choose(game, "Tapping alone: with a virtual partner")
    # The student taps F every 600 ms, starting 80 ms after the computer's first tap (at 1 s).
    events = []
    for k in range(45):
        t = 1080.0 + 600.0 * k
        events += [[t, "f", "keydown"], [t + 60.0, "f", "keyup"]]
    start_round(game)
    game.page.evaluate(SCHEDULE_JS, [events])
    wait_new_result(game)
    text = result(game)["text"]
    assert "Tapping alone" in text
    alpha_b = float(re.search(r"Phase correction: A \S+, B (-?\d+\.\d+)", text).group(1))
    # Default slider α = 0.5; the computer's taps are only 10-ms resolved in the round file.
    assert alpha_b == pytest.approx(0.5, abs=0.1), text
    game.assert_clean()


def test_stopped_early_and_hidden_tab_get_messages_and_keep_rounds(game):
    choose(game, "Mirror game: together, no leader")
    rows_before = game.page.locator(f"{ROOT} .ee-game-table").first.locator("tbody tr").count()
    start_round(game)
    game.page.evaluate(SCHEDULE_JS, [key_events(key_segments(5, 4000), "w", "s")])
    game.page.evaluate(
        """() => { Object.defineProperty(document, 'hidden', {value: true, configurable: true});
                   document.dispatchEvent(new Event('visibilitychange')); }"""
    )
    time.sleep(1.5)
    game.page.evaluate(
        """() => { Object.defineProperty(document, 'hidden', {value: false, configurable: true});
                   document.dispatchEvent(new Event('visibilitychange')); }"""
    )
    time.sleep(3.0)
    game.page.locator(f"{CAPTURE} .ee-capture-stop").click()
    msg = game.page.locator(f"{ROOT} .ee-message")
    wait_until(
        lambda: "too short to analyse" in msg.inner_text(), timeout_s=30, what="the short-round message"
    )
    text = msg.inner_text()
    assert "stopped after" in text and "in the background" in text
    table = game.page.locator(f"{ROOT} .ee-game-table").first
    assert table.locator("tbody tr").count() == rows_before + 1
    assert "P01-mirror_a_leads-1" in table.inner_text()  # earlier rounds are still there
    assert "not analysed" in table.inner_text()
    game.assert_clean()


def test_two_fingers_on_a_phone_drive_both_handles(browser, app_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    blocked: list[str] = []
    context.route(OFF_MACHINE, lambda route: (blocked.append(route.request.url), route.abort()))
    page = context.new_page()
    app = AppPage(page=page, server=app_server, label="phone")
    page.on("pageerror", lambda exc: app.page_errors.append(str(exc)[:500]))
    try:
        open_game(app)
        capture = page.locator(CAPTURE)
        capture.scroll_into_view_if_needed()
        width = page.evaluate("() => document.querySelector('.ee-capture').clientWidth")
        assert width <= 390
        page.evaluate(WATCH_JS)
        start = page.locator(f"{CAPTURE} .ee-capture-start").bounding_box()
        page.touchscreen.tap(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
        wait_until(lambda: status(app).startswith("Go!"), timeout_s=10, what="the countdown")
        ta = page.locator(f"{CAPTURE} .ee-track-a").bounding_box()
        tb = page.locator(f"{CAPTURE} .ee-track-b").bounding_box()
        cdp = context.new_cdp_session(page)
        rng = np.random.default_rng(3)
        # A smooth finger path (positions 0.1-0.9 of the track), 20 ms steps; B's finger is 300 ms behind.
        n = 30_000 // 20
        path = np.convolve(rng.standard_normal(n + 400), np.hanning(60), mode="same")[200 : 200 + n]
        path = 0.1 + 0.8 * (path - path.min()) / (path.max() - path.min())

        def y_of(box, pos):
            return box["y"] + (1 - pos) * box["height"]

        xa, xb = ta["x"] + ta["width"] / 2, tb["x"] + tb["width"] / 2
        grid_s = np.arange(n) * 0.02

        def at(t_s: float) -> float:
            return float(np.interp(t_s, grid_s, path))

        # Positions follow the clock, not the loop count, so a slow loop does not change B's delay.
        t0 = time.monotonic()
        kind = "touchStart"
        while (t := time.monotonic() - t0) < 29.0:
            points = [
                {"x": xa, "y": y_of(ta, at(t)), "id": 0},
                {"x": xb, "y": y_of(tb, at(t - 0.3)), "id": 1},
            ]
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})
            kind = "touchMove"
            time.sleep(0.01)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        res = wait_result(app, "A leads, B follows")
        assert abs(res["lag_ms"] - 300.0) <= 40.0 and res["p"] < 0.05, res
        assert not app.page_errors and not blocked
    finally:
        context.close()


def test_a_tiny_window_says_so_instead_of_starting(browser, app_server):
    context = browser.new_context(viewport={"width": 250, "height": 240})
    context.route(OFF_MACHINE, lambda route: route.abort())
    page = context.new_page()
    app = AppPage(page=page, server=app_server, label="tiny")
    try:
        open_game(app)
        page.locator(f"{CAPTURE} .ee-capture-start").click()
        wait_until(lambda: "too small to play" in status(app), timeout_s=10, what="the too-small message")
        assert page.evaluate("() => document.querySelector('.ee-capture-stop').disabled")
    finally:
        context.close()
