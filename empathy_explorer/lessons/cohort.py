"""Notebook 06, "Re-run the MGH analysis": the simulated 20-dyad cohort, its r and how unstable r is.

Marci, Ham, Moran & Orr (2007) recorded skin conductance from 20 patient–therapist dyads during one live
session and found that skin-conductance concordance correlated with the patient's rating of the
therapist's empathy, r = 0.47, p = 0.03. This module re-runs that analysis on the **simulated** cohort
bundled in ``data/`` (``cohort-01`` … ``cohort-20``; see ``data/README.md``) and builds the notebook's
demos:

- :func:`cohort_table` -- per dyad: concordance (``empathy_explorer.synchrony.concordance_index``), the
  simulated patient rating and the simulator's true coupling.
- :func:`cohort_scatter` / :func:`cohort_scatter_demo` -- concordance against rating, with r, its 95%
  Fisher-z interval and the p-value.
- :func:`recruitment_path` / :func:`recruitment_demo` -- r and its interval as the dyads come in one by
  one (the "evolution of a correlation" of Schönbrodt & Perugini 2013).
- :func:`resample_r` / :func:`resampling_summary` / :class:`ResamplingDemo` -- a button that resamples the
  cohort (bootstrap of our 20 dyads, or brand-new cohorts from a population with a known correlation), with
  a progress bar, and a histogram of the resulting r.
- :func:`significance_filter` / :func:`significance_filter_demo` -- how often a study of n dyads reaches
  p < 0.05, and how much the "significant" studies overestimate the true correlation.

Every compute function is a plain function returning a :class:`~empathy_explorer.app.widgets.DemoOutput`;
the widgets only call them (tests call them directly).

References
----------
Marci, C. D., Ham, J., Moran, E., & Orr, S. P. (2007). Physiologic correlates of perceived therapist
empathy and social-emotional process during psychotherapy. J Nerv Ment Dis, 195(2), 103–111.
https://doi.org/10.1097/01.nmd.0000253731.71025.fc

Efron, B. (1979). Bootstrap methods: another look at the jackknife. Annals of Statistics, 7(1), 1–26.
https://doi.org/10.1214/aos/1176344552

Schönbrodt, F. D., & Perugini, M. (2013). At what sample size do correlations stabilize? Journal of
Research in Personality, 47(5), 609–612. https://doi.org/10.1016/j.jrp.2013.05.009
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import ipywidgets as widgets
import numpy as np
import pandas as pd

from empathy_explorer.app.widgets import (
    Demo,
    DemoOutput,
    choice,
    labelled_slider,
    line_chart,
    scatter_chart,
    slider_group,
)
from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.stats import normal_quantile, pearson_r, rowwise_r, sample_cohort_r, t_quantile
from empathy_explorer.validation import as_count

__all__ = [
    "PUBLISHED_N",
    "PUBLISHED_P",
    "PUBLISHED_R",
    "SIGNALS",
    "ResamplingDemo",
    "cohort_scatter",
    "cohort_scatter_demo",
    "cohort_table",
    "critical_r",
    "recruitment_demo",
    "recruitment_path",
    "resample_r",
    "resampling_demo",
    "resampling_summary",
    "significance_filter",
    "significance_filter_demo",
]

#: Marci et al. (2007): skin-conductance concordance vs patient-rated empathy in 20 dyads.
PUBLISHED_R, PUBLISHED_P, PUBLISHED_N = 0.47, 0.03, 20

#: Signals of the cohort sessions, as shown in the drop-down (label -> session signal kind).
SIGNALS: dict[str, str] = {"Skin conductance (as in Marci 2007)": "eda", "Heart rate": "hr"}
_SIGNAL_NAMES = {"eda": "skin conductance", "hr": "heart rate"}

_SIG_LABEL = "p < 0.05 (“significant”)"
_NONSIG_LABEL = "p ≥ 0.05"
_METHODS = {
    "Bootstrap: draw dyads from our 20, with replacement": "bootstrap",
    "New cohorts from a population with a known true r": "new",
}


# --------------------------------------------------------------------------------------------------
# The cohort
# --------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _cohort_sessions() -> tuple:
    from empathy_explorer.sessions import list_sessions, load_session

    cat = list_sessions()
    ids = sorted(cat.loc[cat["group"] == "cohort", "id"])
    if not ids:
        raise InputError(
            "The simulated cohort (cohort-01 … cohort-20) is missing from the example data; rebuild it with "
            "`python -m empathy_explorer.sessions build`."
        )
    return tuple(load_session(i) for i in ids)


@functools.lru_cache(maxsize=32)
def _cohort_table(signal: str, slope_window_s: float, corr_window_s: float) -> pd.DataFrame:
    from empathy_explorer.synchrony import concordance_index

    rows = []
    for i, s in enumerate(_cohort_sessions()):
        x, y = s.pair(signal)
        res = concordance_index(
            np.asarray(x), np.asarray(y), s.fs, slope_window_s=slope_window_s, corr_window_s=corr_window_s
        )
        rows.append(
            {
                "id": s.id,
                "dyad": i + 1,
                "concordance": float(res.index),
                "rating": float(s.rating),
                "true_coupling": float(s.ground_truth.coupling) if s.ground_truth else np.nan,
                "simulated": bool(s.simulated),
            }
        )
    return pd.DataFrame(rows)


def cohort_table(
    signal: str = "eda", *, slope_window_s: float = 5.0, corr_window_s: float = 15.0
) -> pd.DataFrame:
    """Concordance and simulated rating of each of the 20 simulated cohort dyads.

    Concordance is :func:`empathy_explorer.synchrony.concordance_index` of the patient's and the
    clinician's signal (slopes over ``slope_window_s``, Pearson r of the slopes over ``corr_window_s``,
    summarised as one index per session), computed on the full-rate recording.

    Parameters
    ----------
    signal : {"eda", "hr"}, default "eda"
        Skin conductance (as in Marci et al. 2007) or heart rate.
    slope_window_s : float, default 5
        Window of the moving slope, seconds.
    corr_window_s : float, default 15
        Window of the moving correlation of the slopes, seconds.

    Returns
    -------
    pandas.DataFrame
        One row per dyad: ``id``, ``dyad`` (1–20, the recruitment order), ``concordance``, ``rating``
        (simulated patient-rated empathy, illustrative 0–100 scale), ``true_coupling`` (the simulator's
        ground truth) and ``simulated`` (always True).

    Examples
    --------
    >>> t = cohort_table()  # doctest: +SKIP
    >>> len(t), bool(t["simulated"].all())  # doctest: +SKIP
    (20, True)

    References
    ----------
    Marci et al. (2007); see the module references.
    """
    if signal not in _SIGNAL_NAMES:
        raise ParameterError(f"signal must be 'eda' (skin conductance) or 'hr' (heart rate); got {signal!r}.")
    return _cohort_table(signal, float(slope_window_s), float(corr_window_s)).copy()


def _fit_line(x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    slope, intercept = np.polyfit(x, y, 1)
    xs = np.array([x.min(), x.max()])
    return pd.DataFrame({"concordance": xs, "rating": intercept + slope * xs})


def cohort_scatter(
    signal: str = "eda", corr_window_s: float = 15.0, *, table: pd.DataFrame | None = None
) -> DemoOutput:
    """Concordance against the simulated rating, with Pearson r, its 95% interval and p.

    Parameters
    ----------
    signal : {"eda", "hr"}, default "eda"
    corr_window_s : float, default 15
        Window of the moving correlation inside the concordance index, seconds.
    table : pandas.DataFrame, optional
        Columns ``concordance`` and ``rating`` (and optionally ``id``); default :func:`cohort_table`.

    Returns
    -------
    DemoOutput
        Datasets ``dyads`` (``id``, ``concordance``, ``rating``) and ``fit`` (least-squares line);
        ``extra["result"]`` is the :class:`~empathy_explorer.stats.CorrelationResult`.

    Examples
    --------
    >>> t = pd.DataFrame({"concordance": [0.1, 0.5, 0.9, 1.2, 1.5], "rating": [30, 42, 50, 70, 66]})
    >>> round(cohort_scatter(table=t).extra["result"].r, 2)
    0.96
    """
    t = cohort_table(signal, corr_window_s=corr_window_s) if table is None else table
    x = t["concordance"].to_numpy(dtype=float)
    y = t["rating"].to_numpy(dtype=float)
    res = pearson_r(x, y)
    ids = t["id"] if "id" in t else [f"dyad {i + 1}" for i in range(len(t))]
    dyads = pd.DataFrame({"id": list(ids), "concordance": x, "rating": y})
    name = _SIGNAL_NAMES.get(signal, signal)
    takeaway = (
        f"Simulated cohort, {name} concordance ({corr_window_s:g} s windows) vs simulated rating: "
        f"{res.describe()}. Published with real patients (Marci 2007, skin conductance): r = {PUBLISHED_R}, "
        f"p = {PUBLISHED_P}, n = {PUBLISHED_N}."
    )
    return DemoOutput({"dyads": dyads, "fit": _fit_line(x, y)}, takeaway, {"result": res})


def cohort_scatter_demo() -> Demo:
    """The notebook demo: signal and correlation window → concordance-vs-rating scatter with r and CI."""
    controls = slider_group(
        "Try it",
        signal=choice("Signal", SIGNALS, value="eda"),
        corr_window_s=labelled_slider(
            "Correlation window inside the concordance index", min=5, max=60, step=5, value=15, unit="s"
        ),
    )
    chart = scatter_chart(
        "dyads",
        x="concordance",
        y="rating",
        line="fit",
        title="Simulated cohort: physiological concordance vs patient-rated empathy, 20 dyads",
        subtitle="Simulated data (not patients); one point per dyad; line: least-squares fit",
        x_title="Concordance index (log ratio, no unit)",
        y_title="Simulated empathy rating (0–100, illustrative)",
        y_domain=(0, 100),
    )
    return Demo(controls, cohort_scatter, chart, filename="cohort-concordance-vs-rating")


# --------------------------------------------------------------------------------------------------
# r as the dyads come in
# --------------------------------------------------------------------------------------------------


def _prefix_r(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson r of the first k pairs for every k = 1..n (NaN while undefined), from running sums."""
    k = np.arange(1, x.size + 1, dtype=float)
    sx, sy = np.cumsum(x), np.cumsum(y)
    sxx = np.cumsum(x * x) - sx * sx / k
    syy = np.cumsum(y * y) - sy * sy / k
    sxy = np.cumsum(x * y) - sx * sy / k
    den = np.sqrt(np.clip(sxx, 0, None) * np.clip(syy, 0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(den > 1e-12 * (1 + np.abs(sxy)), sxy / np.where(den > 0, den, 1.0), np.nan)
    return np.clip(r, -1.0, 1.0)


def recruitment_path(order_seed: int = 0, *, table: pd.DataFrame | None = None, n_min: int = 5) -> DemoOutput:
    """r and its 95% Fisher-z interval after each new dyad, in one recruitment order.

    Parameters
    ----------
    order_seed : int, default 0
        0 keeps the cohort's own order (dyad 1, 2, …); any other number shuffles the order of arrival.
        The final r (all dyads) is the same whatever the order.
    table : pandas.DataFrame, optional
        Columns ``concordance`` and ``rating``; default :func:`cohort_table` (skin conductance).
    n_min : int, default 5
        First number of dyads shown (an interval needs at least 4).

    Returns
    -------
    DemoOutput
        Dataset ``path`` (``dyads``, ``r``, ``line`` in "r so far", "95% CI lower limit",
        "95% CI upper limit") and ``here`` (the values with all dyads).

    Examples
    --------
    >>> t = pd.DataFrame({"concordance": np.arange(8.0), "rating": [1, 3, 2, 5, 4, 7, 6, 8]})
    >>> out = recruitment_path(table=t)
    >>> out.datasets["path"]["dyads"].unique().tolist()
    [5, 6, 7, 8]
    """
    t = cohort_table() if table is None else table
    x = t["concordance"].to_numpy(dtype=float)
    y = t["rating"].to_numpy(dtype=float)
    n = x.size
    if int(order_seed) != order_seed or order_seed < 0:
        raise ParameterError(f"order_seed must be a whole number from 0 up; got {order_seed}.")
    if not 4 <= n_min <= n:
        raise ParameterError(f"n_min must be from 4 to the number of dyads ({n}); got {n_min}.")
    order = np.arange(n) if order_seed == 0 else np.random.default_rng(int(order_seed)).permutation(n)
    r = _prefix_r(x[order], y[order])
    k = np.arange(1, n + 1)
    keep = (k >= n_min) & np.isfinite(r)
    kk, rr = k[keep], np.clip(r[keep], -0.999999, 0.999999)
    half = normal_quantile(0.975) / np.sqrt(kk - 3)
    z = np.arctanh(rr)
    low, high = np.tanh(z - half), np.tanh(z + half)
    path = pd.concat(
        [
            pd.DataFrame({"dyads": kk, "r": rr, "line": "r so far"}),
            pd.DataFrame({"dyads": kk, "r": low, "line": "95% CI lower limit"}),
            pd.DataFrame({"dyads": kk, "r": high, "line": "95% CI upper limit"}),
        ],
        ignore_index=True,
    )
    final = pearson_r(x, y)
    here = pd.DataFrame(
        {
            "dyads": [n, n, n],
            "r": [final.r, final.ci_low, final.ci_high],
            "line": ["r so far", "95% CI lower limit", "95% CI upper limit"],
        }
    )
    lo_r, hi_r = float(rr.min()), float(rr.max())
    order_text = "in the cohort's own order" if order_seed == 0 else f"in shuffled order no. {order_seed}"
    takeaway = (
        f"Adding the simulated dyads one by one {order_text}, r wandered between {lo_r:.2f} and {hi_r:.2f} "
        f"before ending at {final.r:.2f} with all {n} (95% CI {final.ci_low:.2f} to {final.ci_high:.2f}); "
        "only the path changes with the order, never the end point."
    )
    extra = {"min_r": lo_r, "max_r": hi_r, "final": final, "order": order}
    return DemoOutput({"path": path, "here": here}, takeaway, extra)


def recruitment_demo() -> Demo:
    """The notebook demo: a recruitment-order slider → r and its 95% interval as dyads are added."""
    from empathy_explorer.app.charts import OKABE_ITO

    controls = slider_group(
        "Try it",
        order_seed=labelled_slider(
            "Order in which the dyads arrive (0 = as recruited; 1–50 = shuffled)",
            min=0,
            max=50,
            step=1,
            value=0,
            integer=True,
        ),
    )
    chart = line_chart(
        "path",
        x="dyads",
        y="r",
        series="line",
        colors={
            "r so far": OKABE_ITO["blue"],
            "95% CI lower limit": OKABE_ITO["orange"],
            "95% CI upper limit": OKABE_ITO["reddish_purple"],
        },
        points="here",
        hline=0.0,
        title="r of the simulated cohort as the dyads come in, with its 95% interval",
        subtitle="Simulated data; skin-conductance concordance vs simulated rating; dotted line: r = 0",
        x_title="Dyads analysed so far (count)",
        y_title="Pearson r",
        x_domain=(4, 21),
        y_domain=(-1, 1),
    )
    return Demo(controls, recruitment_path, chart, filename="cohort-r-as-dyads-arrive")


# --------------------------------------------------------------------------------------------------
# Resampling the cohort
# --------------------------------------------------------------------------------------------------


def _check_whole(name: str, value: float, low: int, high: int) -> int:
    return as_count(value, name, low=low, high=high)


def resample_r(
    method: str = "bootstrap",
    n: int = 20,
    *,
    n_resamples: int = 2000,
    true_r: float = PUBLISHED_R,
    x: np.ndarray | None = None,
    y: np.ndarray | None = None,
    seed: int = 0,
) -> np.ndarray:
    """Correlations of many resampled cohorts of ``n`` dyads (vectorised).

    Parameters
    ----------
    method : {"bootstrap", "new"}
        ``"bootstrap"``: draw ``n`` dyads with replacement from the cohort ``x``, ``y`` ("what if other
        people like ours had been recruited"; with ``n`` ≠ the cohort size it asks "what if the study
        had had ``n`` such dyads"). ``"new"``: ``n`` pairs from a population with correlation ``true_r``
        (:func:`empathy_explorer.stats.sample_cohort_r`).
    n : int, default 20
        Dyads per resampled cohort (5–200).
    n_resamples : int, default 2000
        Number of cohorts (1–20,000).
    true_r : float, default 0.47
        Population correlation for ``method="new"``.
    x, y : array_like, optional
        The cohort for ``method="bootstrap"`` (default: :func:`cohort_table`, skin conductance).
    seed : int, default 0

    Returns
    -------
    numpy.ndarray
        One r per resample (a bootstrap resample in which one variable is constant has no r and is
        dropped).

    Examples
    --------
    >>> rs = resample_r("new", 20, n_resamples=4000, true_r=0.47, seed=1)
    >>> round(float(np.median(rs)), 1)
    0.5
    """
    n = as_count(n, "n", meaning="dyads per cohort", low=5, high=200)
    n_resamples = as_count(n_resamples, "n_resamples", low=1, high=20_000)
    if method == "new":
        return sample_cohort_r(true_r, n, n_cohorts=n_resamples, seed=seed)[0]
    if method != "bootstrap":
        raise ParameterError(f"method must be 'bootstrap' or 'new'; got {method!r}.")
    if x is None or y is None:
        t = cohort_table()
        x, y = t["concordance"].to_numpy(), t["rating"].to_numpy()
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 1 or x.shape != y.shape or x.size < 4 or not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise InputError("The cohort must be two equal-length lists of at least 4 finite numbers.")
    idx = np.random.default_rng(seed).integers(0, x.size, size=(n_resamples, n))
    r = rowwise_r(x[idx], y[idx])
    return r[np.isfinite(r)]


def critical_r(n: int, alpha: float = 0.05) -> float:
    """Smallest |r| with two-sided p < ``alpha`` in a sample of ``n`` pairs (t-test of r = 0).

    Examples
    --------
    >>> round(critical_r(20), 3)
    0.444
    """
    t = t_quantile(1 - alpha / 2, n - 2)
    return float(t / math.sqrt(n - 2 + t * t))


def _bins(n: int) -> np.ndarray:
    """Histogram edges on [-1, 1] that include ±critical r, so every bar is wholly (non-)significant."""
    rc = critical_r(n)
    return np.unique(np.round(np.concatenate([np.linspace(-1, 1, 41), [-rc, rc]]), 10))


def resampling_summary(
    rs: np.ndarray, n: int, *, reference_r: float, reference_label: str, method: str = "bootstrap"
) -> DemoOutput:
    """Histogram rows and a takeaway for resampled correlations of cohorts of ``n`` dyads.

    Parameters
    ----------
    rs : array_like
        Resampled r values.
    n : int
        Dyads per cohort (sets which r count as p < 0.05).
    reference_r : float
        Drawn as a dashed line (our cohort's r, or the true r).
    reference_label : str
        What the dashed line is, for the takeaway.
    method : str
        "bootstrap" or "new" (only for the wording).

    Returns
    -------
    DemoOutput
        Datasets ``hist`` (``bin_start``, ``bin_end``, ``count``, ``result``: p < 0.05 or not) and
        ``marker`` (``bin_start`` = reference r); ``extra``: ``p2_5``, ``p97_5``, ``sd``,
        ``share_significant``, ``n_resamples``.

    Examples
    --------
    >>> out = resampling_summary(np.array([0.1, 0.5, 0.6]), 20, reference_r=0.47, reference_label="r")
    >>> round(out.extra["share_significant"], 2)
    0.67
    """
    rs = np.asarray(rs, dtype=float)
    rs = rs[np.isfinite(rs)]
    if rs.size == 0:
        raise InputError("No resampled correlation to summarise.")
    edges = _bins(n)
    counts, _ = np.histogram(rs, bins=edges)
    mid = (edges[:-1] + edges[1:]) / 2
    rc = critical_r(n)
    hist = pd.DataFrame(
        {
            "bin_start": edges[:-1],
            "bin_end": edges[1:],
            "count": counts,
            "result": np.where(np.abs(mid) > rc, _SIG_LABEL, _NONSIG_LABEL),
        }
    )
    lo, hi = (float(v) for v in np.percentile(rs, [2.5, 97.5]))
    share_sig = float(np.mean(np.abs(rs) > rc))
    kind = "bootstrap resamples of our simulated cohort" if method == "bootstrap" else "new simulated cohorts"
    takeaway = (
        f"{rs.size:,} {kind} of {n} dyads: the middle 95% of r runs from {lo:.2f} to {hi:.2f} "
        f"({reference_label} {reference_r:.2f}); {share_sig:.0%} of them reach p < 0.05 (|r| > {rc:.2f})."
    )
    extra = {
        "p2_5": lo,
        "p97_5": hi,
        "sd": float(np.std(rs)),
        "share_significant": share_sig,
        "n_resamples": int(rs.size),
    }
    return DemoOutput(
        {"hist": hist, "marker": pd.DataFrame({"bin_start": [float(reference_r)]})}, takeaway, extra
    )


def _histogram_chart(*, colors: dict[str, str], title: str, subtitle: str) -> Callable:
    """Chart factory: histogram bars (bin_start→bin_end, 0→count) coloured by ``result``, dashed marker.

    The bars carry an explicit ``y2 = 0`` so Vega-Lite draws them as columns from zero (a bar with only
    ``x``/``x2`` and ``y`` is drawn as a thin horizontal tick).
    """
    import altair as alt

    from empathy_explorer.app.charts import OKABE_ITO, with_datasets

    def make_chart(datasets):
        x = alt.X("bin_start:Q", title="Pearson r of a resampled cohort", scale=alt.Scale(domain=[-1, 1]))
        bars = (
            alt.Chart(alt.NamedData("hist"))
            .mark_bar(opacity=0.85, clip=True)
            .encode(
                x=x,
                x2="bin_end:Q",
                y=alt.Y("count:Q", title="Number of resampled cohorts", stack=None),
                y2=alt.datum(0),
                color=alt.Color(
                    "result:N",
                    title="Resampled cohort",
                    scale=alt.Scale(domain=list(colors), range=list(colors.values())),
                ),
                tooltip=[
                    alt.Tooltip("bin_start:Q", title="r from", format=".2f"),
                    alt.Tooltip("bin_end:Q", title="r to", format=".2f"),
                    alt.Tooltip("count:Q", title="cohorts"),
                ],
            )
        )
        marker = (
            alt.Chart(alt.NamedData("marker"))
            .mark_rule(strokeDash=[5, 4], strokeWidth=2, color=OKABE_ITO["black"])
            .encode(x=alt.X("bin_start:Q"))
        )
        chart = alt.layer(bars, marker).properties(
            title=alt.TitleParams(title, subtitle=subtitle), height=240
        )
        return with_datasets(chart, dict(datasets))

    return make_chart


class ResamplingDemo(widgets.VBox):
    """Resample the cohort on a button click, with a progress bar; the histogram fills in as it runs.

    Parameters
    ----------
    x, y : array_like, optional
        The cohort's concordance and rating (default: :func:`cohort_table`, skin conductance).
    chunks : int, default 10
        The resamples are drawn in this many steps; the progress bar and the chart update after each.

    Attributes
    ----------
    controls : ControlGroup
        ``method``, ``n``, ``true_r``, ``n_resamples``.
    button : ipywidgets.Button
    progress : ipywidgets.IntProgress
    panel : ChartPanel
    takeaway : ipywidgets.HTML
    output : DemoOutput
        The last summary.
    """

    def __init__(self, x: np.ndarray | None = None, y: np.ndarray | None = None, *, chunks: int = 10) -> None:
        from empathy_explorer.app.charts import OKABE_ITO, ChartPanel
        from empathy_explorer.app.widgets import takeaway_html

        if x is None or y is None:
            t = cohort_table()
            x, y = t["concordance"].to_numpy(), t["rating"].to_numpy()
        self.x = np.asarray(x, dtype=float)
        self.y = np.asarray(y, dtype=float)
        self.observed_r = pearson_r(self.x, self.y).r
        self.chunks = _check_whole("chunks", chunks, 1, 100)
        self.runs = 0
        self._html: Callable[..., str] = takeaway_html
        self.controls = slider_group(
            "Try it",
            method=choice("Resampling", _METHODS, value="bootstrap"),
            n=labelled_slider("Dyads per resampled cohort", min=5, max=200, step=1, value=20, integer=True),
            true_r=labelled_slider(
                "True r of the population (new cohorts only)", min=0.0, max=0.9, step=0.01, value=PUBLISHED_R
            ),
            n_resamples=labelled_slider(
                "Number of resampled cohorts", min=500, max=10_000, step=500, value=2000, integer=True
            ),
        )
        self.button = widgets.Button(
            description="Resample", button_style="primary", tooltip="Draw the resampled cohorts", icon=""
        )
        self.button.on_click(lambda _b: self.run())
        self.progress = widgets.IntProgress(
            value=0, min=0, max=self.chunks, description="Progress", layout=widgets.Layout(width="480px")
        )
        first = self._summary(np.array([self.observed_r]))
        chart = _histogram_chart(
            colors={_SIG_LABEL: OKABE_ITO["blue"], _NONSIG_LABEL: OKABE_ITO["orange"]},
            title="How much r moves when the cohort is resampled",
            subtitle="Simulated data; dashed line: our cohort's r (bootstrap) or the true r (new cohorts)",
        )
        self.output = first
        self.panel = ChartPanel(chart(first.datasets), filename="cohort-resampled-r")
        self.takeaway = widgets.HTML(
            self._html("Choose the settings and press Resample: each press draws new cohorts.")
        )
        self.takeaway.add_class("ee-takeaway")
        self.panel.describe_from(self.takeaway)
        super().__init__(
            children=[self.controls, widgets.HBox([self.button, self.progress]), self.panel, self.takeaway]
        )
        self.add_class("ee-demo")

    def _reference(self) -> tuple[float, str]:
        if self.controls["method"].value == "new":
            return float(self.controls["true_r"].value), "true r"
        return float(self.observed_r), "our cohort's r"

    def _summary(self, rs: np.ndarray) -> DemoOutput:
        ref, label = self._reference()
        return resampling_summary(
            rs,
            int(self.controls["n"].value),
            reference_r=ref,
            reference_label=label,
            method=self.controls["method"].value,
        )

    def run(self, seed: int | None = None) -> DemoOutput:
        """Draw the resamples chunk by chunk, updating the progress bar and the histogram in place.

        Parameters
        ----------
        seed : int, optional
            Default: a new seed for every press (0, 1, 2, …), so each press shows other cohorts.

        Returns
        -------
        DemoOutput
            The final summary (also in :attr:`output`).
        """
        values = self.controls.values
        seed = self.runs if seed is None else int(seed)
        self.runs += 1
        total = int(values["n_resamples"])
        sizes = np.diff(np.linspace(0, total, self.chunks + 1).round().astype(int))
        self.button.disabled = True
        self.progress.max = self.chunks
        self.progress.value = 0
        parts: list[np.ndarray] = []
        try:
            for i, size in enumerate(sizes):
                if size > 0:
                    parts.append(
                        resample_r(
                            values["method"],
                            int(values["n"]),
                            n_resamples=int(size),
                            true_r=float(values["true_r"]),
                            x=self.x,
                            y=self.y,
                            seed=seed * 1000 + i,
                        )
                    )
                out = self._summary(np.concatenate(parts) if parts else np.array([self.observed_r]))
                self.panel.update_data(**dict(out.datasets))
                self.progress.value = i + 1
        except (ParameterError, InputError) as err:
            self.takeaway.value = self._html(f"These settings cannot be used: {err}", warn=True)
            return self.output
        finally:
            self.button.disabled = False
        self.output = out
        self.takeaway.value = self._html(out.takeaway)
        return out


def resampling_demo() -> ResamplingDemo:
    """The notebook demo: a button that resamples the simulated cohort, with progress and a histogram."""
    return ResamplingDemo()


# --------------------------------------------------------------------------------------------------
# What a study of n dyads can show: power and the significance filter
# --------------------------------------------------------------------------------------------------

_N_GRID = np.unique(np.concatenate([np.arange(10, 151, 10), [20]]))


def significance_filter(
    true_r: float = 0.3, n: int = 20, *, n_cohorts: int = 2000, seed: int = 0
) -> DemoOutput:
    """How often simulated studies reach p < 0.05, and the average r of those that do, by study size.

    For each study size on a grid (10–150 dyads, and 20), ``n_cohorts`` simulated studies are drawn from
    a population with correlation ``true_r`` (:func:`empathy_explorer.stats.sample_cohort_r`).

    Parameters
    ----------
    true_r : float, default 0.3
        The population correlation (0–0.9).
    n : int, default 20
        The study size marked on the chart (10–150).
    n_cohorts : int, default 2000
        Simulated studies per size.
    seed : int, default 0

    Returns
    -------
    DemoOutput
        Dataset ``curves`` (``dyads``, ``value``, ``line``: "Share of studies with r > 0 and p < 0.05",
        "Average r of the significant studies", "True r") and ``here`` (the values at ``n``);
        ``extra``: ``power`` and ``mean_sig_r`` at ``n``.

    Examples
    --------
    >>> out = significance_filter(0.3, 20)
    >>> out.extra["mean_sig_r"] > 0.3
    True
    """
    if not 0.0 <= float(true_r) <= 0.9:
        raise ParameterError(f"true_r must be from 0 to 0.9; got {true_r}.")
    n = _check_whole("n (dyads per study)", n, 10, 150)
    grid = np.unique(np.concatenate([_N_GRID, [n]]))
    power = np.empty(grid.size)
    mean_sig = np.full(grid.size, np.nan)
    for j, size in enumerate(grid):  # one vectorised draw per study size (a handful of sizes)
        r, _p, sig = sample_cohort_r(float(true_r), int(size), n_cohorts=n_cohorts, seed=seed + int(size))
        hits = sig & (r > 0)  # significant in the expected (positive) direction
        power[j] = hits.mean()
        if hits.any():
            mean_sig[j] = r[hits].mean()
    curves = pd.concat(
        [
            pd.DataFrame({"dyads": grid, "value": power, "line": "Share of studies with r > 0 and p < 0.05"}),
            pd.DataFrame({"dyads": grid, "value": mean_sig, "line": "Average r of the significant studies"}),
            pd.DataFrame({"dyads": grid, "value": float(true_r), "line": "True r"}),
        ],
        ignore_index=True,
    )
    at = int(np.flatnonzero(grid == n)[0])
    here = curves[curves["dyads"] == n].reset_index(drop=True)
    p_n, m_n = float(power[at]), float(mean_sig[at])
    mean_text = "none reached it" if math.isnan(m_n) else f"those that did reported r = {m_n:.2f} on average"
    takeaway = (
        f"If the true r were {float(true_r):.2f}, {p_n:.0%} of simulated studies with {n} dyads would reach "
        f"p < 0.05, and {mean_text}: a significant small study tends to overstate the correlation."
    )
    return DemoOutput({"curves": curves, "here": here}, takeaway, {"power": p_n, "mean_sig_r": m_n})


def significance_filter_demo() -> Demo:
    """The notebook demo: true r and study size → power and the inflated r of significant studies."""
    from empathy_explorer.app.charts import OKABE_ITO

    controls = slider_group(
        "Try it",
        true_r=labelled_slider("True correlation in the population", min=0.0, max=0.9, step=0.05, value=0.3),
        n=labelled_slider("Dyads per study", min=10, max=150, step=10, value=20, integer=True),
    )
    chart = line_chart(
        "curves",
        x="dyads",
        y="value",
        series="line",
        colors={
            "Share of studies with r > 0 and p < 0.05": OKABE_ITO["blue"],
            "Average r of the significant studies": OKABE_ITO["vermillion"],
            "True r": OKABE_ITO["black"],
        },
        dashed="True r",
        points="here",
        title="Simulated studies: how often p < 0.05, and how big the 'significant' r looks",
        subtitle="Simulated data; 2,000 simulated studies per study size; dashed: the true r",
        x_title="Dyads per study (count)",
        y_title="Share of studies (0–1) or r",
        x_domain=(0, 155),
        y_domain=(0, 1),
    )
    return Demo(controls, significance_filter, chart, filename="significance-filter")
