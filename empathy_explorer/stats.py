"""Small statistics the teaching notebooks need: a correlation with its confidence interval, how much a
correlation from a small cohort can move, and how many ratings make a reliable average.

- :func:`pearson_r` -- Pearson r with a t-test p-value and a Fisher-z confidence interval.
- :func:`r_confidence_interval` -- the Fisher-z interval from r and n alone (e.g. a published r).
- :func:`bootstrap_r` -- r of many bootstrap resamples of one cohort (vectorised).
- :func:`sample_cohort_r` -- r of many new simulated cohorts drawn from a known true correlation.
- :func:`spearman_brown` / :func:`ratings_needed` -- reliability of a mean of k ratings.
- :func:`spearman_rho` -- Spearman's rank correlation (average ranks for ties).
- :func:`normal_quantile`, :func:`t_quantile`, :func:`t_upper_tail` -- the distribution functions the
  package needs, straight from ``scipy.special`` (the same calls ``scipy.stats.norm.ppf``,
  ``scipy.stats.t.ppf`` and ``scipy.stats.t.sf`` make, so the numbers are identical) without importing
  ``scipy.stats`` (≈ 45 MB and ≈ 0.5 s in every notebook kernel).

Worked example: Marci et al. (2007) found r = 0.47
(p = 0.03) between skin-conductance concordance and patient-rated empathy in 20 dyads; the Fisher-z 95%
interval is about 0.04 to 0.76, so the data fit anything from a negligible to a strong association.

References
----------
Fisher, R. A. (1921). On the "probable error" of a coefficient of correlation deduced from a small
sample. Metron, 1, 3–32.

Efron, B. (1979). Bootstrap methods: another look at the jackknife. Annals of Statistics, 7(1), 1–26.
https://doi.org/10.1214/aos/1176344552

Marci, C. D., Ham, J., Moran, E., & Orr, S. P. (2007). Physiologic correlates of perceived therapist
empathy and social-emotional process during psychotherapy. J Nerv Ment Dis, 195(2), 103–111.
https://doi.org/10.1097/01.nmd.0000253731.71025.fc
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special as _special

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.validation import as_count, as_number, as_probability

__all__ = [
    "CorrelationResult",
    "bootstrap_r",
    "confidence_band",
    "normal_quantile",
    "pearson_r",
    "r_confidence_interval",
    "ratings_needed",
    "rowwise_r",
    "sample_cohort_r",
    "spearman_brown",
    "spearman_rho",
    "t_quantile",
    "t_upper_tail",
]


@dataclass(frozen=True)
class CorrelationResult:
    """A Pearson correlation with its uncertainty.

    Attributes
    ----------
    r : float
        Pearson correlation coefficient.
    n : int
        Number of pairs.
    p_value : float
        Two-sided p-value of the t-test of r = 0.
    ci_low, ci_high : float
        Fisher-z confidence interval for the population correlation.
    confidence : float
        Level of the interval (e.g. 0.95).
    """

    r: float
    n: int
    p_value: float
    ci_low: float
    ci_high: float
    confidence: float

    def describe(self) -> str:
        """One plain sentence, e.g. "r = 0.47 (95% CI 0.04 to 0.76, p = 0.036, n = 20)"."""
        level = f"{self.confidence:.0%}"
        return (
            f"r = {self.r:.2f} ({level} CI {self.ci_low:.2f} to {self.ci_high:.2f}, "
            f"{_fmt_p(self.p_value)}, n = {self.n})"
        )


def normal_quantile(q: float | np.ndarray) -> np.float64 | np.ndarray:
    """Quantile of the standard normal distribution (what ``scipy.stats.norm.ppf`` returns).

    Parameters
    ----------
    q : float or numpy.ndarray
        Probability from 0 to 1 (0 gives -inf, 1 gives inf, outside gives NaN).

    Returns
    -------
    numpy.float64 or numpy.ndarray
        The z value below which a share ``q`` of the distribution lies.

    Examples
    --------
    >>> round(float(normal_quantile(0.975)), 4)
    1.96

    References
    ----------
    ``scipy.stats.norm.ppf`` computes ``scipy.special.ndtri(q)``; this calls it directly.
    """
    return _special.ndtri(q)


def t_quantile(q: float | np.ndarray, df: float | np.ndarray) -> np.float64 | np.ndarray:
    """Quantile of Student's t distribution (what ``scipy.stats.t.ppf(q, df)`` returns).

    ``q`` is a probability from 0 to 1 and ``df`` the degrees of freedom (> 0; otherwise NaN), floats or
    arrays; the result is the t value below which a share ``q`` of the distribution lies.

    Examples
    --------
    >>> round(float(t_quantile(0.975, 18)), 3)
    2.101

    References
    ----------
    ``scipy.stats.t.ppf`` computes ``scipy.special.stdtrit(df, q)``; this calls it directly.
    """
    return _special.stdtrit(df, q)


def t_upper_tail(t: float | np.ndarray, df: float | np.ndarray) -> np.float64 | np.ndarray:
    """Share of Student's t distribution above ``t`` (what ``scipy.stats.t.sf(t, df)`` returns).

    Parameters
    ----------
    t : float or numpy.ndarray
        The t statistic.
    df : float or numpy.ndarray
        Degrees of freedom (> 0; otherwise NaN).

    Returns
    -------
    numpy.float64 or numpy.ndarray
        One-sided upper-tail probability; double it for a two-sided p-value of ``|t|``.

    Examples
    --------
    >>> round(float(2 * t_upper_tail(2.101, 18)), 3)
    0.05

    References
    ----------
    ``scipy.stats.t.sf`` computes ``scipy.special.stdtr(df, -t)``; this calls it directly.
    """
    return _special.stdtr(df, -np.asarray(t, dtype=float))


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n, tied values sharing the mean of their ranks (``scipy.stats.rankdata``'s default)."""
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    new_value = np.r_[True, ordered[1:] != ordered[:-1]]
    group = np.cumsum(new_value) - 1
    starts = np.flatnonzero(np.r_[new_value, True])
    mean_rank = (starts[:-1] + starts[1:] + 1) / 2.0
    ranks = np.empty(values.size, dtype=float)
    ranks[order] = mean_rank[group]
    return ranks


