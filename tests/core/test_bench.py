"""The benchmark runs end to end on a short recording (so it cannot rot); timing targets not checked here."""

from __future__ import annotations

import math

import numpy as np
import pytest

from empathy_explorer import bench
from empathy_explorer.synchrony import concordance_index, rolling_correlation, windowed_xcorr
from empathy_explorer.synchrony.registry import METHODS


@pytest.fixture(scope="module")
def short_pair():
    return bench.make_recording(duration_s=240.0, fs=8.0, seed=1)


def test_naive_references_agree_with_the_engine(short_pair):
    x, y = short_pair
    fs = 8.0
    naive = bench.naive_xcorr(x, y, fs, max_windows=5)
    fast = windowed_xcorr(x, y, fs, window_s=bench.WINDOW_S, step_s=bench.STEP_S, max_lag_s=bench.MAX_LAG_S)
    assert naive.shape == (5, fast.r.shape[1])
    np.testing.assert_allclose(fast.r[:5], naive, atol=1e-9)
    w = round(bench.WINDOW_S * fs)
    np.testing.assert_allclose(
        rolling_correlation(x, y, fs, window_s=bench.WINDOW_S).r, bench.pandas_rolling_r(x, y, w), atol=1e-8
    )
    np.testing.assert_allclose(concordance_index(x, y, fs).r, bench.naive_concordance_r(x, y, fs), atol=1e-9)


def test_run_bench_gives_one_row_per_method(short_pair):
    """One row per registry method, in its order; those with a reference are checked against it."""
    rows, facts = bench.run_bench(240.0, 8.0, repeats=1, naive_repeats=1, naive_windows=3, seed=1)
    assert [r.method for r in rows] == [m.function.__name__ for m in METHODS.values()]
    assert {"windowed_xcorr", "rolling_correlation", "concordance_index", "phase_synchrony"} <= {
        r.method for r in rows
    }
    for key, row in zip(METHODS, rows, strict=True):
        assert row.ours_s > 0
        if key in bench.REFERENCES:
            assert row.reference_s > 0 and row.ratio > 0
            assert row.max_abs_diff <= 1e-8
            assert isinstance(row.passed, bool)
        else:
            assert row.passed is None and math.isnan(row.ratio)
    assert facts["samples"] == 240 * 8 and facts["naive_windows_timed"] == 3
    assert "3 of" in rows[0].note  # the naive loop's subset is stated


def test_main_prints_the_table_and_returns_an_exit_status(capsys):
    status = bench.main(["--minutes", "4", "--fs", "8", "--repeats", "1", "--naive-windows", "2"])
    out = capsys.readouterr().out
    assert status in (0, 1)
    for word in (
        "windowed_xcorr",
        "rolling_correlation",
        "concordance_index",
        "phase_synchrony",
        "simulated",
    ):
        assert word in out
    assert ("PASS" in out) or ("FAIL" in out)
    assert ("All targets met." in out) == (status == 0)


def test_a_missed_target_gives_exit_status_1(monkeypatch, capsys):
    slow = bench.BenchRow("windowed_xcorr", 1.0, "loop", 2.0, 0.0, "≥ 100×", False)
    monkeypatch.setattr(
        bench,
        "run_bench",
        lambda *a, **k: (
            [slow],
            {
                "duration_s": 60.0,
                "fs": 8.0,
                "samples": 480.0,
                "windows": 1.0,
                "lags": 1.0,
                "naive_windows_timed": 1.0,
                "repeats": 1.0,
            },
        ),
    )
    assert bench.main([]) == 1
    assert "FAIL" in capsys.readouterr().out
