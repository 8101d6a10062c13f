"""Notebook 09, "The class's own data": pool every pair's rounds and test them against pseudo-pairs.

The page turns the mirror-game and tapping rounds a workshop has just played (page 08) into the lesson of
notebook 06 with real data: are real pairs more in sync than chance pairings of people who never played
together? The facilitator (or anyone) uploads many round files at once, several CSVs or one ZIP, and the
page shows, per round kind, the real pairs' synchrony against every pseudo-pair, an effect size and a
p-value, leader/follower rounds against joint rounds, and how wide the class's confidence interval is
next to the 20 dyads of Marci et al. (2007). Without uploads it shows a clearly labelled **simulated**
example class (12 pairs of virtual players with known couplings).

- :class:`ClassDataPage` -- the page: upload, example class, progress bar, table, three charts, export.
- :func:`distribution_rows`, :func:`led_joint_rows`, :func:`ci_rows` and, from
  :mod:`~empathy_explorer.lessons.class_data_tables`, :func:`test_table_html`, :func:`class_table_html`,
  :func:`comparison_html` -- plain functions that build what the page shows (tests call them directly).

All computation is in :mod:`empathy_explorer.games.pooling`. Privacy: rounds carry pair and player labels
only; the page keeps the uploaded rounds in this page's memory (nothing is written to disk) and its export
holds no more than the uploads did (no file names, which might contain a name).

References
----------
Full entries in ``docs/references.bib``: ``bernieri1988`` (pseudo-pairs), ``marci2007`` (the 20 dyads)
and ``tschacher2020`` (SUSY's effect size).
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from empathy_explorer.app.jobs import guarded
from empathy_explorer.errors import InputError
from empathy_explorer.games.pooling import (
    KIND_LABELS,
    ClassAnalysis,
    ClassData,
    ClassRound,
    KindTest,
    LedJointComparison,
    analyse_class,
    example_class,
    pool_rounds,
    projected_ci,
    read_class_files,
)
from empathy_explorer.lessons.class_data_tables import class_table_html, comparison_html, test_table_html
from empathy_explorer.lessons.class_data_tables import fmt as _fmt
from empathy_explorer.lessons.class_data_tables import fmt_p as _p

__all__ = [
    "EXAMPLES",
    "ClassDataPage",
    "ci_rows",
    "class_data_page",
    "class_table_html",
    "comparison_html",
    "distribution_rows",
    "led_joint_rows",
    "test_table_html",
]


#: The example classes of the drop-down (label -> couplings; None = the known spread 0.35–0.9).
EXAMPLES: dict[str, float | None] = {
    "Simulated class: the followers follow (known couplings 0.35–0.9)": None,
    "Simulated class: nobody follows anybody (all couplings 0)": 0.0,
}
REAL, PSEUDO = "Real pairs", "Pseudo-pairs (never played together)"
GENERIC_ERROR = (
    "Something went wrong with these files. Nothing was lost: the page still shows the class before."
)
_STYLE = {"description_width": "initial"}
PRIVACY_TEXT = (
    "Privacy: round files carry pair and player labels only (P03, A, B), never names; use labels, not "
    "names, in file names too. Uploaded rounds stay in this page's memory and are not written to disk; "
    "closing the page forgets them. The CSV export holds the labels, round kinds and numbers, nothing more."
)


# --------------------------------------------------------------------------------------------------
# What the charts and tables show (plain functions)
# --------------------------------------------------------------------------------------------------


def distribution_rows(test: KindTest | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of the strip chart: one per real pair and per pseudo-pair, and the two means.

    Returns
    -------
    (pairs, means) : pandas.DataFrame
        ``pairs``: ``group`` (real or pseudo), ``value`` (mean peak r), ``who`` (e.g. "A of P01 with B of
        P03"); ``means``: ``group``, ``value``.
    """
    if test is None or test.pair_values is None:
        return (pd.DataFrame({"group": [], "value": [], "who": []}), pd.DataFrame({"group": [], "value": []}))
    n = test.n_pairs
    real = pd.DataFrame({"group": REAL, "value": test.real, "who": [f"pair {p}" for p in test.pairs]})
    values = test.pair_values
    ii, jj = np.nonzero(~np.eye(n, dtype=bool) & np.isfinite(values))
    pseudo = pd.DataFrame(
        {
            "group": PSEUDO,
            "value": values[ii, jj],
            "who": [f"A of {test.pairs[i]} with B of {test.pairs[j]}" for i, j in zip(ii, jj, strict=True)],
        }
    )
    means = pd.DataFrame({"group": [REAL, PSEUDO], "value": [test.mean_real, test.mean_pseudo]})
    return pd.concat([real, pseudo], ignore_index=True), means