def spearman_rho(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation: Pearson r of the ranks, ties sharing their mean rank.

    Parameters
    ----------
    x, y : array_like
        Two equally long, finite samples (at least 2 values each).

    Returns
    -------
    float
        rho from -1 to 1; NaN if either sample is constant.

    Raises
    ------
    InputError
        If the samples differ in length, are shorter than 2 or hold missing values.

    Examples
    --------
    >>> round(spearman_rho([1.0, 2.0, 3.0, 4.0], [10.0, 20.0, 20.0, 40.0]), 4)
    0.9487

    References
    ----------
    Spearman, C. (1904). The proof and measurement of association between two things. American Journal
    of Psychology, 15(1), 72–101. https://doi.org/10.2307/1412159 (Computed as ``scipy.stats.spearmanr``
    does: ``numpy.corrcoef`` of average ranks, so the values are identical.)
    """
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.size != y.size or x.size < 2:
        raise InputError(
            f"Spearman's rho needs two samples of equal length (>= 2); got {x.size} and {y.size}."
        )
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise InputError("Spearman's rho needs finite values; remove the missing ones first.")
    if (x == x[0]).all() or (y == y[0]).all():
        return math.nan
    ranked = np.column_stack((_average_ranks(x), _average_ranks(y)))
    return float(np.corrcoef(ranked, rowvar=False)[1, 0])


def _fmt_p(p: float) -> str:
    """``"p < 0.001"`` or ``"p = 0.036"``."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _check_confidence(confidence: float) -> float:
    return as_number(
        confidence,
        "confidence",
        meaning="e.g. 0.95",
        low=0,
        high=1,
        low_inclusive=False,
        high_inclusive=False,
    )


