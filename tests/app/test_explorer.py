"""Tests for the session explorer (notebook 07): callbacks called directly, chart data checked exactly.

Every test builds the app with ``background=False`` (work runs in the calling thread) unless it tests the
background workers themselves. Numbers shown are compared with direct calls of the synchrony functions.
"""

from __future__ import annotations

import base64
import datetime
import doctest
import html
import io
import re
import statistics
import time

import numpy as np
import pandas as pd
import pytest

from empathy_explorer import recordings, synchrony
from empathy_explorer.app import explorer as ex
from empathy_explorer.app.charts import MAX_ROWS
from empathy_explorer.app.explorer import (
    GENERIC_ERROR,
    SessionExplorer,
    compute_view,
    controls,
    page,
    state,
    uploads,
)
from empathy_explorer.errors import InputError
from empathy_explorer.sessions import load_session
from empathy_explorer.sessions.session import Segment, Session
from empathy_explorer.synchrony.registry import PHASE_BAND_HZ
from tests.support.paths import TEST_DATA

_SHARED: dict[str, SessionExplorer] = {}


def _fresh(session_id="warm-rapport", *, n_surrogates=40, new=False):
    """An app showing ``session_id`` with the default settings.

    Building the figure is the slow part (Altair validates the chart), so apps are reused between tests
    and put back to the defaults; ``new=True`` builds a separate one (tests that add observers).
    """
    if new or session_id not in _SHARED:
        app = SessionExplorer(session_id, background=False, n_surrogates=n_surrogates)
        if not new:
            _SHARED[session_id] = app
        return app
    app = _SHARED[session_id]
    with app._muted():
        app.session_picker.value = session_id
        app.method_picker.value = "wcc"
        app.window_slider.value, app.step_slider.value, app.lag_slider.value = 30.0, 5.0, 5.0
        app.surrogate_picker.value = "circular_shift"
        app._load(session_id)
        app.kind_picker.value = "eda"
    app.show_method(app.method_picker.value)
    app.n_surrogates = n_surrogates
    app.surrogate_result = None
    app.test_result.value = app.csv_link.value = ""
    app.show_message("")
    app._new_generation()
    app._refresh(app._snapshot())
    assert app.message.value == "" and app.view is not None
    return app


@pytest.fixture
def app():
    return _fresh()


def _set(app, widget, value):
    """Change a widget as the browser would, without its observer, so the test calls the callback itself."""
    with app._muted():
        widget.value = value


def _expected_wcc(session, kind, window_s, step_s, max_lag_s):
    x, y = session.pair(kind)
    return synchrony.windowed_xcorr(x, y, session.fs, window_s=window_s, step_s=step_s, max_lag_s=max_lag_s)


def _column_mean_loop(r):
    """Plain-loop reference for the lag profile: mean of the finite r at each lag."""
    out = []
    for j in range(r.shape[1]):
        col = [v for v in r[:, j] if np.isfinite(v)]
        out.append(sum(col) / len(col) if col else np.nan)
    return np.array(out)


def _short_session(duration_s=60.0, fs=4.0, seed=0):
    rng = np.random.default_rng(seed)
    n = int(duration_s * fs)
    x = np.cumsum(rng.normal(size=n)) * 0.05 + 5
    y = np.roll(x, 4) + rng.normal(scale=0.02, size=n)
    return Session(
        id="short-test",
        title="Short test recording",
        description="",
        fs=fs,
        signals={"eda": (x, y)},
        segments=(Segment(0.0, duration_s / 2, "neutral"),),
    )


def _decode_links(html_text):
    """The files behind the data: download links, by file name."""
    out = {}
    for name, b64 in re.findall(r'download="([^"]+)" href="data:text/csv;base64,([^"]+)"', html_text):
        out[name] = pd.read_csv(io.BytesIO(base64.b64decode(b64)))
    return out


# --------------------------------------------------------------------------------------------------
# Slider steps: exact numbers, in place
# --------------------------------------------------------------------------------------------------