def led_joint_rows(cmp: LedJointComparison | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of the leader/follower-vs-joint scatter (one point per pair) and its diagonal."""
    if cmp is None:
        return pd.DataFrame({"pair": [], "led": [], "joint": []}), pd.DataFrame({"led": [], "joint": []})
    points = pd.DataFrame({"pair": list(cmp.pairs), "led": cmp.led, "joint": cmp.joint})
    lo = float(min(cmp.led.min(), cmp.joint.min(), 0.0))
    return points, pd.DataFrame({"led": [lo, 1.0], "joint": [lo, 1.0]})


def ci_rows(test: KindTest | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of the "more pairs" chart: the 95% interval of real-minus-pseudo against the number of pairs."""
    if test is None or test.n_pairs < 2:
        return pd.DataFrame({"pairs": [], "value": [], "line": []}), pd.DataFrame({"pairs": [], "value": []})
    proj = projected_ci(test, n_pairs=(3, 5, 10, 15, 20, 30, 40, 60, 80))
    lines = pd.concat(
        [
            pd.DataFrame({"pairs": proj["pairs"], "value": proj["ci_low"], "line": "95% CI lower limit"}),
            pd.DataFrame({"pairs": proj["pairs"], "value": proj["ci_high"], "line": "95% CI upper limit"}),
            pd.DataFrame(
                {"pairs": proj["pairs"], "value": test.mean_excess, "line": "This class's difference"}
            ),
        ],
        ignore_index=True,
    )
    here = proj[proj["is_class"]]
    points = pd.DataFrame({"pairs": list(here["pairs"]) * 2, "value": [*here["ci_low"], *here["ci_high"]]})
    return lines, points


def _ci_takeaway(test: KindTest) -> str:
    proj = projected_ci(test, n_pairs=(test.n_pairs * 4,)).set_index("pairs")
    w_now = float(proj.loc[test.n_pairs, "width"])
    w_4x = float(proj.loc[test.n_pairs * 4, "width"])
    return (
        f"With {test.n_pairs} pairs the 95% interval of the difference is {w_now:.2f} wide; with "
        f"{4 * test.n_pairs} pairs like these it would be about {w_4x:.2f} (half as wide: the width shrinks "
        "with the square root of the number of pairs). Marci et al. (2007) had 20 dyads: their r = 0.47 had "
        "an interval from 0.03 to 0.76."
    )


# --------------------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------------------


def _strip_chart(datasets: Mapping[str, pd.DataFrame], *, simulated: bool) -> Any:
    import altair as alt

    from empathy_explorer.app.charts import OKABE_ITO, with_datasets

    colors = {REAL: OKABE_ITO["vermillion"], PSEUDO: OKABE_ITO["sky_blue"]}
    scale = alt.Scale(domain=list(colors), range=list(colors.values()))
    y = alt.Y("group:N", title=None, sort=[REAL, PSEUDO], axis=alt.Axis(labelLimit=320))
    x = alt.X(
        "value:Q",
        title="Synchrony of the pair (mean peak r of the velocities)",
        scale=alt.Scale(domain=[-0.2, 1]),
    )
    ticks = (
        alt.Chart(alt.NamedData("pairs"))
        .mark_tick(thickness=2, size=26, opacity=0.75, clip=True)
        .encode(
            x=x,
            y=y,
            color=alt.Color("group:N", title=None, scale=scale, legend=None),
            tooltip=[alt.Tooltip("who:N", title="Who"), alt.Tooltip("value:Q", title="r", format=".2f")],
        )
    )
    means = (
        alt.Chart(alt.NamedData("means"))
        .mark_tick(thickness=5, size=40, color=OKABE_ITO["black"])
        .encode(x=x, y=y, tooltip=[alt.Tooltip("value:Q", title="mean", format=".2f")])
    )
    source = "SIMULATED example class" if simulated else "Your class's rounds"
    chart = alt.layer(ticks, means).properties(
        title=alt.TitleParams(
            "Real pairs against pseudo-pairs",
            subtitle=f"{source}; one tick per pair; black: the mean of each group",
        ),
        height=130,
    )
    return with_datasets(chart, dict(datasets))


def _led_chart(datasets: Mapping[str, pd.DataFrame], *, simulated: bool) -> Any:
    from empathy_explorer.app.charts import scatter_chart

    source = "SIMULATED example class" if simulated else "Your class's rounds"
    return scatter_chart(
        "points",
        x="led",
        y="joint",
        line="diagonal",
        title="Each pair: rounds with a leader against rounds without one",
        subtitle=f"{source}; one point per pair; above the line: more in sync without a leader",
        x_title="Synchrony with a leader (mean of 'A leads' and 'B leads')",
        y_title="Synchrony without a leader (joint)",
        x_domain=(-0.2, 1.0),
        y_domain=(-0.2, 1.0),
    )(datasets)


def _ci_chart(datasets: Mapping[str, pd.DataFrame], *, simulated: bool) -> Any:
    from empathy_explorer.app.charts import OKABE_ITO, line_chart

    source = "SIMULATED example class" if simulated else "Your class"
    return line_chart(
        "lines",
        x="pairs",
        y="value",
        series="line",
        colors={
            "This class's difference": OKABE_ITO["vermillion"],
            "95% CI lower limit": OKABE_ITO["blue"],
            "95% CI upper limit": OKABE_ITO["blue"],
        },
        dashed="This class's difference",
        points="here",
        hline=0.0,
        title="What more pairs would change: the 95% interval of real minus pseudo",
        subtitle=f"{source}; assumes more pairs like these; dots: the class's size; dotted: no difference",
        x_title="Pairs in the class (count)",
        y_title="Real minus pseudo-pair synchrony (r)",
        x_domain=(0, 82),
    )(datasets)


# --------------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------------


class ClassDataPage(widgets.VBox):
    """The class page: upload rounds (or use the simulated example class), analyse, show and export.

    Every callback is a plain method that tests call directly: :meth:`use_example`, :meth:`add_files`,
    :meth:`on_upload`, :meth:`on_kind_change`, :meth:`start_over`, :meth:`export_csv`.

    Parameters
    ----------
    n_pseudo : int, default 1000
        Random re-pairings of the class in each pseudo-pair test.

    Attributes
    ----------
    analysis : ClassAnalysis
        What is shown now.
    data : ClassData
        The rounds behind it.
    """

    def __init__(self, *, n_pseudo: int = 1000) -> None:
        from empathy_explorer.app.charts import ChartPanel

        self.n_pseudo = int(n_pseudo)
        self._uploaded: list[ClassRound] = []
        self._mute = 0
        self._build_inputs()
        self._build_results()
        self.data, self.analysis = self._analyse(example_class())
        self.dist_panel = ChartPanel(None, filename="class-real-vs-pseudo-pairs")
        self.led_panel = ChartPanel(None, filename="class-leader-vs-joint")
        self.ci_panel = ChartPanel(None, filename="class-more-pairs")
        self._show(replace_charts=True)
        self._wire()
        super().__init__(children=self._layout())
        self.add_class("ee-class-data")

    def _build_inputs(self) -> None:
        """The privacy note, the example picker, the upload and start-over buttons, the progress bar."""
        from empathy_explorer.recordings import MAX_FILE_BYTES

        self.privacy = widgets.HTML(
            "<div class='ee-privacy' role='note' style='max-width:720px;padding:6px 10px;"
            f"border-left:4px solid #0072B2;background:#eef5fb'>{html.escape(PRIVACY_TEXT)}</div>"
        )
        self.example_picker = widgets.Dropdown(
            options=list(EXAMPLES),
            description="Example class:",
            style=_STYLE,
            layout=widgets.Layout(width="auto"),
        )
        self.example_button = widgets.Button(
            description="Analyse the example class",
            tooltip="Show the simulated example class chosen on the left",
            layout=widgets.Layout(width="auto"),
        )
        self.upload = widgets.FileUpload(
            accept=".csv,.txt,.zip",
            multiple=True,
            description=f"Upload round files (CSVs or one ZIP; up to {MAX_FILE_BYTES / 1e6:.0f} MB each)",
            layout=widgets.Layout(width="auto"),
        )
        self.start_over_button = widgets.Button(
            description="Start over (forget uploaded rounds)",
            tooltip="Forget the uploaded rounds and show the example class",
            layout=widgets.Layout(width="auto"),
        )
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="Progress:")
        self.progress.layout.visibility = "hidden"

    def _build_results(self) -> None:
        """The message, banner, headline, tables, kind picker, takeaways and the CSV export."""
        self.message = widgets.HTML()
        self.banner = widgets.HTML()
        self.headline = widgets.HTML()
        self.tests_html = widgets.HTML()
        self.kind_picker = widgets.Dropdown(options=[], description="Round kind in the charts:", style=_STYLE,
                                            layout=widgets.Layout(width="auto"))  # fmt: skip
        self.dist_takeaway = widgets.HTML()
        self.led_takeaway = widgets.HTML()
        self.ci_takeaway = widgets.HTML()
        self.compare_html = widgets.HTML()
        self.class_table = widgets.HTML()
        self.csv_button = widgets.Button(
            description="Prepare the class table as CSV",
            tooltip="Make a download link for the table of rounds (labels and numbers only)",
            layout=widgets.Layout(width="auto"),
        )
        self.csv_link = widgets.HTML()

    def _wire(self) -> None:
        """Connect the buttons, the upload and the kind picker to their (tested) methods."""
        self.example_button.on_click(
            lambda _b: self._guard(lambda: self.use_example(self.example_picker.value))
        )
        self.upload.observe(self.on_upload, names="value")
        self.kind_picker.observe(self.on_kind_change, names="value")
        self.start_over_button.on_click(lambda _b: self._guard(self.start_over))
        self.csv_button.on_click(lambda _b: self._guard(self.export_csv))

    def _layout(self) -> list[widgets.Widget]:
        """The page from top to bottom."""
        h = widgets.HTML
        wrap = widgets.Layout(flex_flow="row wrap")
        return [
            self.privacy,
            widgets.HBox([self.example_picker, self.example_button], layout=wrap),
            widgets.HBox([self.upload, self.start_over_button], layout=wrap),
            self.progress,
            self.message,
            self.banner,
            self.headline,
            self.tests_html,
            self.kind_picker,
            self.dist_panel,
            self.dist_takeaway,
            h("<h3>Leader and follower, or nobody leading?</h3>"),
            self.led_panel,
            self.led_takeaway,
            h("<h3>How sure can the class be? Next to Marci et al. (2007)</h3>"),
            self.ci_panel,
            self.ci_takeaway,
            self.compare_html,
            h("<h3>Every round</h3>"),
            self.class_table,
            widgets.HBox([self.csv_button]),
            self.csv_link,
        ]  # fmt: skip

    # -- actions -------------------------------------------------------------------------------------

    def use_example(self, label: str | None = None) -> ClassAnalysis:
        """Show a simulated example class (a label of :data:`EXAMPLES`; default the first)."""
        label = label if label is not None else next(iter(EXAMPLES))
        if label not in EXAMPLES:
            raise InputError(f"There is no example class called {label!r}.")
        self._uploaded = []
        self.data, self.analysis = self._analyse(example_class(EXAMPLES[label]))
        self.show_message("")
        self._show(replace_charts=True)
        return self.analysis

    def add_files(self, files: Sequence[tuple[str, bytes]]) -> ClassAnalysis:
        """Add uploaded files (CSVs or ZIPs) to the class's uploaded rounds and analyse them all.

        The first upload replaces the example class; later uploads add to it (a round uploaded twice
        counts once). Files that are not rounds are listed in the message; the rest still loads. When
        nothing usable was uploaded, the page keeps showing what it showed and says why.

        Returns
        -------
        ClassAnalysis
            What the page shows now.
        """
        new = read_class_files(list(files))  # InputError when nothing usable: the caller shows it
        pooled = pool_rounds([*self._uploaded, *new.rounds], skipped=new.skipped, notes=new.notes)
        data, analysis = self._analyse(pooled)
        self._uploaded = list(pooled.rounds)
        self.data, self.analysis = data, analysis
        text = f"Read {len(new.rounds)} round(s); the class now has {len(pooled.rounds)} rounds."
        self.show_message(text, kind="note", details=list(analysis.messages))
        self._show(replace_charts=True)
        return analysis

    def start_over(self) -> None:
        """Forget the uploaded rounds and show the first example class again."""
        self.example_picker.value = next(iter(EXAMPLES))
        self.use_example()

    def export_csv(self) -> str:
        """Make the download link of the class table (labels, kinds and numbers only); returns the CSV."""
        csv = self.analysis.export_table().to_csv(index=False)
        from empathy_explorer.app.charts import download_link

        name = "class-rounds-simulated.csv" if self.analysis.simulated else "class-rounds.csv"
        self.csv_link.value = download_link(csv, name, "⬇ Download the class table (CSV)")
        return csv

    # -- callbacks -----------------------------------------------------------------------------------

    def on_upload(self, change: Mapping[str, Any] | None = None) -> None:
        """Files were chosen in the upload button: read them in memory, then free the bytes."""
        if self._mute:
            return
        items = list(self.upload.value or ())
        if not items:
            return
        try:
            files = [(str(i.get("name", "upload")), bytes(i.get("content", b""))) for i in items]
            self._guard(lambda: self.add_files(files))
        finally:
            self._mute += 1
            try:
                with contextlib.suppress(Exception):
                    self.upload.value = ()  # the same files can be chosen again
            finally:
                self._mute -= 1

    def on_kind_change(self, change: Mapping[str, Any] | None = None) -> None:
        """Another round kind was picked: the charts show its pairs."""
        if self._mute:
            return
        self._show(replace_charts=False)

    # -- internals -----------------------------------------------------------------------------------

    def _analyse(self, data: ClassData) -> tuple[ClassData, ClassAnalysis]:
        self.progress.layout.visibility = "visible"
        self.progress.value = 0

        def report(done: int, total: int) -> None:
            self.progress.max = max(1, total)
            self.progress.value = min(done, total)

        try:
            return data, analyse_class(data, n_pseudo=self.n_pseudo, progress=report)
        finally:
            self.progress.layout.visibility = "hidden"

    def show_message(self, text: str, *, kind: str = "note", details: Sequence[str] = ()) -> None:
        """A plain message above the results (``kind`` "error" or "note"; empty text clears it)."""
        if not text:
            self.message.value = ""
            return
        colour = {"error": "#8a1c00", "note": "#0b4f7c"}.get(kind, "#333")
        icon = "⚠ " if kind == "error" else ""
        items = "".join(f"<li>{html.escape(d)}</li>" for d in details)
        extra = f"<ul style='margin:4px 0 0 1em;padding:0'>{items}</ul>" if items else ""
        self.message.value = (
            f"<div class='ee-message ee-{kind}' role='{'alert' if kind == 'error' else 'status'}' "
            f"style='color:{colour};border:1px solid {colour};padding:6px 10px;border-radius:4px;"
            f"max-width:720px'>{icon}{html.escape(text)}{extra}</div>"
        )

    def _guard(self, action: Callable[[], object]) -> bool:
        return guarded(
            action,
            lambda text: self.show_message(text, kind="error"),
            where="Class page",
            generic=GENERIC_ERROR,
            suffix=" The page still shows the class before.",
        )

    def _current_test(self) -> KindTest | None:
        kind = self.kind_picker.value
        return self.analysis.tests.get(kind) if kind else None

    def _show(self, *, replace_charts: bool) -> None:
        a = self.analysis
        self._mute += 1
        try:
            options = [(KIND_LABELS[k], k) for k in a.tests]
            old = self.kind_picker.value
            self.kind_picker.options = options
            if options:
                self.kind_picker.value = old if old in a.tests else options[0][1]
            self.kind_picker.layout.display = None if options else "none"
        finally:
            self._mute -= 1
        if a.simulated:
            self.banner.value = (
                "<div class='ee-simulated' role='note' style='background:#F0E442;color:#000;font-weight:700;"
                "padding:6px 10px;border-radius:4px;max-width:720px'>SIMULATED DATA: this class was made by "
                "virtual players with known couplings. It is not your class: upload your rounds to see "
                "yours.</div>"
            )
        else:
            pairs = len({r.pair for r in self.data.rounds})
            self.banner.value = (
                "<div class='ee-real' role='note' style='padding:4px 0;max-width:720px'>Your class: "
                f"<b>{len(self.data.rounds)} rounds from {pairs} pairs</b>, uploaded to this page only.</div>"
            )
        tests = list(a.tests.values())
        if tests:
            best = min(tests, key=lambda t: t.p_value)
            self.headline.value = (
                f"<p style='max-width:720px'><b>In short:</b> {html.escape(best.describe())}</p>"
            )
        else:
            self.headline.value = (
                "<p style='max-width:720px'><b>In short:</b> no round kind has at least 3 pairs, so "
                "there is nothing to compare with pseudo-pairs yet.</p>"
            )
        self.tests_html.value = test_table_html(a)
        self.class_table.value = class_table_html(a)
        self.csv_link.value = ""
        self._draw(replace_charts)

    def _draw(self, replace_charts: bool) -> None:
        from empathy_explorer.app.widgets import takeaway_html

        a, test = self.analysis, self._current_test()
        pairs, means = distribution_rows(test)
        points, diagonal = led_joint_rows(a.comparison)
        lines, here = ci_rows(test)
        if replace_charts:
            sim = a.simulated
            self.dist_panel.update(_strip_chart({"pairs": pairs, "means": means}, simulated=sim))
            self.led_panel.update(_led_chart({"points": points, "diagonal": diagonal}, simulated=sim))
            self.ci_panel.update(_ci_chart({"lines": lines, "here": here}, simulated=sim))
        else:
            self.dist_panel.update_data(pairs=pairs, means=means)
            self.ci_panel.update_data(lines=lines, here=here)
        if test is None:
            self.dist_takeaway.value = takeaway_html(
                "No pseudo-pair test yet: it needs rounds of at least 3 pairs."
            )
            self.ci_takeaway.value = ""
            self.compare_html.value = ""
        else:
            verdict = (
                "more in sync than chance pairings"
                if test.p_value < 0.05
                else "not clearly more in sync than chance pairings"
            )
            self.dist_takeaway.value = takeaway_html(
                f"{KIND_LABELS[test.kind]}: the {test.n_pairs} real pairs are {verdict} (mean "
                f"{test.mean_real:.2f} against {test.mean_pseudo:.2f}, p = {_p(test.p_value)}). Pseudo-pairs "
                "never played together, yet they are far from 0: smooth movements line up by chance."
            )
            self.ci_takeaway.value = takeaway_html(_ci_takeaway(test))
            self.compare_html.value = comparison_html(test)
        cmp = a.comparison
        if cmp is None:
            self.led_takeaway.value = takeaway_html(
                "No pair has played both a round with a leader and a joint round yet."
            )
        else:
            direction = "more" if cmp.mean_diff > 0 else "less"
            self.led_takeaway.value = takeaway_html(
                f"{cmp.n_pairs} pairs played both: without a leader they were on average {direction} in sync "
                f"(joint minus led {cmp.mean_diff:+.2f}, 95% CI {_fmt(cmp.ci_low)} to {_fmt(cmp.ci_high)}, "
                f"p = {_p(cmp.p_value)}); the lag between the two was {np.nanmedian(cmp.led_lag_ms):.0f} ms "
                f"with a leader and {np.nanmedian(cmp.joint_lag_ms):.0f} ms without (medians)."
            )


def class_data_page(**kwargs: Any) -> ClassDataPage:
    """The notebook's page (see :class:`ClassDataPage`)."""
    return ClassDataPage(**kwargs)