def r_confidence_interval(r: float, n: int, *, confidence: float = 0.95) -> tuple[float, float]:
    """Fisher-z confidence interval of a correlation from r and the sample size alone.

    ``z = atanh(r)`` is roughly normal with standard error ``1/sqrt(n - 3)``; the interval is computed on
    z and transformed back with ``tanh``.

    Parameters
    ----------
    r : float
        Observed correlation, strictly between -1 and 1.
    n : int
        Number of pairs (at least 4).
    confidence : float, default 0.95

    Returns
    -------
    (low, high) : tuple of float

    Examples
    --------
    >>> lo, hi = r_confidence_interval(0.47, 20)  # Marci et al. 2007
    >>> round(lo, 2), round(hi, 2)
    (0.03, 0.76)

    References
    ----------
    Fisher (1921); see the module references.
    """
    r = as_number(r, "r", meaning="a correlation", low=-1, high=1, low_inclusive=False, high_inclusive=False)
    n = as_count(n, "n", meaning="pairs; a confidence interval for r needs at least 4", low=4)
    confidence = _check_confidence(confidence)
    z = math.atanh(r)
    half = normal_quantile(0.5 + confidence / 2) / math.sqrt(n - 3)
    return math.tanh(z - half), math.tanh(z + half)


def confidence_band(r: float, *, n_min: int = 5, n_max: int = 200, confidence: float = 0.95):
    """The Fisher-z interval of an observed ``r`` for every sample size from ``n_min`` to ``n_max``.

    Parameters
    ----------
    r : float
        Observed correlation, strictly between -1 and 1.
    n_min, n_max : int, default 5 and 200
        Range of sample sizes (n_min >= 4).
    confidence : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        Long format for a line chart: ``n``, ``r`` and ``line`` ("lower limit", "observed r",
        "upper limit").

    Examples
    --------
    >>> band = confidence_band(0.47, n_min=20, n_max=20)
    >>> band.set_index("line").loc["lower limit", "r"].round(2)
    np.float64(0.03)
    """
    import pandas as pd

    n_min = as_count(n_min, "n_min", low=4, high=100_000)
    n_max = as_count(n_max, "n_max", low=n_min, high=100_000)
    confidence = _check_confidence(confidence)
    r_confidence_interval(r, n_min, confidence=confidence)  # validates r
    n = np.arange(int(n_min), int(n_max) + 1)
    z = math.atanh(float(r))
    half = normal_quantile(0.5 + confidence / 2) / np.sqrt(n - 3)
    parts = [
        pd.DataFrame({"n": n, "r": np.tanh(z - half), "line": "lower limit"}),
        pd.DataFrame({"n": n, "r": np.full(n.shape, float(r)), "line": "observed r"}),
        pd.DataFrame({"n": n, "r": np.tanh(z + half), "line": "upper limit"}),
    ]
    return pd.concat(parts, ignore_index=True)


