"""Notebook 06, "Re-run the MGH analysis": the simulated 20-dyad cohort, its r and how unstable r is.

Marci, Ham, Moran & Orr (2007) recorded skin conductance from 20 patient–therapist dyads during one live
session and found that skin-conductance concordance correlated with the patient's rating of the
therapist's empathy, r = 0.47, p = 0.03. This page re-runs that analysis on the **simulated** cohort
bundled in ``data/`` (``cohort-01`` … ``cohort-20``; see ``data/README.md``). Its demos live in two
modules; this one holds the resampling and the significance filter and re-exports the rest, so the
notebook imports everything from here:

- :mod:`~empathy_explorer.lessons.cohort_data`: :func:`cohort_table` (concordance, simulated rating and
  true coupling per dyad), :func:`cohort_scatter` / :func:`cohort_scatter_demo` (concordance against
  rating with r, its 95% interval and p) and :func:`recruitment_path` / :func:`recruitment_demo` (r as
  the dyads come in one by one).
- :func:`resample_r` / :func:`resampling_summary` / :class:`ResamplingDemo` -- a button that resamples the
  cohort (bootstrap of our 20 dyads, or brand-new cohorts from a population with a known correlation), with
  a progress bar, and a histogram of the resulting r.
- :func:`significance_filter` / :func:`significance_filter_demo` -- how often a study of n dyads reaches
  p < 0.05, and how much the "significant" studies overestimate the true correlation.

Every compute function is a plain function returning a :class:`~empathy_explorer.app.widgets.DemoOutput`;
the widgets only call them (tests call them directly).

References
----------
Full entries in ``docs/references.bib``: ``marci2007`` (the published cohort), ``efron1979`` (the
bootstrap) and ``schonbrodt2013`` (at what sample size correlations stabilise).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import ipywidgets as widgets
import numpy as np
import pandas as pd

from empathy_explorer.app.charts import BinTooltip, ChartFactory, histogram_chart, line_chart
from empathy_explorer.app.widgets import Demo, DemoOutput, choice, labelled_slider, slider_group
from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.lessons._page import lesson_demo, long_frame
from empathy_explorer.lessons.cohort_data import (
    PUBLISHED_N,
    PUBLISHED_P,
    PUBLISHED_R,
    SIGNALS,
    cohort_scatter,
    cohort_scatter_demo,
    cohort_table,
    recruitment_demo,
    recruitment_path,
)
from empathy_explorer.stats import pearson_r, rowwise_r, sample_cohort_r, t_quantile
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

_SIG_LABEL = "p < 0.05 (“significant”)"
_NONSIG_LABEL = "p ≥ 0.05"
_METHODS = {
    "Bootstrap: draw dyads from our 20, with replacement": "bootstrap",
    "New cohorts from a population with a known true r": "new",
}


# --------------------------------------------------------------------------------------------------
# Resampling the cohort
# --------------------------------------------------------------------------------------------------


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


def _histogram_chart(*, colors: dict[str, str], title: str, subtitle: str) -> ChartFactory:
    """The resampled-r histogram: bars coloured by ``result`` (significant or not), the reference r dashed."""
    return histogram_chart(
        "hist",
        marker="marker",
        series="result",
        series_title="Resampled cohort",
        colors=colors,
        title=title,
        subtitle=subtitle,
        x_title="Pearson r of a resampled cohort",
        y_title="Number of resampled cohorts",
        x_domain=(-1.0, 1.0),
        tooltip=BinTooltip("r from", "r to", "cohorts", ".2f"),
    )


class ResamplingDemo(widgets.VBox):
    """Resample the cohort on a button click, with a progress bar; the histogram fills in as it runs.

    The button and the progress bar are the pages' shared long-job widget
    (:class:`~empathy_explorer.app.jobs.LongJob`); settings the resampling refuses are shown in the takeaway.

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
    job : empathy_explorer.app.jobs.LongJob
        The button and the progress bar.
    panel : ChartPanel
    takeaway : ipywidgets.HTML
    output : DemoOutput
        The last summary.
    """

    def __init__(self, x: np.ndarray | None = None, y: np.ndarray | None = None, *, chunks: int = 10) -> None:
        from empathy_explorer.app.charts import OKABE_ITO, ChartPanel
        from empathy_explorer.app.jobs import takeaway_job
        from empathy_explorer.app.widgets import takeaway_html

        if x is None or y is None:
            t = cohort_table()
            x, y = t["concordance"].to_numpy(), t["rating"].to_numpy()
        self.x = np.asarray(x, dtype=float)
        self.y = np.asarray(y, dtype=float)
        self.observed_r = pearson_r(self.x, self.y).r
        self.chunks = as_count(chunks, "chunks", low=1, high=100)
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
        first = self._summary(np.array([self.observed_r]))
        chart = _histogram_chart(
            colors={_SIG_LABEL: OKABE_ITO["blue"], _NONSIG_LABEL: OKABE_ITO["orange"]},
            title="How much r moves when the cohort is resampled",
            subtitle="Simulated data; dashed line: our cohort's r (bootstrap) or the true r (new cohorts)",
        )
        self.output = first
        self.panel = ChartPanel(chart(first.datasets), filename="cohort-resampled-r")
        self.job = takeaway_job(
            self.button,
            self.panel,
            "Choose the settings and press Resample: each press draws new cohorts.",
            refused="These settings cannot be used",
            description="Progress",
            name="resampling-demo",
        )
        self.takeaway, self.progress = self.job.status, self.job.progress
        self.progress.max = self.chunks
        self.progress.layout.width = "480px"
        super().__init__(children=[self.controls, self.job, self.panel, self.takeaway])
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
        v = self.controls.values
        seed = self.runs if seed is None else int(seed)
        self.runs += 1
        settings = (str(v["method"]), int(v["n"]), int(v["n_resamples"]), float(v["true_r"]), seed)
        self.job.start(lambda report: self._resample(*settings, report), self._show, total=self.chunks)
        return self.output

    def _resample(
        self,
        method: str,
        n: int,
        n_resamples: int,
        true_r: float,
        seed: int,
        report: Callable[[int, int], None],
    ) -> DemoOutput:
        """Draw ``n_resamples`` in :attr:`chunks` steps; the histogram shows each step as it comes."""
        sizes = np.diff(np.linspace(0, n_resamples, self.chunks + 1).round().astype(int))
        parts: list[np.ndarray] = []
        out = self.output
        for i, size in enumerate(sizes):
            if size > 0:
                parts.append(
                    resample_r(
                        method,
                        n,
                        n_resamples=int(size),
                        true_r=true_r,
                        x=self.x,
                        y=self.y,
                        seed=seed * 1000 + i,
                    )
                )
            out = self._summary(np.concatenate(parts) if parts else np.array([self.observed_r]))
            self.panel.update_data(**dict(out.datasets))
            report(i + 1, self.chunks)
        return out

    def _show(self, out: DemoOutput) -> str:
        self.output = out
        return self._html(out.takeaway)


def resampling_demo() -> ResamplingDemo:
    """The notebook demo: a button that resamples the simulated cohort, with progress and a histogram."""
    return ResamplingDemo()


# --------------------------------------------------------------------------------------------------
# What a study of n dyads can show: power and the significance filter
# --------------------------------------------------------------------------------------------------

_POWER_LINES = ("Share of studies with r > 0 and p < 0.05", "Average r of the significant studies", "True r")
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
    n = as_count(n, "n (dyads per study)", low=10, high=150)
    grid = np.unique(np.concatenate([_N_GRID, [n]]))
    power = np.empty(grid.size)
    mean_sig = np.full(grid.size, np.nan)
    for j, size in enumerate(grid):  # one vectorised draw per study size (a handful of sizes)
        r, _p, sig = sample_cohort_r(float(true_r), int(size), n_cohorts=n_cohorts, seed=seed + int(size))
        hits = sig & (r > 0)  # significant in the expected (positive) direction
        power[j] = hits.mean()
        if hits.any():
            mean_sig[j] = r[hits].mean()
    curves = long_frame(
        "dyads", grid, "value", "line", dict(zip(_POWER_LINES, (power, mean_sig, float(true_r)), strict=True))
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

    return lesson_demo(
        significance_filter,
        line_chart(
            "curves",
            x="dyads",
            y="value",
            series="line",
            colors=dict(
                zip(
                    _POWER_LINES,
                    (OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["black"]),
                    strict=True,
                )
            ),
            dashed="True r",
            points="here",
            title="Simulated studies: how often p < 0.05, and how big the 'significant' r looks",
            subtitle="Simulated data; 2,000 simulated studies per study size; dashed: the true r",
            x_title="Dyads per study (count)",
            y_title="Share of studies (0–1) or r",
            x_domain=(0, 155),
            y_domain=(0, 1),
        ),
        filename="significance-filter",
        true_r=labelled_slider("True correlation in the population", min=0.0, max=0.9, step=0.05, value=0.3),
        n=labelled_slider("Dyads per study", min=10, max=150, step=10, value=20, integer=True),
    )
