"""Notebook 09's tables: the class's tests, every round, and the class next to the published study (HTML).

Part of :mod:`empathy_explorer.lessons.class_data`, which re-exports :func:`test_table_html`,
:func:`class_table_html` and :func:`comparison_html`. Plain functions of the analysis (tests call them).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np

from empathy_explorer.games.pooling import KIND_LABELS, ClassAnalysis, KindTest, published_comparison

__all__ = ["class_table_html", "comparison_html", "fmt", "fmt_p", "test_table_html"]


def fmt(value: float, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals, or "–" when it is missing or not finite."""
    return "–" if value is None or not np.isfinite(value) else f"{value:.{digits}f}"


def fmt_p(p: float) -> str:
    """A p-value as the tables show it: three decimals, "< 0.001", or "–" when it is not finite."""
    return "–" if not np.isfinite(p) else ("< 0.001" if p < 0.001 else f"{p:.3f}")


def _table(caption: str, header: Sequence[str], rows: Sequence[Sequence[str]], cls: str) -> str:
    head = "".join(
        f"<th scope='col' style='text-align:left;padding:2px 8px'>{html.escape(h)}</th>" for h in header
    )
    body = "".join(
        "<tr>"
        + "".join(
            (f"<th scope='row' style='text-align:left;padding:2px 8px'>{html.escape(c)}</th>" if k == 0 else
             f"<td style='padding:2px 8px'>{html.escape(c)}</td>")
            for k, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )  # fmt: skip
    return (
        f"<table class='{cls}' style='border-collapse:collapse'><caption style='text-align:left;"
        f"font-weight:600'>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def test_table_html(analysis: ClassAnalysis) -> str:
    """One row per round kind: pairs, real and pseudo means, difference with its CI, effect size, p."""
    rows = [
        [
            KIND_LABELS[t.kind],
            str(t.n_pairs),
            fmt(t.mean_real),
            fmt(t.mean_pseudo),
            f"{fmt(t.mean_excess)} ({fmt(t.ci_low)} to {fmt(t.ci_high)})",
            fmt(t.effect_size, 1),
            fmt_p(t.p_value),
        ]
        for t in analysis.tests.values()
    ]
    if not rows:
        return (
            "<p><i>No round kind has rounds of at least 3 pairs yet, so there is no pseudo-pair test.</i></p>"
        )
    return _table(
        "Real pairs against pseudo-pairs, per round kind (synchrony = mean peak r of the velocities)",
        ["Round kind", "Pairs", "Real pairs", "Pseudo-pairs", "Difference (95% CI)", "Effect size (SD)", "p"],
        rows,
        "ee-class-tests",
    )


def class_table_html(analysis: ClassAnalysis) -> str:
    """Every round: pair, kind, players, length, synchrony, lag and whether it is in the test."""
    t = analysis.table
    rows = [
        [
            str(r.pair),
            KIND_LABELS.get(r.kind, r.kind),
            f"{r.player_a} / {r.player_b}",
            f"{r.duration_s:.0f}",
            fmt(r.sync_r),
            fmt(r.lag_ms, 0),
            "yes" if r.in_test else "no",
        ]
        for r in t.itertuples()
    ]
    table = _table(
        f"The class's rounds ({len(rows)}): positive lag = B follows A",
        ["Pair", "Round kind", "Players", "Length (s)", "Synchrony (mean peak r)", "Lag (ms)", "In the test"],
        rows,
        "ee-class-table",
    )
    return (
        "<div role='region' aria-label='Table of the class rounds' tabindex='0' "
        f"style='max-height:320px;overflow:auto;max-width:100%'>{table}</div>"
    )


def comparison_html(test: KindTest | None) -> str:
    """The class's design and interval next to Marci et al. (2007), with what more pairs would change."""
    if test is None:
        return ""
    table = published_comparison(test)
    rows = [
        [
            str(r.study),
            str(r.pairs),
            str(r.question),
            fmt(r.estimate),
            f"{fmt(r.ci_low)} to {fmt(r.ci_high)} (width {fmt(r.ci_width)})",
            fmt_p(r.p_value),
        ]
        for r in table.itertuples()
    ]
    return _table(
        "The class next to the published study",
        ["Study", "Pairs", "Question", "Estimate", "95% CI", "p"],
        rows,
        "ee-class-compare",
    )
