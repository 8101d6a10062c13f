"""Notebook 06, the cohort itself: the 20 simulated dyads, concordance against rating, and r as dyads arrive.

Part of :mod:`empathy_explorer.lessons.cohort`, which re-exports every public name here for the notebook:

- :func:`cohort_table` -- per dyad: concordance (``empathy_explorer.synchrony.concordance_index``), the
  simulated patient rating and the simulator's true coupling.
- :func:`cohort_scatter` / :func:`cohort_scatter_demo` -- concordance against rating, with r, its 95%
  Fisher-z interval and the p-value.
- :func:`recruitment_path` / :func:`recruitment_demo` -- r and its interval as the dyads come in one by
  one (the "evolution of a correlation", ``schonbrodt2013`` in ``docs/references.bib``).

The published study re-run here is ``marci2007`` (skin-conductance concordance against patient-rated
empathy in 20 dyads, r = 0.47, p = 0.03).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from empathy_explorer.app.charts import line_chart, scatter_chart
from empathy_explorer.app.widgets import Demo, DemoOutput, choice, labelled_slider
from empathy_explorer.errors import ParameterError
from empathy_explorer.lessons._page import SIGNAL_NAMES as _SIGNAL_NAMES
from empathy_explorer.lessons._page import lesson_demo, long_frame
from empathy_explorer.sessions import cohort_sessions
from empathy_explorer.stats import normal_quantile, pearson_r

__all__ = [
    "PUBLISHED_N",
    "PUBLISHED_P",
    "PUBLISHED_R",
    "SIGNALS",
    "cohort_scatter",
    "cohort_scatter_demo",
    "cohort_table",
    "recruitment_demo",
    "recruitment_path",
]

#: Marci et al. (2007): skin-conductance concordance vs patient-rated empathy in 20 dyads.
PUBLISHED_R, PUBLISHED_P, PUBLISHED_N = 0.47, 0.03, 20

#: Signals of the cohort sessions, as shown in the drop-down (label -> session signal kind).
SIGNALS: dict[str, str] = {"Skin conductance (as in Marci 2007)": "eda", "Heart rate": "hr"}

_CI_LINES = ("r so far", "95% CI lower limit", "95% CI upper limit")

# --------------------------------------------------------------------------------------------------
# The cohort
# --------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def _cohort_table(signal: str, slope_window_s: float, corr_window_s: float) -> pd.DataFrame:
    from empathy_explorer.synchrony import concordance_index

    rows = []
    for i, s in enumerate(cohort_sessions()):
        x, y = s.pair(signal)
        res = concordance_index(
            np.asarray(x), np.asarray(y), s.fs, slope_window_s=slope_window_s, corr_window_s=corr_window_s
        )
        rows.append(
            {
                "id": s.id,
                "dyad": i + 1,
                "concordance": float(res.index),
                "rating": float(s.rating) if s.rating is not None else np.nan,
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
    return lesson_demo(
        cohort_scatter,
        scatter_chart(
            "dyads",
            x="concordance",
            y="rating",
            line="fit",
            title="Simulated cohort: physiological concordance vs patient-rated empathy, 20 dyads",
            subtitle="Simulated data (not patients); one point per dyad; line: least-squares fit",
            x_title="Concordance index (log ratio, no unit)",
            y_title="Simulated empathy rating (0–100, illustrative)",
            y_domain=(0, 100),
        ),
        filename="cohort-concordance-vs-rating",
        signal=choice("Signal", SIGNALS, value="eda"),
        corr_window_s=labelled_slider(
            "Correlation window inside the concordance index", min=5, max=60, step=5, value=15, unit="s"
        ),
    )


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
    path = long_frame("dyads", kk, "r", "line", dict(zip(_CI_LINES, (rr, low, high), strict=True)))
    final = pearson_r(x, y)
    here = pd.DataFrame({"dyads": [n, n, n], "r": [final.r, final.ci_low, final.ci_high], "line": _CI_LINES})
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

    return lesson_demo(
        recruitment_path,
        line_chart(
            "path",
            x="dyads",
            y="r",
            series="line",
            colors=dict(
                zip(
                    _CI_LINES,
                    (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["reddish_purple"]),
                    strict=True,
                )
            ),
            points="here",
            hline=0.0,
            title="r of the simulated cohort as the dyads come in, with its 95% interval",
            subtitle="Simulated data; skin-conductance concordance vs simulated rating; dotted line: r = 0",
            x_title="Dyads analysed so far (count)",
            y_title="Pearson r",
            x_domain=(4, 21),
            y_domain=(-1, 1),
        ),
        filename="cohort-r-as-dyads-arrive",
        order_seed=labelled_slider(
            "Order in which the dyads arrive (0 = as recruited; 1–50 = shuffled)",
            min=0,
            max=50,
            step=1,
            value=0,
            integer=True,
        ),
    )
