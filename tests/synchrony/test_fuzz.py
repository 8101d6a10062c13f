"""Fuzzing every public function of :mod:`empathy_explorer.synchrony` with hypothesis.

Contract checked for *every* generated input (random lengths from 0 to a few hundred samples, NaN, ±inf,
huge and subnormal values, integer/bool/complex/object/2-D arrays, lists, strings, ``None``; sampling rates
and window parameters that are zero, negative, NaN, infinite, tiny or huge):

- the call ends in a result or in the package's own :class:`~empathy_explorer.errors.EmpathyExplorerError`
  (never ``IndexError``, ``ZeroDivisionError``, a bare ``ValueError``/``TypeError`` ...);
- no numpy ``RuntimeWarning`` (overflow, invalid value, mean of empty slice) escapes;
- each call finishes within ``CALL_TIMEOUT_S`` (enforced with ``SIGALRM``, so a hang fails instead of
  stalling the suite);
- correlations that come back lie in [-1, 1].

Memory is bounded separately with :mod:`tracemalloc` on representative big inputs (a 50-minute session at
32 Hz, and a 4-hour one): the peak traced allocation stays under ``MEMORY_BOUND_BYTES`` (50 MB, the
project's limit for dense intermediates, Binder has 1–2 GB per user).

Hypothesis runs derandomized (a fixed seed derived from each test) with a bounded number of examples and no
example database, so a CI run is reproducible and the file runs in a few seconds.
"""

from __future__ import annotations

import inspect
import math
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from empathy_explorer import synchrony
from empathy_explorer.synchrony.registry import METHODS as REGISTRY
from tests.support.checks import CALL_TIMEOUT_S, call_checked
from tests.support.fuzz_limits import fuzz_settings

#: Big inputs (50 min, 4 h) are about memory; the time bound only catches a hang (2 shared CPU cores).
BIG_CALL_TIMEOUT_S = 60.0
MEMORY_BOUND_BYTES = 50 * 1024**2
FUZZ = fuzz_settings(max_examples=120)


# ----------------------------------------------------------------------------------------------------
# Strategies
# ----------------------------------------------------------------------------------------------------

NASTY_FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([0.0, -0.0, 1e308, -1e308, 1e-308, 5e-324, 1e150, np.nan, np.inf, -np.inf]),
)
NICE_FLOATS = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False, width=64)


def float_arrays(max_len: int = 400, elements=None) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(
        np.float64,
        st.integers(min_value=0, max_value=max_len),
        elements=elements if elements is not None else st.one_of(NICE_FLOATS, NASTY_FLOATS),
    )


ODD_SIGNALS = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.lists(st.one_of(NICE_FLOATS, st.none(), st.text(max_size=2)), max_size=20),
    hnp.arrays(np.int64, st.integers(0, 200), elements=st.integers(-(2**62), 2**62)),
    hnp.arrays(np.bool_, st.integers(0, 200)),
    hnp.arrays(np.complex128, st.integers(0, 50)),
    hnp.arrays(np.float32, st.integers(0, 200), elements=st.floats(width=32)),
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=3, max_side=12)),
    st.just(np.array(3.0)),
    st.just(np.array(["a", "b", "c"] * 40)),
    st.just(np.array([object()] * 30, dtype=object)),
)

FS = st.one_of(
    st.sampled_from([4.0, 8.0, 32.0]),
    st.floats(min_value=0.5, max_value=256.0),
    NASTY_FLOATS,
    st.integers(-5, 1000),
    st.sampled_from([None, "32", True, [4.0]]),
)
DURATION = st.one_of(
    st.floats(min_value=0.05, max_value=60.0),
    NASTY_FLOATS,
    st.integers(-3, 100),
    st.sampled_from([None, "5", True]),
)


@st.composite
def plausible_pair(draw, max_len: int = 400):
    """Two equal-length signals that are mostly sane: the happy path, with rare nasty values."""
    n = draw(st.integers(min_value=0, max_value=max_len))
    base = draw(hnp.arrays(np.float64, n, elements=NICE_FLOATS))
    noise = draw(hnp.arrays(np.float64, n, elements=NICE_FLOATS))
    x, y = base, base * draw(st.floats(-2, 2)) + noise
    for arr in (x, y):
        if n and draw(st.booleans()) and draw(st.booleans()):
            arr[draw(st.integers(0, n - 1))] = draw(NASTY_FLOATS)
    if draw(st.booleans()):
        x = np.full(n, draw(NICE_FLOATS))  # a flat signal: zero variance
    return x, y


