"""The method registry: each entry runs its engine function with the sliders it names, and reads it back."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from empathy_explorer import synchrony
from empathy_explorer.errors import InputError
from empathy_explorer.synchrony import registry
from empathy_explorer.synchrony.registry import METHODS, SLIDERS, get_method, lag_profile_of
from empathy_explorer.synchrony.xcorr import lag_profile


@pytest.fixture(scope="module")
def pair():
    rng = np.random.default_rng(11)
    x = np.cumsum(rng.normal(size=2400)) * 0.05 + rng.normal(size=2400)
    return x, np.roll(x, 8) + 0.3 * rng.normal(size=2400)  # y follows x by 2 s at 4 Hz


def test_the_four_teaching_methods_are_registered_once_each_from_the_engine():
    functions = [m.function for m in METHODS.values()]
    teaching = {synchrony.windowed_xcorr, synchrony.rolling_correlation}
    teaching |= {synchrony.concordance_index, synchrony.phase_synchrony}
    assert teaching <= set(functions) and len(set(functions)) == len(functions)
    assert all(getattr(synchrony, f.__name__) is f for f in functions), "re-export it in synchrony/__init__"
    assert all(key == m.key for key, m in METHODS.items())


@pytest.mark.parametrize("key", list(METHODS))
def test_parameters_name_real_sliders_and_engine_keywords(key):
    method = METHODS[key]
    signature = method.function.__code__.co_varnames[: method.function.__code__.co_argcount + 8]
    for p in method.parameters:
        shared = SLIDERS[p.slider]
        assert (p.low, p.high, p.step, p.label) == (shared.low, shared.high, shared.step, shared.label)
        assert p.low <= p.default <= p.high
        assert p.keyword is None or p.keyword in signature
    low, high = method.value_range
    assert low < high and method.display_name and method.description and method.headline_name


def test_compute_calls_the_engine_with_the_slider_settings(pair):
    x, y = pair
    settings = {"window_s": 20.0, "step_s": 4.0, "max_lag_s": 3.0}
    direct = {
        "wcc": synchrony.windowed_xcorr(x, y, 4.0, window_s=20.0, step_s=4.0, max_lag_s=3.0).peak_r,
        "rolling": synchrony.rolling_correlation(x, y, 4.0, window_s=20.0).r,
        "concordance": synchrony.concordance_index(x, y, 4.0, corr_window_s=20.0).r,
    }
    for key, expected in direct.items():
        columns = METHODS[key].series(METHODS[key].compute(x, y, 4.0, **settings), settings)
        np.testing.assert_array_equal(list(columns.values())[1], expected)
    phase = METHODS["phase"].compute(x, y, 4.0, **settings)
    assert phase.band == registry.PHASE_BAND_HZ


@pytest.mark.parametrize("key", list(METHODS))
def test_statistic_is_the_headline_and_defaults_fill_missing_sliders(key, pair):
    x, y = pair
    method = METHODS[key]
    result = method.compute(x, y, 4.0)  # every slider at this method's default
    assert method.statistic(4.0)(x, y) == pytest.approx(method.headline(result), nan_ok=True)
    assert np.isfinite(method.headline(result))


def test_the_lag_profile_finds_the_simulated_delay(pair):
    prof = lag_profile_of(*pair, 4.0, window_s=30.0, step_s=5.0, max_lag_s=5.0)
    assert prof.lags_s[np.nanargmax(prof.mean_r)] == pytest.approx(2.0)
    same = lag_profile(synchrony.windowed_xcorr(*pair, 4.0, window_s=30.0, step_s=5.0, max_lag_s=5.0))
    np.testing.assert_array_equal(prof.mean_r, same.mean_r)


def test_an_unknown_method_names_the_valid_ones():
    with pytest.raises(InputError, match="wcc, rolling, concordance, phase"):
        get_method("granger")


def test_docstring_examples_run():
    assert doctest.testmod(registry, optionflags=doctest.ELLIPSIS).failed == 0
