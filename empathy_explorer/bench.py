"""Speed of the synchrony engine against naive references: ``python -m empathy_explorer.bench``.

One run, one recording: a simulated 50-minute patient–clinician session (skin conductance, 32 Hz, from
:func:`empathy_explorer.sessions.simulate.simulate_dyad`; simulated data, not a real recording), with
the default settings window 30 s, step 5 s, lags ±5 s. Each method is timed as the median of several repeats,
interleaved with its reference so that a busy machine slows both alike, and checked against the
reference's numbers:

============================  ==========================================  ==============================
method                        reference                                   target
============================  ==========================================  ==============================
``windowed_xcorr``            per-window, per-lag ``np.corrcoef`` loop    ≥ 100× faster and < 100 ms
``rolling_correlation``       pandas ``rolling().corr()`` (NeuroKit2)     at least as fast (ratio ≥ 1)
``concordance_index``         plain loop (1-s means, polyfit, corrcoef)   < 20 ms
``phase_synchrony``           (none)                                      time only
============================  ==========================================  ==============================

The naive cross-correlation loop takes seconds, so it is timed on a subset of windows and scaled to all
windows (the output says so). The exit status is 1 when a target is missed. The methods come from the
registry (:mod:`empathy_explorer.synchrony.registry`); one without a reference in :data:`REFERENCES` is
timed only.
"""

from __future__ import annotations

import argparse
import gc
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from empathy_explorer.sessions.simulate import simulate_dyad
from empathy_explorer.synchrony.registry import METHODS, Method

__all__ = [
    "BenchRow",
    "main",
    "make_recording",
    "naive_concordance_r",
    "naive_xcorr",
    "pandas_rolling_r",
    "run_bench",
]

WINDOW_S = 30.0
STEP_S = 5.0
MAX_LAG_S = 5.0
#: The default slider settings (those of windowed_xcorr), as the registry names them.
SETTINGS = {"window_s": WINDOW_S, "step_s": STEP_S, "max_lag_s": MAX_LAG_S}
#: Marci's correlation window (the reference loop's 15 one-second slopes).
CONCORDANCE_WINDOW_S = 15.0


@dataclass(frozen=True)
class _Options:
    repeats: int
    naive_repeats: int
    naive_windows: int


def _name(method: Method) -> str:
    """A row's name: the engine function's."""
    return method.function.__name__


@dataclass(frozen=True)
class BenchRow:
    """One line of the benchmark table."""

    method: str
    ours_s: float
    reference: str
    reference_s: float
    max_abs_diff: float
    target: str
    passed: bool | None  # None: no target
    note: str = ""

    @property
    def ratio(self) -> float:
        """How many times faster than the reference (NaN without one)."""
        return self.reference_s / self.ours_s if self.reference_s > 0 and self.ours_s > 0 else math.nan