@st.composite
def any_pair(draw):
    choice = draw(st.integers(0, 3))
    if choice <= 1:
        return draw(plausible_pair())
    if choice == 2:
        return draw(float_arrays()), draw(float_arrays())
    return draw(st.one_of(ODD_SIGNALS, float_arrays())), draw(st.one_of(ODD_SIGNALS, float_arrays()))


def assert_correlations_bounded(values) -> None:
    arr = np.asarray(values, dtype=float)
    finite = arr[np.isfinite(arr)]
    assert np.all(np.abs(finite) <= 1.0 + 1e-9), f"correlation outside [-1, 1]: {finite[np.abs(finite) > 1]}"


def _public_functions() -> dict[str, Callable]:
    names = getattr(synchrony, "__all__", [n for n in dir(synchrony) if not n.startswith("_")])
    return {
        n: getattr(synchrony, n)
        for n in names
        if inspect.isfunction(getattr(synchrony, n, None)) or inspect.isbuiltin(getattr(synchrony, n, None))
    }


# ----------------------------------------------------------------------------------------------------
# One fuzz test per public function
# ----------------------------------------------------------------------------------------------------


@FUZZ
@given(pair=any_pair(), fs=FS, window_s=DURATION, step_s=DURATION, max_lag_s=DURATION)
def test_fuzz_windowed_xcorr(pair, fs, window_s, step_s, max_lag_s):
    x, y = pair
    result = call_checked(
        synchrony.windowed_xcorr, x, y, fs, window_s=window_s, step_s=step_s, max_lag_s=max_lag_s
    )
    if result is not None:
        assert_correlations_bounded(result.r)
        assert np.shape(result.r) == (len(result.times_s), len(result.lags_s))
        assert_correlations_bounded(result.peak_r)
        call_checked(result.to_frame)


@FUZZ
@given(pair=any_pair(), fs=FS, window_s=DURATION)
def test_fuzz_rolling_correlation(pair, fs, window_s):
    x, y = pair
    result = call_checked(synchrony.rolling_correlation, x, y, fs, window_s=window_s)
    if result is not None:
        assert_correlations_bounded(result.r)
        call_checked(result.to_frame)


@FUZZ
@given(pair=any_pair(), fs=FS, slope_window_s=DURATION, corr_window_s=DURATION)
def test_fuzz_concordance_index(pair, fs, slope_window_s, corr_window_s):
    x, y = pair
    result = call_checked(
        synchrony.concordance_index, x, y, fs, slope_window_s=slope_window_s, corr_window_s=corr_window_s
    )
    if result is not None:
        assert_correlations_bounded(result.r)
        call_checked(result.to_frame)


BANDS = st.one_of(
    st.tuples(st.floats(0.01, 0.2), st.floats(0.2, 1.0)),
    st.tuples(NASTY_FLOATS, NASTY_FLOATS),
    st.tuples(DURATION, DURATION),
    st.sampled_from([None, (), (0.1,), (0.1, 0.2, 0.3), "0.1-0.5", (0.5, 0.1), (0.1, 1e6)]),
)


@FUZZ
@given(
    pair=any_pair(),
    fs=FS,
    key=st.sampled_from(sorted(REGISTRY)),
    window_s=DURATION,
    step_s=DURATION,
    max_lag_s=DURATION,
)
def test_fuzz_every_registry_method_with_its_series_and_headline(pair, fs, key, window_s, step_s, max_lag_s):
    """The registry's view of each method (compute, series over time, headline) fails only cleanly."""
    method = REGISTRY[key]
    settings = {"window_s": window_s, "step_s": step_s, "max_lag_s": max_lag_s}
    result = call_checked(method.compute, *pair, fs, **settings)
    if result is not None:
        columns = call_checked(method.series, result, settings)
        if columns is not None:
            names = list(columns)
            assert names[0] == "time_s" and len(names) >= 2
            low, high = method.value_range
            values = np.asarray(columns[names[1]], dtype=float)
            finite = values[np.isfinite(values)]
            assert np.all((finite >= low - 1e-9) & (finite <= high + 1e-9)), f"{key} series out of range"
        call_checked(method.headline, result)