def _as_pairs(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 1 or y.ndim != 1 or x.shape != y.shape:
        raise InputError(f"x and y must be two lists of the same length; got shapes {x.shape} and {y.shape}.")
    if x.size < 4:
        raise InputError(f"A correlation needs at least 4 pairs; got {x.size}.")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise InputError("x and y contain missing or infinite values; remove those pairs first.")
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        raise InputError("One of the variables is constant, so its correlation is undefined.")
    return x, y


def pearson_r(x: np.ndarray, y: np.ndarray, *, confidence: float = 0.95) -> CorrelationResult:
    """Pearson correlation with a two-sided t-test p-value and a Fisher-z confidence interval.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Paired values (n >= 4, finite, neither constant).
    confidence : float, default 0.95

    Returns
    -------
    CorrelationResult

    Examples
    --------
    >>> res = pearson_r([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    >>> round(res.r, 2), round(res.p_value, 3)
    (0.8, 0.104)
    """
    x, y = _as_pairs(x, y)
    n = x.size
    xc = x - x.mean()
    yc = y - y.mean()
    r = float(np.clip((xc @ yc) / math.sqrt((xc @ xc) * (yc @ yc)), -1.0, 1.0))
    if abs(r) == 1.0:
        p = 0.0
        lo = hi = r
        confidence = _check_confidence(confidence)
    else:
        t = r * math.sqrt((n - 2) / (1.0 - r * r))
        p = float(2.0 * t_upper_tail(abs(t), n - 2))
        lo, hi = r_confidence_interval(r, n, confidence=confidence)
    return CorrelationResult(r=r, n=n, p_value=p, ci_low=lo, ci_high=hi, confidence=confidence)


def rowwise_r(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson r of each row pair of two (m, n) arrays; NaN where a row is constant.

    A row is constant when all its values are equal (tested exactly). A threshold on the denominator
    would be wrong both ways: a row of 0.7s leaves rounding residues after centring (so ``den > 0``
    gives it a meaningless r near 0 instead of NaN), while data in small units (e.g. 1e-8) have a
    denominator below any fixed cut-off such as 1e-12 and would lose a perfectly good r.

    Examples
    --------
    >>> rowwise_r(np.array([[1.0, 2, 3], [0.7, 0.7, 0.7]]), np.array([[1.0, 2, 4], [1.0, 2, 3]])).round(3)
    array([0.982,   nan])
    """
    xc = x - x.mean(axis=1, keepdims=True)
    yc = y - y.mean(axis=1, keepdims=True)
    num = np.einsum("ij,ij->i", xc, yc)
    den = np.sqrt(np.einsum("ij,ij->i", xc, xc) * np.einsum("ij,ij->i", yc, yc))
    ok = ~((x == x[:, :1]).all(axis=1) | (y == y[:, :1]).all(axis=1)) & (den > 0)
    out = np.full(x.shape[0], np.nan)
    out[ok] = np.clip(num[ok] / den[ok], -1.0, 1.0)
    return out


def bootstrap_r(x: np.ndarray, y: np.ndarray, *, n_resamples: int = 2000, seed: int = 0) -> np.ndarray:
    """Correlation of many bootstrap resamples of one cohort (pairs drawn with replacement).

    Shows how much r could have differed had other people with the same spread been recruited. A
    resample in which one variable happens to be constant has no r and is dropped.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        The cohort's paired values.
    n_resamples : int, default 2000
        Number of resamples (1 to 100,000).
    seed : int, default 0
        Seed of the random generator (same seed, same answer).

    Returns
    -------
    numpy.ndarray
        One r per usable resample.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=20); y = x + rng.normal(size=20)
    >>> rs = bootstrap_r(x, y, n_resamples=500)
    >>> rs.shape, bool(rs.min() < pearson_r(x, y).r < rs.max())
    ((500,), True)
    """
    x, y = _as_pairs(x, y)
    n_resamples = as_count(n_resamples, "n_resamples", low=1, high=100_000)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, x.size, size=(n_resamples, x.size))
    r = rowwise_r(x[idx], y[idx])
    return r[np.isfinite(r)]


def sample_cohort_r(
    true_r: float, n: int, *, n_cohorts: int = 2000, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw many new cohorts of ``n`` pairs from a population with a known correlation; return their r.

    Each cohort is ``n`` pairs from a bivariate normal population with correlation ``true_r`` (simulated
    data). The spread of the returned r values is what "sampling error" means for a study of that size.

    Parameters
    ----------
    true_r : float
        The population correlation, from -0.99 to 0.99.
    n : int
        People (pairs) per cohort, 4 to 10,000.
    n_cohorts : int, default 2000
        How many cohorts to draw (1 to 100,000); ``n * n_cohorts`` is capped at 5 million values.
    seed : int, default 0

    Returns
    -------
    r : numpy.ndarray, shape (n_cohorts,)
        Sample correlation of each cohort.
    p_value : numpy.ndarray, shape (n_cohorts,)
        Two-sided t-test p-value of each cohort's r.
    significant : numpy.ndarray of bool
        ``p_value < 0.05``.

    Examples
    --------
    >>> r, p, sig = sample_cohort_r(0.47, 20, n_cohorts=4000, seed=2)
    >>> round(float(np.median(r)), 1)
    0.5
    """
    true_r = as_number(true_r, "true_r", low=-0.99, high=0.99)
    n = as_count(n, "n", low=4, high=10_000)
    n_cohorts = as_count(n_cohorts, "n_cohorts", low=1, high=100_000)
    if n * n_cohorts > 5_000_000:
        raise ParameterError("n × n_cohorts is too large for this machine's memory; use fewer cohorts.")
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n_cohorts, n))
    b = rng.standard_normal((n_cohorts, n))
    y = true_r * a + math.sqrt(1.0 - true_r * true_r) * b
    r = np.nan_to_num(rowwise_r(a, y), nan=0.0)
    r_safe = np.clip(r, -0.999999, 0.999999)
    t = r_safe * np.sqrt((n - 2) / (1.0 - r_safe**2))
    p = 2.0 * t_upper_tail(np.abs(t), n - 2)
    return r, np.asarray(p), np.asarray(p < 0.05)