def make_recording(
    duration_s: float = 3000.0, fs: float = 32.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A simulated patient–clinician skin-conductance pair (clinician following 2 s later)."""
    session = simulate_dyad(duration_s=duration_s, fs=fs, coupling=0.7, lag_s=2.0, seed=seed)
    x, y = session.pair("eda")
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def naive_xcorr(
    x: np.ndarray,
    y: np.ndarray,
    fs: float,
    *,
    window_s: float = WINDOW_S,
    step_s: float = STEP_S,
    max_lag_s: float = MAX_LAG_S,
    max_windows: int | None = None,
) -> np.ndarray:
    """The obvious implementation: ``np.corrcoef`` for every window and lag (windowed_xcorr's index rule)."""
    w, s, lag = round(window_s * fs), round(step_s * fs), round(max_lag_s * fs)
    n_win = (x.size - w - 2 * lag) // s + 1
    if max_windows is not None:
        n_win = min(n_win, max_windows)
    out = np.empty((n_win, 2 * lag + 1))
    for k in range(n_win):
        a = lag + k * s
        for j, tau in enumerate(range(-lag, lag + 1)):
            out[k, j] = np.corrcoef(x[a : a + w], y[a + tau : a + tau + w])[0, 1]
    return out


def pandas_rolling_r(x: np.ndarray, y: np.ndarray, w: int) -> np.ndarray:
    """pandas ``rolling(w).corr()`` (what NeuroKit2's ``signal_synchrony`` uses), moved to our centring."""
    ended = pd.Series(x).rolling(w).corr(pd.Series(y)).to_numpy()
    out = np.full(x.size, np.nan)
    out[w // 2 : w // 2 + x.size - w + 1] = ended[w - 1 :]
    return out


def naive_concordance_r(x: np.ndarray, y: np.ndarray, fs: float, ks: int = 5, kc: int = 15) -> np.ndarray:
    """Concordance r series with plain loops: 1-s means, ``np.polyfit`` slopes, ``np.corrcoef``."""
    n_sec = math.floor(x.size / fs)
    second = np.floor(np.arange(x.size) / fs)

    def means(v: np.ndarray) -> list[float]:
        return [float(v[second == j].mean()) for j in range(n_sec)]

    def slopes(m: list[float]) -> list[float]:
        t = np.arange(ks)
        return [float(np.polyfit(t, m[j : j + ks], 1)[0]) for j in range(len(m) - ks + 1)]

    sx, sy = slopes(means(x)), slopes(means(y))
    return np.array([np.corrcoef(sx[k : k + kc], sy[k : k + kc])[0, 1] for k in range(len(sx) - kc + 1)])


def _interleaved(fns: Sequence[Callable[[], object]], repeats: Sequence[int]) -> list[float]:
    """Median wall time of each function, the runs interleaved (A, B, A, B, ...)."""
    times: list[list[float]] = [[] for _ in fns]
    for rep in range(max(repeats)):
        for i, fn in enumerate(fns):
            if rep < repeats[i]:
                gc.collect()
                t0 = time.perf_counter()
                fn()
                times[i].append(time.perf_counter() - t0)
    return [float(np.median(t)) for t in times]


def _max_diff(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape or not np.array_equal(np.isnan(a), np.isnan(b)):
        return math.inf
    both = np.isfinite(a)
    return float(np.max(np.abs(a[both] - b[both]))) if both.any() else 0.0


def _bench_wcc(method: Method, x: np.ndarray, y: np.ndarray, fs: float, opts: _Options) -> BenchRow:
    """windowed_xcorr vs the naive loop on a subset of windows, scaled up to all windows."""
    res = method.compute(x, y, fs, **SETTINGS)
    n_win = res.n_windows
    subset = min(opts.naive_windows, n_win)
    ours, naive_subset = _interleaved(
        [lambda: method.compute(x, y, fs, **SETTINGS), lambda: naive_xcorr(x, y, fs, max_windows=subset)],
        [opts.repeats, opts.naive_repeats],
    )
    naive_full = naive_subset * n_win / subset
    diff = _max_diff(res.r[:subset], naive_xcorr(x, y, fs, max_windows=subset))
    ok = naive_full / ours >= 100 and ours < 0.100
    note = f"naive timed on {subset} of {n_win} windows, scaled ×{n_win / subset:.1f}"
    return BenchRow(
        _name(method), ours, "np.corrcoef loop", naive_full, diff, "≥ 100× and < 100 ms", ok, note
    )


def _bench_rolling(method: Method, x: np.ndarray, y: np.ndarray, fs: float, opts: _Options) -> BenchRow:
    """rolling_correlation vs pandas ``rolling().corr()``."""
    w = round(WINDOW_S * fs)
    ours, pandas_s = _interleaved(
        [lambda: method.compute(x, y, fs, **SETTINGS), lambda: pd.Series(x).rolling(w).corr(pd.Series(y))],
        [opts.repeats, opts.repeats],
    )
    diff = _max_diff(method.compute(x, y, fs, **SETTINGS).r, pandas_rolling_r(x, y, w))
    note = f"window {WINDOW_S:g} s = {w} samples"
    return BenchRow(
        _name(method),
        ours,
        "pandas rolling().corr()",
        pandas_s,
        diff,
        "ratio ≥ 1",
        pandas_s / ours >= 1.0,
        note,
    )


def _bench_concordance(method: Method, x: np.ndarray, y: np.ndarray, fs: float, opts: _Options) -> BenchRow:
    """concordance_index (Marci's 5-s slopes, 15-s windows) vs a plain loop."""
    settings = {"window_s": CONCORDANCE_WINDOW_S}
    ours, naive_s = _interleaved(
        [lambda: method.compute(x, y, fs, **settings), lambda: naive_concordance_r(x, y, fs)],
        [opts.repeats, opts.naive_repeats],
    )
    diff = _max_diff(method.compute(x, y, fs, **settings).r, naive_concordance_r(x, y, fs))
    return BenchRow(
        _name(method), ours, "plain loop", naive_s, diff, "< 20 ms", ours < 0.020, "slopes 5 s, r 15 s"
    )


def _bench_time_only(method: Method, x: np.ndarray, y: np.ndarray, fs: float, opts: _Options) -> BenchRow:
    """A method without a reference: its time only."""
    (ours,) = _interleaved([lambda: method.compute(x, y, fs, **SETTINGS)], [opts.repeats])
    fixed = ", ".join(f"{k} {v}" for k, v in method.fixed.items())
    return BenchRow(_name(method), ours, "-", math.nan, math.nan, "-", None, fixed)


#: Registry key -> how to benchmark it against a reference; any other method is timed only.
REFERENCES: dict[str, Callable[[Method, np.ndarray, np.ndarray, float, _Options], BenchRow]] = {
    "wcc": _bench_wcc,
    "rolling": _bench_rolling,
    "concordance": _bench_concordance,
}


def run_bench(
    duration_s: float = 3000.0,
    fs: float = 32.0,
    *,
    repeats: int = 9,
    naive_repeats: int = 3,
    naive_windows: int = 40,
    seed: int = 0,
) -> tuple[list[BenchRow], dict[str, float]]:
    """Time every method of the registry (and its reference, where one exists) on one simulated recording.

    Returns the table rows and facts about the run (samples, windows, windows timed for the naive loop).
    """
    x, y = make_recording(duration_s, fs, seed)
    opts = _Options(repeats, naive_repeats, naive_windows)
    rows = [REFERENCES.get(key, _bench_time_only)(m, x, y, fs, opts) for key, m in METHODS.items()]
    res = METHODS["wcc"].compute(x, y, fs, **SETTINGS)
    facts = {
        "duration_s": float(duration_s),
        "fs": float(fs),
        "samples": float(x.size),
        "windows": float(res.n_windows),
        "lags": float(res.r.shape[1]),
        "naive_windows_timed": float(min(naive_windows, res.n_windows)),
        "repeats": float(repeats),
    }
    return rows, facts


def _ms(seconds: float) -> str:
    return "-" if not math.isfinite(seconds) else f"{seconds * 1e3:,.1f} ms"


def format_table(rows: Sequence[BenchRow], facts: dict[str, float]) -> str:
    """The printed report: one line per method, then the notes."""
    header = (
        f"Synchrony engine benchmark: simulated two-person skin conductance (simulated data), "
        f"{facts['duration_s'] / 60:g} min at {facts['fs']:g} Hz = {int(facts['samples']):,} samples per "
        f"person; window {WINDOW_S:g} s, step {STEP_S:g} s, lags ±{MAX_LAG_S:g} s "
        f"({int(facts['windows'])} windows × {int(facts['lags'])} lags). Median of {int(facts['repeats'])} "
        "interleaved repeats (naive loops: fewer)."
    )
    cols = ("method", "ours", "reference", "ref. time", "ratio", "max |diff|", "target", "result")
    lines = [
        (
            r.method,
            _ms(r.ours_s),
            r.reference,
            _ms(r.reference_s),
            "-" if math.isnan(r.ratio) else f"{r.ratio:,.1f}×",
            "-" if math.isnan(r.max_abs_diff) else f"{r.max_abs_diff:.1e}",
            r.target,
            "-" if r.passed is None else ("PASS" if r.passed else "FAIL"),
        )
        for r in rows
    ]
    widths = [max(len(c), *(len(line[i]) for line in lines)) for i, c in enumerate(cols)]
    out = [header, "", "  ".join(c.ljust(wd) for c, wd in zip(cols, widths, strict=True))]
    out.append("  ".join("-" * wd for wd in widths))
    out += ["  ".join(v.ljust(wd) for v, wd in zip(line, widths, strict=True)) for line in lines]
    notes = [f"- {r.method}: {r.note}" for r in rows if r.note]
    return "\n".join([*out, "", "Notes:", *notes])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the table, return 1 when a target is missed."""
    parser = argparse.ArgumentParser(
        prog="python -m empathy_explorer.bench",
        description="Speed of the synchrony engine against naive references (simulated session).",
    )
    parser.add_argument("--minutes", type=float, default=50.0, help="recording length (default 50)")
    parser.add_argument("--fs", type=float, default=32.0, help="sampling rate, Hz (default 32)")
    parser.add_argument("--repeats", type=int, default=9, help="repeats per fast method (default 9)")
    parser.add_argument("--naive-windows", type=int, default=40, help="windows timed in the naive loop")
    args = parser.parse_args(argv)
    rows, facts = run_bench(
        args.minutes * 60.0, args.fs, repeats=max(1, args.repeats), naive_windows=max(1, args.naive_windows)
    )
    print(format_table(rows, facts))
    failed = [r.method for r in rows if r.passed is False]
    wrong = [r.method for r in rows if math.isfinite(r.reference_s) and not r.max_abs_diff <= 1e-8]
    if wrong:
        print(f"\nFAIL: results differ from the reference for {', '.join(wrong)}")
    if failed:
        print(f"\nFAIL: target missed for {', '.join(failed)}")
    if not failed and not wrong:
        print("\nAll targets met.")
    return 1 if failed or wrong else 0


if __name__ == "__main__":
    sys.exit(main())