def test_slider_step_updates_the_chart_data_in_place_to_exactly_the_direct_result():
    app = _fresh()
    chart_widget, chart_before, version = (
        app.panel.chart_widget,
        app.panel.chart,
        app.panel.chart_widget._ee_version,
    )
    _set(app, app.window_slider, 60.0)
    _set(app, app.lag_slider, 8.0)
    app.on_param_change()
    assert app.message.value == ""
    # in place: same chart widget and chart spec, only the data version moved
    assert app.panel.chart_widget is chart_widget and app.panel.chart is chart_before
    assert app.panel.chart_widget._ee_version > version
    wcc = _expected_wcc(app.session, "eda", 60.0, 5.0, 8.0)
    sync = app.panel.datasets["sync"]
    np.testing.assert_allclose(sync["t_min"], np.asarray(wcc.times_s) / 60.0)
    np.testing.assert_allclose(sync["value"], wcc.peak_r, equal_nan=True)
    lag = app.panel.datasets["lag"]
    np.testing.assert_allclose(lag["lag_s"], wcc.lags_s)
    np.testing.assert_allclose(lag["r"], _column_mean_loop(np.asarray(wcc.r)), rtol=1e-12, equal_nan=True)
    assert lag["lag_s"].min() == -8.0 and lag["lag_s"].max() == 8.0
    # the same numbers the view (and CSV) hold, and the summary shows the headline
    view = compute_view(*app.session.pair("eda"), app.session.fs, "wcc", window_s=60, step_s=5, max_lag_s=8)
    np.testing.assert_array_equal(app.view.values, view.values)
    assert f"{wcc.mean_peak_r:.2f}" in app.summary.value
    # what the browser receives is the same rows
    sent = app.panel.chart_widget._ee_data["sync"]
    assert len(sent) == len(sync) and sent[3]["value"] == pytest.approx(wcc.peak_r[3])


def test_slider_step_via_the_widget_observer_also_updates(app):
    before = app.panel.datasets["sync"].copy()
    app.step_slider.value = 10.0  # the observer runs on_param_change
    after = app.panel.datasets["sync"]
    assert len(after) < len(before)
    wcc = _expected_wcc(
        app.session, app.kind_picker.value, app.window_slider.value, 10.0, app.lag_slider.value
    )
    np.testing.assert_allclose(after["value"], wcc.peak_r, equal_nan=True)
    app.step_slider.value = 5.0


def test_ground_truth_lag_is_where_the_lag_profile_peaks(app):
    """The simulator put the clinician 2 s behind the patient in 'warm-rapport'."""
    lag = app.panel.datasets["lag"]
    assert lag["lag_s"][lag["r"].idxmax()] == pytest.approx(app.session.ground_truth.lag_s, abs=0.5)


# --------------------------------------------------------------------------------------------------
# Replacing the chart: session, signal, method
# --------------------------------------------------------------------------------------------------


def test_another_session_replaces_title_and_data():
    app = _fresh()
    title_before = app.panel.chart.to_dict()["vconcat"][0]["title"]["text"]
    signals_before = app.panel.datasets["signals"].copy()
    widget_before = app.widget.children
    _set(app, app.session_picker, "clinician-leads")
    app.on_session_change()
    title = app.panel.chart.to_dict()["vconcat"][0]["title"]["text"]
    assert title != title_before and "Clinician leads" in title
    assert not app.panel.datasets["signals"]["patient"].equals(signals_before["patient"])
    # the page itself was not rebuilt: same children, same chart widget
    assert app.widget.children == widget_before
    wcc = _expected_wcc(load_session("clinician-leads"), "eda", 30.0, 5.0, 5.0)
    np.testing.assert_allclose(app.panel.datasets["sync"]["value"], wcc.peak_r, equal_nan=True)
    # the clinician leads by 3 s: the lag profile peaks at a negative lag
    lag = app.panel.datasets["lag"]
    assert lag["lag_s"][lag["r"].idxmax()] == pytest.approx(-3.0, abs=0.5)


def test_signal_switch_shows_heart_rate_with_its_unit(app):
    _set(app, app.kind_picker, "hr")
    app.on_kind_change()
    spec = app.panel.chart.to_dict()
    assert spec["vconcat"][0]["title"]["text"].startswith("Heart rate")
    assert "bpm" in str(spec["vconcat"][0])
    x, y = app.session.pair("hr")
    shown = app.panel.datasets["signals"]
    assert shown["patient"].max() == pytest.approx(x.max())
    assert shown["clinician"].min() == pytest.approx(y.min())  # the envelope keeps the peaks
    wcc = synchrony.windowed_xcorr(x, y, app.session.fs, window_s=30, step_s=5, max_lag_s=5)
    np.testing.assert_allclose(app.panel.datasets["sync"]["value"], wcc.peak_r, equal_nan=True)
    _set(app, app.kind_picker, "eda")
    app.on_kind_change()