def spearman_brown(single_reliability: float, k: float | np.ndarray) -> float | np.ndarray:
    """Reliability of the mean of ``k`` ratings, given the reliability of one rating (Spearman–Brown).

    ``R_k = k·ρ / (1 + (k − 1)·ρ)``, where ρ is the reliability (intraclass correlation) of a single
    rating. Assumes the ratings are exchangeable (each new patient is like another draw).

    Parameters
    ----------
    single_reliability : float
        ρ, between 0 and 1.
    k : float or array_like
        Number of ratings averaged (>= 1).

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> round(spearman_brown(0.2, 4), 3)
    0.5

    References
    ----------
    Spearman, C. (1910). Correlation calculated from faulty data. British Journal of Psychology, 3,
    271–295. Brown, W. (1910). Some experimental results in the correlation of mental abilities. British
    Journal of Psychology, 3, 296–322.
    """
    rho = as_probability(single_reliability, "single_reliability")
    k_arr = np.asarray(k, dtype=float)
    if not np.all(np.isfinite(k_arr)) or np.any(k_arr < 1):
        raise ParameterError("k (the number of ratings) must be at least 1.")
    out = k_arr * rho / (1.0 + (k_arr - 1.0) * rho)
    return float(out) if out.ndim == 0 else out


def ratings_needed(single_reliability: float, target: float = 0.8) -> int:
    """Smallest number of ratings whose mean reaches a target reliability (Spearman–Brown solved for k).

    ``k = target·(1 − ρ) / (ρ·(1 − target))``, rounded up.

    Parameters
    ----------
    single_reliability : float
        ρ, strictly between 0 and 1.
    target : float, default 0.8
        Wanted reliability of the mean, strictly between 0 and 1.

    Returns
    -------
    int

    Examples
    --------
    >>> ratings_needed(0.2, target=0.8)
    16
    """
    rho = as_probability(single_reliability, "single_reliability")
    target = as_probability(target, "target")
    if rho == 0.0:
        raise ParameterError("With a single-rating reliability of 0, no number of ratings is reliable.")
    if target in (0.0, 1.0):
        raise ParameterError("target must be strictly between 0 and 1.")
    if rho >= target:
        return 1
    k = target * (1.0 - rho) / (rho * (1.0 - target))
    return math.ceil(k - 1e-9)