@FUZZ
@given(pair=any_pair(), fs=FS, band=BANDS)
def test_fuzz_phase_synchrony(pair, fs, band):
    x, y = pair
    result = call_checked(synchrony.phase_synchrony, x, y, fs, band=band)
    if result is not None:
        plv = np.asarray(result.plv, dtype=float)
        finite = plv[np.isfinite(plv)]
        assert np.all((finite >= -1e-9) & (finite <= 1 + 1e-9)), "phase-locking value outside [0, 1]"


def _statistic(x, y):
    """The surrogate contract: statistic(x, y) -> float on two equal-length arrays (fs closed over)."""
    if len(x) <= 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return 0.0
    xc, yc = x - x.mean(), y - y.mean()
    # Scaled before squaring: the squares of values near 1e154 overflow, and a RuntimeWarning raised by
    # this test's own statistic would be blamed on the package (seen with pseudo_pairs on such a signal).
    xc, yc = xc / np.abs(xc).max(), yc / np.abs(yc).max()
    return float(np.dot(xc, yc) / np.sqrt(np.dot(xc, xc) * np.dot(yc, yc)))


METHODS = st.one_of(
    st.sampled_from(["circular_shift", "shift", "phase_randomization", "phase", "block", "iaaft"]),
    st.text(max_size=8),
    st.sampled_from([None, 3]),
)


@settings(FUZZ, max_examples=60)
@given(
    pair=plausible_pair(max_len=200),
    fs=FS,
    method=METHODS,
    n_surrogates=st.one_of(st.integers(-3, 40), st.sampled_from([None, 2.5, "10", 10**12])),
    seed=st.one_of(st.integers(0, 2**32 - 1), st.sampled_from([None, -1, "x", 2**80])),
)
def test_fuzz_surrogate_test(pair, fs, method, n_surrogates, seed):
    x, y = pair
    result = call_checked(
        synchrony.surrogate_test, x, y, fs, _statistic, method=method, n_surrogates=n_surrogates, seed=seed
    )
    if result is not None:
        p = float(result.p_value)
        assert 0.0 < p <= 1.0, f"p-value {p} outside (0, 1]"


@FUZZ
@given(
    r=st.one_of(
        hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=20), elements=NASTY_FLOATS),
        hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=20), elements=NICE_FLOATS),
        hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=6)),
        ODD_SIGNALS,
    ),
    lags=st.one_of(float_arrays(max_len=21), ODD_SIGNALS),
)
def test_fuzz_pick_peaks(r, lags):
    result = call_checked(synchrony.pick_peaks, r, lags)
    if result is not None:
        peak_r, peak_lag = result
        assert peak_r.shape == peak_lag.shape == (np.shape(r)[0],)
        assert np.array_equal(np.isnan(peak_r), np.isnan(peak_lag))


PAIR_LISTS = st.one_of(
    st.lists(plausible_pair(max_len=120), min_size=0, max_size=6),
    st.lists(st.tuples(float_arrays(max_len=60), float_arrays(max_len=60)), max_size=5),
    st.lists(st.one_of(ODD_SIGNALS, st.tuples(ODD_SIGNALS, ODD_SIGNALS)), max_size=4),
    ODD_SIGNALS,
)


@settings(FUZZ, max_examples=60)
@given(
    pairs=PAIR_LISTS,
    n_surrogates=st.one_of(st.none(), st.integers(-3, 50), st.sampled_from([2.5, "10", 10**12])),
    seed=st.one_of(st.integers(0, 2**32 - 1), st.sampled_from([None, -1, "x", 2**80])),
)
def test_fuzz_pseudo_pairs(pairs, n_surrogates, seed):
    result = call_checked(synchrony.pseudo_pairs, pairs, _statistic, n_surrogates=n_surrogates, seed=seed)
    if result is not None:
        p = float(result.p_value)
        assert 0.0 < p <= 1.0, f"p-value {p} outside (0, 1]"


def test_every_public_function_is_fuzzed():
    """A new public function must get a fuzz test here (the contract covers *every* public function).

    A method in the registry is fuzzed by ``test_fuzz_every_registry_method_with_its_series_and_headline``.
    """
    fuzzed = {
        name.removeprefix("test_fuzz_")
        for name, obj in globals().items()
        if name.startswith("test_fuzz_") and callable(obj)
    }
    fuzzed |= {m.function.__name__ for m in REGISTRY.values()}
    missing = sorted(set(_public_functions()) - fuzzed)
    assert not missing, f"public synchrony functions without a fuzz test: {missing}"