def _direct(method, session, kind, window_s):
    """What each method's synchrony function returns, called directly (times, values)."""
    x, y = session.pair(kind)
    if method == "rolling":
        res = synchrony.rolling_correlation(x, y, session.fs, window_s=window_s)
        return np.asarray(res.times_s), np.asarray(res.r)
    if method == "concordance":
        res = synchrony.concordance_index(x, y, session.fs, corr_window_s=window_s)
        return np.asarray(res.times_s), np.asarray(res.r)
    if method == "phase":
        res = synchrony.phase_synchrony(x, y, session.fs, band=PHASE_BAND_HZ)
        dphi = np.asarray(res.phase_diff)
        w = round(window_s * session.fs)
        v = np.full(dphi.size, np.nan)
        for i in range(dphi.size - w + 1):  # plain loop reference for the moving phase-locking value
            v[i + w // 2] = abs(np.exp(1j * dphi[i : i + w]).mean())
        return np.asarray(res.times_s), v
    if method == "wcc":
        res = synchrony.windowed_xcorr(x, y, session.fs, window_s=window_s, step_s=5, max_lag_s=5)
        return np.asarray(res.times_s), np.asarray(res.peak_r)
    # a method added later: what its registry entry says (its own test checks it against a reference)
    spec = ex.METHODS[method]
    settings = {"window_s": window_s, "step_s": 5.0, "max_lag_s": 5.0}
    times, values = list(spec.series(spec.compute(x, y, session.fs, **settings), settings).values())[:2]
    return np.asarray(times), np.asarray(values)


@pytest.mark.parametrize("method", list(ex.METHODS))
def test_each_method_shows_what_its_function_returns(method):
    app = _fresh()
    _set(app, app.method_picker, method)
    app.on_method_change()
    assert app.message.value == ""
    window = ex.METHODS[method].default("window_s")
    assert app.window_slider.value == window
    assert ex.METHODS[method].display_name in str(app.panel.chart.to_dict()["vconcat"][1]["title"])
    t, v = _direct(method, app.session, "eda", window)
    np.testing.assert_allclose(app.view.times_s, t)
    np.testing.assert_allclose(app.view.values, v, equal_nan=True)
    shown = app.panel.datasets["sync"]
    assert len(shown) <= ex.DISPLAY_POINTS
    if len(t) <= ex.DISPLAY_POINTS:
        np.testing.assert_allclose(shown["value"], v, equal_nan=True)
    # the headline number equals the surrogate test's statistic
    stat = ex.headline_statistic(method, app.session.fs, window_s=window, step_s=5.0, max_lag_s=5.0)
    assert app.view.headline[1] == pytest.approx(stat(*app.session.pair("eda")), nan_ok=True)
    # and a slider step then updates in place
    chart = app.panel.chart
    _set(app, app.window_slider, window + 10)
    app.on_param_change()
    assert app.panel.chart is chart
    _, v2 = _direct(method, app.session, "eda", window + 10)
    np.testing.assert_allclose(app.view.values, v2, equal_nan=True)


@pytest.mark.parametrize("method", list(ex.METHODS))
def test_takeaway_note_and_titles_read_the_method_registry(method):
    app = _fresh()
    _set(app, app.method_picker, method)
    app.on_method_change()
    spec = ex.METHODS[method]
    name, value = app.view.headline
    assert name == spec.headline_name
    sentence = f"{name[0].upper() + name[1:]} = {value:.2f} ({spec.reading(value)})."
    assert html.escape(sentence, quote=True) in app.takeaway.value
    middle = app.panel.chart.to_dict()["vconcat"][1]
    assert middle["title"]["subtitle"] == spec.value_note
    assert len(middle["layer"]) == (3 if spec.value_range[0] < 0 else 2)  # a zero line for signed values
    unused = [s.description for n, s in app.sliders.controls.items() if n not in spec.sliders]
    assert html.escape(spec.description) in app.slider_note.value
    assert all(u in app.slider_note.value for u in unused)
    assert [s.style.handle_color for s in app.sliders.controls.values()] == [
        "#0072B2" if n in spec.sliders else "#6E6E6E" for n in app.sliders.controls
    ]


def test_each_headline_reads_in_plain_words():
    assert ex.METHODS["wcc"].reading(0.1) == "weak" and ex.METHODS["rolling"].reading(-0.6) == "strong"
    assert ex.METHODS["wcc"].reading(0.3) == "moderate"
    assert ex.METHODS["concordance"].reading(0.4) == "more positive than negative slope correlations"
    assert ex.METHODS["concordance"].reading(-0.4) == "not mostly positive slope correlations"
    assert "fixed" in ex.METHODS["phase"].reading(0.7)


def test_docstring_examples_run():
    results = [
        doctest.testmod(m, optionflags=doctest.NORMALIZE_WHITESPACE) for m in (state, controls, uploads)
    ]
    assert sum(r.failed for r in results) == 0 and sum(r.attempted for r in results) >= 4


def test_unavailable_method_is_a_plain_error():
    with pytest.raises(InputError, match="Unknown method"):
        compute_view(np.ones(10), np.ones(10), 1.0, "magic", window_s=5, step_s=1, max_lag_s=1)


# --------------------------------------------------------------------------------------------------
# Display limits and labels
# --------------------------------------------------------------------------------------------------


def test_fifty_minute_session_stays_below_the_row_limit_for_every_method():
    app = _fresh("full-session-50min")
    for method in ex.METHODS:
        _set(app, app.method_picker, method)
        app.on_method_change()
        _set(app, app.window_slider, 5.0)
        _set(app, app.step_slider, 1.0)
        app.on_param_change()
        assert app.message.value == ""
        for name, frame in app.panel.datasets.items():
            assert len(frame) <= MAX_ROWS, (method, name, len(frame))
        # statistics use every sample: the signals drawn are thinned, the view is not
        assert len(app.panel.datasets["signals"]) <= ex.DISPLAY_POINTS < app.session.n_samples
        assert len(app.view.values) == len(app.view.table)
    x, _ = app.session.pair("eda")
    assert len(x) == 3000 * 8  # full-rate data behind the statistics


def test_simulated_sessions_are_labelled_simulated(app):
    assert "SIMULATED DATA" in app.banner.value
    assert "simulated" in app.panel.chart.to_dict()["vconcat"][0]["title"]["text"].lower()
    assert "simulated" in app.summary.value.lower()


def test_a_real_recording_is_not_called_simulated():
    app = _fresh()
    app.add_session(_short_session(120.0), "Your upload: short.csv")
    assert "SIMULATED" not in app.banner.value and "Your recording" in app.banner.value
    assert "simulated" not in app.panel.chart.to_dict()["vconcat"][0]["title"]["text"].lower()


# --------------------------------------------------------------------------------------------------
# Mistakes: friendly messages, app still usable
# --------------------------------------------------------------------------------------------------


def test_window_longer_than_the_recording_shows_a_message_not_an_exception():
    app = _fresh()
    app.add_session(_short_session(60.0))
    assert app.message.value == "" and app.view is not None
    _set(app, app.window_slider, 120.0)
    app.on_param_change()  # must not raise
    assert "ee-error" in app.message.value
    assert "Traceback" not in app.message.value
    assert re.search(r"recording|window|long", app.message.value, re.IGNORECASE)
    assert app.view is None
    assert app.panel.datasets["sync"]["value"].isna().all()  # no stale numbers next to the message
    # move the slider back: the message goes and the numbers return
    _set(app, app.window_slider, 20.0)
    app.on_param_change()
    assert app.message.value == ""
    wcc = _expected_wcc(app.session, "eda", 20.0, 5.0, 5.0)
    np.testing.assert_allclose(app.panel.datasets["sync"]["value"], wcc.peak_r, equal_nan=True)


def test_new_short_session_with_a_too_long_window_still_shows_its_signals():
    app = _fresh()
    _set(app, app.window_slider, 120.0)
    app.on_param_change()
    app.add_session(_short_session(60.0))
    assert "ee-error" in app.message.value
    title = app.panel.chart.to_dict()["vconcat"][0]["title"]["text"]
    assert "Short test recording" in title  # the chart switched to the new session anyway
    assert len(app.panel.datasets["signals"]) == 240


def test_an_unexpected_failure_shows_the_generic_message_and_the_app_recovers(monkeypatch):
    app = _fresh()

    def boom(*args, **kwargs):
        raise RuntimeError("internal detail /home/secret/path")

    monkeypatch.setattr(state, "compute_view", boom)
    _set(app, app.window_slider, 40.0)
    app.on_param_change()
    assert GENERIC_ERROR[:40] in app.message.value
    assert "secret" not in app.message.value and "RuntimeError" not in app.message.value
    monkeypatch.undo()
    _set(app, app.window_slider, 45.0)
    app.on_param_change()
    assert app.message.value == ""
    assert app.view is not None


def test_a_failure_while_drawing_is_shown_politely_and_the_next_step_redraws(monkeypatch):
    app = _fresh()
    real = app.panel.update_data

    def broken(*args, **kwargs):
        raise ValueError("internal: the chart has no dataset named ['x']")

    monkeypatch.setattr(app.panel, "update_data", broken)
    _set(app, app.window_slider, 40.0)
    app.on_param_change()  # must not raise
    assert GENERIC_ERROR[:40] in app.message.value and "internal" not in app.message.value
    monkeypatch.setattr(app.panel, "update_data", real)
    chart = app.panel.chart
    _set(app, app.window_slider, 45.0)
    app.on_param_change()
    assert app.message.value == ""
    assert app.panel.chart is not chart  # redrawn from scratch after the failure
    wcc = _expected_wcc(app.session, "eda", 45.0, 5.0, 5.0)
    np.testing.assert_allclose(app.panel.datasets["sync"]["value"], wcc.peak_r, equal_nan=True)


def test_stale_results_are_thrown_away():
    """A computation whose settings are out of date must not draw or show its error."""
    app = _fresh()
    old = app._snapshot()
    _set(app, app.window_slider, 50.0)
    app.on_param_change()
    current = app.panel.datasets["sync"].copy()
    app._refresh(old)  # finishes late
    pd.testing.assert_frame_equal(app.panel.datasets["sync"], current)


# --------------------------------------------------------------------------------------------------
# Uploads
# --------------------------------------------------------------------------------------------------


def _upload(app, content: bytes, name: str):
    item = {
        "name": name,
        "type": "text/csv",
        "size": len(content),
        "content": memoryview(content),
        "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    }
    with app._muted():
        app.upload.value = (item,)
    app.on_upload()


def _good_csv_bytes(duration_s=300.0, fs=4.0):
    s = _short_session(duration_s, fs, seed=3)
    return s.to_frame().to_csv(index=False).encode(), s


def test_good_csv_upload_shows_its_result():
    app = _fresh()
    content, original = _good_csv_bytes()
    _upload(app, content, "my_session.csv")
    assert "ee-error" not in app.message.value, app.message.value
    assert app.session_picker.value.startswith("upload:")
    assert "my_session.csv" in dict((v, k) for k, v in app.session_picker.options)[app.session_picker.value]
    assert not app.session.simulated
    x, y = app.session.pair("eda")
    np.testing.assert_allclose(x, original.pair("eda")[0], rtol=1e-6)
    wcc = synchrony.windowed_xcorr(x, y, app.session.fs, window_s=30, step_s=5, max_lag_s=5)
    np.testing.assert_allclose(app.panel.datasets["sync"]["value"], wcc.peak_r, equal_nan=True)
    assert app.upload.value == ()  # the bytes are not kept in the widget


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02 not a csv \xff", b"time_s,eda_patient\n0,1\n1,2\n", b"a,b,c\nx,y,z\n"],
    ids=["empty", "binary", "one-person", "text"],
)
def test_malformed_upload_shows_a_friendly_message_and_the_app_still_works(content):
    app = _fresh()
    before = app.session_picker.value
    _upload(app, content, "bad.csv")
    assert "ee-error" in app.message.value
    assert "Traceback" not in app.message.value and GENERIC_ERROR[:40] not in app.message.value
    assert app.session_picker.value == before
    _set(app, app.window_slider, 40.0)
    app.on_param_change()
    assert "ee-error" not in app.message.value
    wcc = _expected_wcc(app.session, "eda", 40.0, 5.0, 5.0)
    np.testing.assert_allclose(app.panel.datasets["sync"]["value"], wcc.peak_r, equal_nan=True)


def test_uploads_kept_in_memory_are_bounded():
    app = _fresh(new=True)
    keys = [app.add_session(_short_session(120.0, seed=i), f"Your upload: {i}.csv") for i in range(7)]
    uploads = [v for _, v in app.session_picker.options if v.startswith("upload:")]
    assert uploads == keys[-page.MAX_UPLOADS :]
    assert set(app._uploads) == set(uploads)
    assert app.session_picker.value == keys[-1] and app.session is app._uploads[keys[-1]]
    n_examples = len(app._catalogue)
    assert len(app.session_picker.options) == n_examples + page.MAX_UPLOADS


def test_too_large_upload_is_refused_before_it_is_read(monkeypatch):
    app = _fresh()
    calls = []
    monkeypatch.setattr(recordings, "load_recording", lambda *a, **k: calls.append(a))
    content = b"x" * (int(recordings.MAX_FILE_BYTES) + 1)
    _upload(app, content, "huge.csv")
    assert "ee-error" in app.message.value and "MB" in app.message.value
    assert calls == []
    assert not app.session_picker.value.startswith("upload:")


# --------------------------------------------------------------------------------------------------
# Surrogate test: result, progress, cancellation
# --------------------------------------------------------------------------------------------------


def test_surrogate_test_result_and_progress():
    app = _fresh(n_surrogates=40, new=True)
    seen = []
    app.progress.observe(lambda ch: seen.append(ch["new"]), names="value")
    app.on_run_test()
    res = app.surrogate_result
    assert res is not None
    stat = ex.headline_statistic("wcc", app.session.fs, window_s=30.0, step_s=5.0, max_lag_s=5.0)
    x, y = app.session.pair("eda")
    direct = synchrony.surrogate_test(
        x, y, app.session.fs, stat, method="circular_shift", n_surrogates=40, seed=0
    )
    assert res.observed == pytest.approx(direct.observed)
    assert res.p_value == pytest.approx(direct.p_value)
    np.testing.assert_allclose(np.sort(res.null), np.sort(direct.null))
    assert f"{res.p_value:.3f}" in app.test_result.value
    assert len(seen) >= 3 and seen == sorted(seen) and max(seen) == 40
    assert not app.test_button.disabled and app.progress.layout.visibility == "hidden"
    # strong true coupling in warm-rapport: clearly above the surrogates
    assert res.p_value < 0.05


def test_surrogate_test_is_cancelled_when_settings_change():
    app = _fresh(n_surrogates=100, new=True)
    moved = []

    def move_slider(change):
        if not moved and change["new"] > 0:
            moved.append(change["new"])
            app.window_slider.value = 40.0  # the user moves a slider mid-test

    app.progress.observe(move_slider, names="value")
    app.on_run_test()
    assert moved
    assert app.surrogate_result is None
    assert "stopped" in app.test_result.value
    assert app.progress.value < 100
    assert not app.test_button.disabled
    assert app.message.value == "" and app.view is not None  # the slider's own work went through


def _fake_surrogate_test(x, y, fs, statistic, *, method="circular_shift", n_surrogates=500, seed=0,
                         progress=None, chunk=None):  # fmt: skip
    """A contract-shaped stand-in (circular shifts), for the wiring tests that must run before it lands."""
    from types import SimpleNamespace

    rng = np.random.default_rng(seed)
    chunk = chunk or n_surrogates
    null = []
    for start in range(0, n_surrogates, chunk):
        for _ in range(min(chunk, n_surrogates - start)):
            null.append(statistic(x, np.roll(y, int(rng.integers(len(y) // 4, 3 * len(y) // 4)))))
        if progress is not None:
            progress(len(null), n_surrogates)
    null = np.array(null)
    obs = statistic(x, y)
    p = (1 + np.sum(null >= obs)) / (1 + len(null))
    return SimpleNamespace(
        observed=obs, null=null, p_value=p, effect_size=(obs - null.mean()) / null.std(ddof=1)
    )


def test_surrogate_wiring_progress_and_cancel_with_a_contract_stand_in(monkeypatch):
    monkeypatch.setattr(synchrony, "surrogate_test", _fake_surrogate_test, raising=False)
    app = _fresh(n_surrogates=20, new=True)
    seen = []
    app.progress.observe(lambda ch: seen.append(ch["new"]), names="value")
    app.on_run_test()
    assert app.surrogate_result is not None and seen[-1] == 20 and len(seen) >= 3
    assert "p = " in app.test_result.value
    # a method change mid-test cancels it
    app2 = _fresh(n_surrogates=20, new=True)
    app2.progress.observe(
        lambda ch: ch["new"] and app2.method_picker.value == "wcc" and _change_method(app2), names="value"
    )
    app2.on_run_test()
    assert app2.surrogate_result is None and "stopped" in app2.test_result.value


def _change_method(app):
    other = [m for m in ex.METHODS if m != "wcc"]
    if other:
        app.method_picker.value = other[0]
    else:
        app.lag_slider.value = 6.0


def test_surrogate_error_is_shown_not_raised(monkeypatch):
    def bad(*a, **k):
        raise InputError("Too few samples for 40 surrogates.")

    monkeypatch.setattr(synchrony, "surrogate_test", bad, raising=False)
    app = _fresh(n_surrogates=40)
    app.on_run_test()
    assert "Too few samples" in app.test_result.value
    assert not app.test_button.disabled


def test_pseudo_pairs_compare_a_cohort_dyad_with_the_other_dyads():
    app = _fresh("cohort-03")
    assert app.pseudo_button.layout.display is None  # shown for cohort dyads
    _set(app, app.lag_slider, 2.0)
    app.on_param_change()
    app.on_run_pseudo_pairs()
    res = app.pseudo_result
    assert res is not None, app.test_result.value
    ids = [f"cohort-{i:02d}" for i in range(1, 21)]
    stat = ex.headline_statistic("wcc", 4.0, window_s=30.0, step_s=5.0, max_lag_s=2.0)
    x3, y3 = load_session("cohort-03").pair("eda")
    assert res.dyad_values[2] == pytest.approx(stat(x3, y3))
    x5, _ = load_session("cohort-05").pair("eda")
    assert res.pair_values[4, 2] == pytest.approx(stat(x5, y3))  # patient 5 with clinician 3
    direct = synchrony.pseudo_pairs([load_session(i) for i in ids], stat, kind="eda", seed=0)
    assert res.p_value == pytest.approx(direct.p_value) and res.observed == pytest.approx(direct.observed)
    text = app.test_result.value
    assert f"{res.dyad_values[2]:.3f}" in text and "38 pseudo-pairs" in text and f"{res.p_value:.3f}" in text
    assert not app.pseudo_button.disabled


def test_pseudo_pairs_are_offered_only_for_the_cohort(app):
    assert app.pseudo_button.layout.display == "none"
    app.on_run_pseudo_pairs()  # called anyway: a plain message, no exception
    assert "cohort" in app.test_result.value and "ee-error" in app.test_result.value
    assert app.pseudo_result is None


# --------------------------------------------------------------------------------------------------
# Background workers: latest only
# --------------------------------------------------------------------------------------------------


def test_fast_slider_drag_never_queues_stale_work(monkeypatch):
    app = SessionExplorer("full-session-50min", background=True)
    calls = []
    real = state.compute_view

    def counting(*args, **kwargs):
        calls.append(kwargs["window_s"])
        time.sleep(0.02)
        return real(*args, **kwargs)

    monkeypatch.setattr(state, "compute_view", counting)
    values = [float(v) for v in range(10, 125, 5)]
    for v in values:  # a drag: one change every ~1 ms
        app.window_slider.value = v
        time.sleep(0.001)
    assert app.wait(30)
    assert len(calls) < len(values) / 2, calls  # most intermediate positions were skipped
    assert calls[-1] == values[-1]
    wcc = _expected_wcc(app.session, "eda", values[-1], 5.0, 5.0)
    np.testing.assert_allclose(app.panel.datasets["sync"]["value"], wcc.peak_r, equal_nan=True)


def test_background_surrogate_test_is_stopped_by_a_slider_move_and_the_slider_still_answers():
    app = SessionExplorer("warm-rapport", background=True, n_surrogates=1000)
    app.on_run_test()
    assert app.test_button.disabled and app.progress.layout.visibility == "visible"
    app.window_slider.value = 40.0  # the user keeps working while the test runs
    assert app.wait(60)
    assert app.surrogate_result is None and "stopped" in app.test_result.value
    assert app.progress.value < 1000 and not app.test_button.disabled
    wcc = _expected_wcc(app.session, "eda", 40.0, 5.0, 5.0)
    np.testing.assert_allclose(app.panel.datasets["sync"]["value"], wcc.peak_r, equal_nan=True)


def test_session_change_is_not_swallowed_by_a_following_slider_move():
    """Latest-only must still replace the chart when a session change was pending."""
    app = SessionExplorer("warm-rapport", background=True)
    app.session_picker.value = "clinician-leads"
    app.window_slider.value = 40.0  # may replace the pending session job
    assert app.wait(30)
    assert "Clinician leads" in app.panel.chart.to_dict()["vconcat"][0]["title"]["text"]
    wcc = _expected_wcc(load_session("clinician-leads"), "eda", 40.0, 5.0, 5.0)
    np.testing.assert_allclose(app.panel.datasets["sync"]["value"], wcc.peak_r, equal_nan=True)


# --------------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------------


def test_csv_export_holds_the_numbers_behind_the_figure():
    app = _fresh()
    _set(app, app.window_slider, 45.0)
    app.on_param_change()
    assert app.csv_link.value == ""
    app.on_export_csv()
    files = _decode_links(app.csv_link.value)
    assert set(files) == {"synchrony-warm-rapport-eda-wcc.csv", "summary-warm-rapport-eda-wcc.csv"}
    table = files["synchrony-warm-rapport-eda-wcc.csv"]
    wcc = _expected_wcc(app.session, "eda", 45.0, 5.0, 5.0)
    np.testing.assert_allclose(table["time_s"], wcc.times_s)
    np.testing.assert_allclose(table["peak_r"], wcc.peak_r, rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(table["peak_lag_s"], wcc.peak_lag_s, equal_nan=True)
    assert (table["window_s"] == 45.0).all() and (table["session"] == "warm-rapport").all()
    summary = files["summary-warm-rapport-eda-wcc.csv"].set_index("quantity")["value"]
    assert summary["mean peak r"] == pytest.approx(wcc.mean_peak_r)
    # settings change: the old links disappear (no stale numbers can be downloaded)
    _set(app, app.window_slider, 50.0)
    app.on_param_change()
    assert app.csv_link.value == ""


def test_figure_export_buttons_ask_the_browser(monkeypatch):
    app = _fresh()
    sent = []
    monkeypatch.setattr(app.panel.chart_widget, "send", lambda msg: sent.append(msg))
    app.panel._png.click()
    app.panel._svg.click()
    assert [m["format"] for m in sent] == ["png", "svg"]
    assert sent[0]["filename"] == "synchrony-warm-rapport-eda.png"


# --------------------------------------------------------------------------------------------------
# Speed
# --------------------------------------------------------------------------------------------------


def test_slider_step_kernel_side_latency_on_a_50_minute_session():
    app = _fresh("full-session-50min")
    times = []
    for v in [35.0, 40.0, 45.0, 50.0, 55.0, 60.0, 65.0, 70.0, 75.0, 80.0, 85.0]:
        _set(app, app.window_slider, v)
        start = time.perf_counter()
        app.on_param_change()
        times.append(time.perf_counter() - start)
    assert app.message.value == ""
    median_ms = statistics.median(times) * 1000
    print(
        f"slider step (50-min session, kernel side): median {median_ms:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms"
    )
    assert median_ms < 100


def test_upload_accepts_a_zip_of_two_wearable_files():
    """The one upload button takes one-file-per-person exports as a ZIP (here an Empatica E4 EDA pair)."""
    app = _fresh()
    assert ".zip" in app.upload.accept.split(",")
    content = (TEST_DATA / "recordings" / "e4_pair.zip").read_bytes()
    _upload(app, content, "e4_pair.zip")
    assert "ee-error" not in app.message.value, app.message.value
    assert app.session_picker.value.startswith("upload:")
    expected = recordings.load_recording(content, name="e4_pair.zip")
    np.testing.assert_allclose(app.session.pair("eda")[0], expected.pair("eda")[0])
    assert "ee-error" not in app.message.value


def _upload_many(app, files: dict[str, bytes]):
    items = tuple(
        {"name": n, "type": "text/csv", "size": len(c), "content": memoryview(c),
         "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)}
        for n, c in files.items()
    )  # fmt: skip
    with app._muted():
        app.upload.value = items
    app.on_upload()


REAL_E4 = TEST_DATA / "real" / "e4_flirt"
PYTHON_CODE = re.compile(r"load_recording|\w+_column=|kind=|fs=|\(\{|patient=")


def test_two_files_chosen_together_load_as_a_pair_when_their_names_say_who_is_who():
    app = _fresh()
    eda = (REAL_E4 / "EDA.csv").read_bytes()
    _upload_many(app, {"therapist_EDA.csv": eda, "patient_EDA.csv": eda})
    assert "ee-error" not in app.message.value, app.message.value
    assert app.session_picker.value.startswith("upload:") and app.session.kinds == ("eda",)
    assert app.who_box.layout.display == "none"


def test_unnamed_pair_asks_who_is_who_and_loads_the_choice():
    app = _fresh()
    before = app.session_picker.value
    eda = (REAL_E4 / "EDA.csv").read_bytes()
    hr_named = (TEST_DATA / "real" / "derived" / "msr2023_EDA_start_moved.csv").read_bytes()
    _upload_many(app, {"A17_EDA.csv": eda, "B42_EDA.csv": hr_named})
    assert "ee-error" in app.message.value and "Choose which one is the patient" in app.message.value
    assert not PYTHON_CODE.search(app.message.value), app.message.value
    assert app.who_box.layout.display is None and list(app.who_picker.options) == [
        "A17_EDA.csv",
        "B42_EDA.csv",
    ]
    assert app.session_picker.value == before
    app.who_picker.value = "B42_EDA.csv"
    app.on_who_choice()
    assert "ee-note" in app.message.value and "chosen by you" in app.message.value, app.message.value
    assert app.who_box.layout.display == "none"
    expected = recordings.load_recording({"patient": hr_named, "clinician": eda})
    np.testing.assert_allclose(app.session.pair("eda")[0], expected.pair("eda")[0])


def test_wrong_e4_member_message_in_the_app_names_it_without_python():
    app = _fresh()
    temp = (REAL_E4 / "TEMP.csv").read_bytes()
    _upload_many(app, {"patient_EDA.csv": temp, "clinician_EDA.csv": (REAL_E4 / "EDA.csv").read_bytes()})
    assert "skin-temperature file (TEMP.csv" in app.message.value
    assert not PYTHON_CODE.search(app.message.value), app.message.value
