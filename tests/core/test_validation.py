"""Shared input checks: every bad signal, rate or duration gets the package's own error, in plain words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.validation import (
    as_band,
    as_choice,
    as_count,
    as_duration_s,
    as_flag,
    as_fs,
    as_number,
    as_probability,
    as_rng,
    as_seed,
    as_signal,
    as_signal_pair,
    check_fits,
    check_not_constant,
    format_seconds,
    readonly,
    seconds_to_samples,
)

pytestmark = pytest.mark.usefixtures("warnings_as_errors")


def test_as_signal_accepts_lists_ints_and_series_and_copies():
    src = np.array([1, 2, 3], dtype=np.int16)
    out = as_signal(src)
    assert out.dtype == np.float64 and out.tolist() == [1.0, 2.0, 3.0]
    out[0] = 99
    assert src[0] == 1
    assert as_signal(pd.Series([0.5, 1.5])).tolist() == [0.5, 1.5]
    arr = np.arange(5.0)
    assert as_signal(arr) is not arr


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        (["a", "b"], "numbers only"),
        (np.array([1, "x"], dtype=object), "numbers only"),
        (np.array([1 + 2j, 3j]), "complex"),
        (np.zeros((3, 2)), "shape 3 × 2"),
        (np.float64(3.0), "single number"),
        ([], "empty"),
        ([1.0], "too short"),
        ([np.nan, np.nan], "every sample is missing"),
        ([1.0, np.inf], "infinite"),
        ([1.0, np.nan, 2.0], "1 missing value"),
        (np.array(["2020-01-01"], dtype="datetime64[D]"), "numbers"),
    ],
)
def test_as_signal_refuses_bad_input_with_plain_message(values, fragment):
    with pytest.raises(InputError, match=fragment):
        as_signal(values, "x (patient)")


def test_as_signal_nan_allowed_when_asked_but_not_all_nan_or_inf():
    out = as_signal([1.0, np.nan, 2.0], allow_nan=True)
    assert np.isnan(out[1])
    with pytest.raises(InputError, match="every sample is missing"):
        as_signal([np.nan] * 4, allow_nan=True)
    with pytest.raises(InputError, match="infinite"):
        as_signal([1.0, -np.inf], allow_nan=True)


def test_as_signal_pair_requires_equal_lengths():
    x, y = as_signal_pair([1, 2, 3], [3, 2, 1])
    assert x.shape == y.shape == (3,)
    with pytest.raises(InputError, match=r"same length.*x has 3 samples and y has 2"):
        as_signal_pair([1, 2, 3], [1, 2])


@pytest.mark.parametrize(
    ("fs", "fragment"),
    [
        (0, "greater than 0"),
        (-4.0, "greater than 0"),
        (np.nan, "finite"),
        (np.inf, "finite"),
        ("32", "number"),
        (True, "number"),
        (None, "number"),
        (1 + 1j, "number"),
    ],
)
def test_as_fs_refuses_bad_rates(fs, fragment):
    with pytest.raises(InputError, match=fragment):
        as_fs(fs)


def test_as_fs_accepts_numpy_and_int():
    assert as_fs(np.int64(8)) == 8.0
    assert as_fs(np.float32(7.5)) == 7.5


def test_durations_and_samples():
    assert as_duration_s(30, "window_s") == 30.0
    assert as_duration_s(0, "max_lag_s", allow_zero=True) == 0.0
    for bad, fragment in [(0, "greater than 0"), (-1, "greater than 0"), (np.nan, "finite"), ("5", "number")]:
        with pytest.raises(ParameterError, match=fragment):
            as_duration_s(bad, "window_s")
    with pytest.raises(ParameterError, match="cannot be negative"):
        as_duration_s(-1, "max_lag_s", allow_zero=True)
    assert seconds_to_samples(30.0, 32.0, name="window_s") == 960
    assert seconds_to_samples(0.3, 10.0, name="w") == 3
    with pytest.raises(ParameterError, match=r"window_s = 0.1 s is only 1 sample\(s\) at 10 Hz"):
        seconds_to_samples(0.1, 10.0, name="window_s", minimum=3)


def test_check_fits_message_names_both_durations():
    check_fits(384, 384, 32.0, what="The window")
    with pytest.raises(InputError) as err:
        check_fits(960, 384, 32.0, what="The window")
    assert str(err.value) == (
        "The window (30 s) is longer than the recording (12 s). "
        "Choose a shorter window or a longer recording."
    )


def test_check_not_constant():
    check_not_constant(np.array([1.0, np.nan, 2.0]))
    with pytest.raises(InputError, match=r"constant \(every value is 2\)"):
        check_not_constant(np.array([2.0, np.nan, 2.0]), "x")


def test_format_seconds():
    assert format_seconds(30.0) == "30 s"
    assert format_seconds(2.5) == "2.5 s"
    assert format_seconds(750.0) == "12 min 30 s"
    assert format_seconds(3000.0) == "50 min"


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: as_number("3", "tau_s", unit="s"), "tau_s must be a number of seconds"),
        (lambda: as_number(np.inf, "tau_s"), "must be a finite number"),
        (lambda: as_number(0.0, "tau_s", unit="s", low=0, low_inclusive=False), "must be greater than 0 s"),
        (lambda: as_number(-1.0, "lag_s", low=0), "cannot be negative"),
        (lambda: as_number(2.0, "rate", low=0, high=1), "must be at most 1"),
        (lambda: as_count(2.5, "n_trials"), "n_trials must be a whole number"),
        (lambda: as_count(True, "n_trials"), "whole number"),
        (lambda: as_count(3.0, "n", integers_only=True), "whole number"),
        (lambda: as_count(0, "n_trials"), "at least 1"),
        (lambda: as_count(10_001, "n", high=10_000), "at most 10,000"),
        (lambda: as_probability(1.5, "p"), "between 0 and 1"),
        (lambda: as_seed(-1), "seed"),
        (lambda: as_rng(1.0), "seed"),
        (lambda: as_flag(1, "show"), "True or False"),
        (lambda: as_choice("x", "method", ("a", "b")), "method must be one of 'a', 'b'"),
        (lambda: as_band((0.5, 0.1), 4.0), "low below high"),
        (lambda: as_band((0.1, 2.0), 4.0), "below half the sampling rate"),
    ],
)
def test_scalar_checks_word_each_kind_of_mistake_once(call, fragment):
    with pytest.raises(ParameterError, match=fragment):
        call()


def test_scalar_checks_return_plain_python_values():
    assert as_count(np.int64(4), "n") == 4 and as_count(20.0, "n") == 20
    assert as_duration_s(np.float32(0.5), "step_s") == 0.5
    rng, seed = as_rng(7)
    assert seed == 7 and rng.integers(10) == np.random.default_rng(7).integers(10)
    generator = np.random.default_rng(1)
    assert as_rng(generator) == (generator, None)
    frozen = readonly(np.zeros(3))
    with pytest.raises(ValueError, match="read-only"):
        frozen[0] = 1.0