# ----------------------------------------------------------------------------------------------------
# Memory and time on representative big inputs
# ----------------------------------------------------------------------------------------------------


def _session(duration_min: float, fs: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = int(duration_min * 60 * fs)
    driver = np.cumsum(rng.standard_normal(n)) / math.sqrt(fs)
    return driver + rng.standard_normal(n), np.roll(driver, int(2 * fs)) + rng.standard_normal(n)


def _peak_bytes(fn: Callable, *args, **kwargs) -> tuple[int, float]:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        t0 = time.perf_counter()
        call_checked(fn, *args, _timeout_s=BIG_CALL_TIMEOUT_S, **kwargs)
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, elapsed


BIG_CASES = {
    # every method of the registry, with its own defaults (a new method is fuzzed here without an edit)
    **{m.function.__name__: lambda x, y, fs, m=m: (m.compute, (x, y, fs), {}) for m in REGISTRY.values()},
    "surrogate_test": lambda x, y, fs: (
        synchrony.surrogate_test,
        (x, y, fs, _statistic),
        {"method": "circular_shift", "n_surrogates": 50},
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BIG_CASES))
@pytest.mark.parametrize(("duration_min", "fs"), [(50, 32.0), (240, 32.0)], ids=["50min@32Hz", "4h@32Hz"])
def test_memory_stays_bounded_on_big_inputs(name, duration_min, fs):
    x, y = _session(duration_min, fs)
    fn, args, kwargs = BIG_CASES[name](x, y, fs)
    peak, elapsed = _peak_bytes(fn, *args, **kwargs)
    assert peak <= MEMORY_BOUND_BYTES, (
        f"{name} on {duration_min} min at {fs} Hz allocated a peak of {peak / 2**20:.1f} MB "
        f"(> {MEMORY_BOUND_BYTES / 2**20:.0f} MB bound) in {elapsed:.2f} s"
    )


@pytest.mark.parametrize(
    ("window_s", "step_s", "max_lag_s"),
    [(30.0, 1e-6, 5.0), (30.0, 5.0, 1e6), (1e9, 5.0, 5.0), (30.0, 5e-324, 5.0)],
    ids=["tiny-step", "huge-lag", "huge-window", "subnormal-step"],
)
def test_extreme_parameters_are_refused_or_bounded(window_s, step_s, max_lag_s):
    """Parameters that would explode the windows × lags matrix must be refused, not allocated."""
    x, y = _session(50, 32.0)
    peak, elapsed = _peak_bytes(
        synchrony.windowed_xcorr, x, y, 32.0, window_s=window_s, step_s=step_s, max_lag_s=max_lag_s
    )
    assert peak <= MEMORY_BOUND_BYTES, (
        f"peak {peak / 2**20:.0f} MB > {MEMORY_BOUND_BYTES / 2**20:.0f} MB bound"
    )
    assert elapsed < CALL_TIMEOUT_S


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("rolling_correlation", {"window_s": 4 * 3600.0}),
        ("rolling_correlation", {"window_s": 4 * 3600.0 / 8.5}),
        ("windowed_xcorr", {"window_s": 4 * 3600.0 - 10.0, "max_lag_s": 5.0}),
        ("windowed_xcorr", {"window_s": 4 * 3600.0 / 3, "step_s": 60.0, "max_lag_s": 60.0}),
        ("concordance_index", {"slope_window_s": 3600.0, "corr_window_s": 3600.0}),
    ],
    ids=["rolling-whole", "rolling-ninth", "xcorr-whole", "xcorr-third", "concordance-hours"],
)
def test_memory_stays_bounded_for_very_long_windows(name, kwargs):
    """A window as long as a 4-hour recording must not multiply the memory (block sizes follow w)."""
    x, y = _session(240, 32.0)
    peak, elapsed = _peak_bytes(getattr(synchrony, name), x, y, 32.0, **kwargs)
    assert peak <= MEMORY_BOUND_BYTES, f"{name} {kwargs}: peak {peak / 2**20:.1f} MB in {elapsed:.2f} s"
